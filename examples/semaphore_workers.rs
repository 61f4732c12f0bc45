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

use std::rc::Rc;
use std::time::Duration;

use ringio::sync::Semaphore;
use ringio::time::sleep;

async fn worker(semaphore: Rc<Semaphore>, n: u32) {
    // `async with semaphore:` is a permit, released when it goes out of scope.
    let _permit = semaphore.acquire().await;
    println!("Worker {n} acquired semaphore");
    sleep(Duration::from_secs(1)).await;
    println!("Worker {n} released semaphore");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    ringio::run(async {
        let semaphore = Rc::new(Semaphore::new(2));
        let workers: Vec<_> = (1..=3)
            .map(|n| ringio::spawn(worker(semaphore.clone(), n)))
            .collect();
        for w in workers {
            w.await?;
        }
        Ok(())
    })?
}
