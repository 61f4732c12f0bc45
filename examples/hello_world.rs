//! Seed 002, "asyncio.run": run a coroutine that prints and ends.
//! `#[ringio::main]` on `async fn main` is `asyncio.run(main())`.
//!
//! ```text
//! Hello, World!
//! ```

#[ringio::main]
async fn main() {
    println!("Hello, World!");
}
