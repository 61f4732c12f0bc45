//! Seed 002, "asyncio.create_task": schedule a coroutine as a task, then
//! await the task.
//!
//! ```text
//! Coroutine executed
//! ```

use std::time::Duration;

async fn my_coroutine() {
    ringio::time::sleep(Duration::from_secs(1)).await;
    println!("Coroutine executed");
}

#[ringio::main]
async fn main() -> Result<(), ringio::JoinError> {
    let task = ringio::spawn(my_coroutine());
    task.await
}
