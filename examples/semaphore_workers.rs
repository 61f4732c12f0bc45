//! Seed 002, "asyncio.Semaphore": three workers share a semaphore of two
//! permits, so the third starts only when one of the first two is done.
//!
//! ```text
//! Worker 1 acquired semaphore
//! Worker 2 acquired semaphore
//! Worker 1 released semaphore
//! Worker 2 released semaphore
//! Worker 3 acquired semaphore
//! Worker 3 released semaphore
//! ```

use std::time::Duration;

use ringio::sync::Semaphore;
use ringio::time::sleep;

async fn worker(semaphore: &Semaphore, n: u32) {
    // `async with semaphore:` is a permit, released when it goes out of scope.
    let _permit = semaphore.acquire().await;
    println!("Worker {n} acquired semaphore");
    sleep(Duration::from_secs(1)).await;
    println!("Worker {n} released semaphore");
}

#[ringio::main]
async fn main() {
    // The seed's semaphore is a module global; here main owns it and lends it.
    let semaphore = Semaphore::new(2);
    ringio::gather!(
        worker(&semaphore, 1),
        worker(&semaphore, 2),
        worker(&semaphore, 3)
    )
    .await;
}
