//! Seed 002, "Basic Coroutine Example": `asyncio.run(say_hello())`, a
//! coroutine that prints, sleeps a second, and prints again.
//!
//! ```text
//! Hello
//! World
//! ```

use std::time::Duration;

async fn say_hello() {
    println!("Hello");
    ringio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}

fn main() -> Result<(), ringio::RuntimeError> {
    ringio::run(say_hello())
}
