//! Seed 002, "asyncio.Queue": a producer puts 0 to 4 into a queue, one a
//! second, and a consumer prints each item it takes and marks it done.
//!
//! The seed's consumer loops forever, so the Python program never ends;
//! here, once the producer is done and the queue is `join`ed, main shuts
//! the queue down (asyncio 3.13's `Queue.shutdown`), which ends the
//! consumer's loop (compare `producer_consumer`, which also prints what is
//! produced).
//!
//! ```text
//! Consumed 0
//! Consumed 1
//! Consumed 2
//! Consumed 3
//! Consumed 4
//! ```

use std::time::Duration;

use ringio::sync::{Queue, QueueShutDown, TaskDoneError};

async fn producer(queue: &Queue<u32>) -> Result<(), QueueShutDown<u32>> {
    for i in 0..5 {
        queue.put(i).await?;
        ringio::time::sleep(Duration::from_secs(1)).await;
    }
    queue.join().await;
    queue.shutdown(false);
    Ok(())
}

async fn consumer(queue: &Queue<u32>) -> Result<(), TaskDoneError> {
    // `get` fails once the queue is shut down and empty.
    while let Ok(item) = queue.get().await {
        println!("Consumed {item}");
        queue.task_done()?;
    }
    Ok(())
}

#[ringio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let queue = Queue::new(0);
    let (produced, consumed) = ringio::gather!(producer(&queue), consumer(&queue)).await;
    produced?;
    consumed?;
    Ok(())
}
