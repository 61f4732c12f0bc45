//! Seed 002, "Using asyncio.Queue": a producer puts 0 to 4 into a queue, one
//! a second, and a consumer takes each item and marks it done.
//!
//! The seed's consumer loops forever, so the Python program never ends; here
//! the producer waits for the queue to be `join`ed and then shuts it down
//! (asyncio 3.13's `Queue.shutdown`), which ends the consumer's loop.
//!
//! ```text
//! Produced 0
//! Consumed 0
//! Produced 1
//! Consumed 1
//! Produced 2
//! Consumed 2
//! Produced 3
//! Consumed 3
//! Produced 4
//! Consumed 4
//! ```

use std::rc::Rc;
use std::time::Duration;

use ringio::sync::{Queue, QueueShutDown, TaskDoneError};
use ringio::time::sleep;

async fn producer(queue: Rc<Queue<u32>>) -> Result<(), QueueShutDown<u32>> {
    for i in 0..5 {
        queue.put(i).await?;
        println!("Produced {i}");
        sleep(Duration::from_secs(1)).await;
    }
    Ok(())
}

async fn consumer(queue: Rc<Queue<u32>>) -> Result<(), TaskDoneError> {
    // `get` fails once the queue is shut down and empty.
    while let Ok(item) = queue.get().await {
        println!("Consumed {item}");
        queue.task_done()?;
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    ringio::run(async {
        let queue = Rc::new(Queue::new(0));
        let consumer = ringio::spawn(consumer(queue.clone()));
        producer(queue.clone()).await?;
        queue.join().await;
        queue.shutdown(false);
        consumer.await??;
        Ok(())
    })?
}
