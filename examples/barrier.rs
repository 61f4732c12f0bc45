//! asyncio's `Barrier`: tasks that arrive at different times wait until
//! all the parties have arrived, then all pass together. The last to
//! arrive does not wait, so it passes first, then the others in the order
//! they came (python3 prints the same for this program).
//!
//! ```text
//! worker 1 arrived (1 of 3 waiting)
//! worker 2 arrived (2 of 3 waiting)
//! worker 3 arrived (3 of 3 waiting)
//! worker 3 passed the barrier
//! worker 1 passed the barrier
//! worker 2 passed the barrier
//! ```

use std::time::Duration;

use ringio::sync::{Barrier, BrokenBarrierError};

async fn worker(n: u64, barrier: &Barrier) -> Result<(), BrokenBarrierError> {
    ringio::time::sleep(Duration::from_millis(50 * n)).await;
    let wait = barrier.wait();
    println!(
        "worker {n} arrived ({} of {} waiting)",
        barrier.n_waiting() + 1,
        barrier.parties()
    );
    wait.await?;
    println!("worker {n} passed the barrier");
    Ok(())
}

#[ringio::main]
async fn main() -> Result<(), BrokenBarrierError> {
    let barrier = Barrier::new(3);
    let (a, b, c) = ringio::gather!(
        worker(1, &barrier),
        worker(2, &barrier),
        worker(3, &barrier)
    )
    .await;
    a.and(b).and(c)
}
