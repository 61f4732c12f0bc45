//! Seed 001, "Running Coroutines": calling an `async fn` makes a coroutine
//! object (a future) and runs none of its body; `ringio::run(coro)` runs it
//! and returns its value, so `print(asyncio.run(coro))` prints 10.
//!
//! ```text
//! 10
//! ```

async fn func() -> u32 {
    10
}

fn main() -> Result<(), ringio::RuntimeError> {
    // Create a coroutine object; nothing runs yet.
    let coro = func();
    // Run the coroutine.
    println!("{}", ringio::run(coro)?);
    Ok(())
}
