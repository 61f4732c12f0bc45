//! Seed 002, "Synchronization Primitives": two workers take turns holding a
//! lock for a second; the second waits until the first releases it.
//!
//! ```text
//! Worker 1 acquired lock
//! Worker 1 released lock
//! Worker 2 acquired lock
//! Worker 2 released lock
//! ```

use std::time::Duration;

use ringio::sync::Lock;
use ringio::time::sleep;

async fn worker(lock: &Lock<()>, n: u32) {
    // `async with lock:` is a guard that unlocks when it goes out of scope.
    let _guard = lock.lock().await;
    println!("Worker {n} acquired lock");
    sleep(Duration::from_secs(1)).await;
    println!("Worker {n} released lock");
}

#[ringio::main]
async fn main() {
    let lock = Lock::new(());
    ringio::gather!(worker(&lock, 1), worker(&lock, 2)).await;
}
