//! Seed 003, "Asynchronous Programming with Asyncio in Python": a coroutine
//! that prints, sleeps a second, prints, sleeps, prints (about 2 s).
//!
//! ```text
//! This is
//! asynchronous programming
//! and not multi-threading
//! ```

use std::time::Duration;

use ringio::time::sleep;

async fn r#fn() {
    println!("This is ");
    sleep(Duration::from_secs(1)).await;
    println!("asynchronous programming");
    sleep(Duration::from_secs(1)).await;
    println!("and not multi-threading");
}

fn main() -> Result<(), ringio::RuntimeError> {
    ringio::run(r#fn())
}
