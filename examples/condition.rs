//! asyncio's `Condition`: tasks wait, holding a lock, until another task
//! changes the shared state and notifies them. `wait_for` re-checks the
//! predicate after each wake-up, as asyncio's does.
//!
//! ```text
//! consumer 1 waiting for the data
//! consumer 2 waiting for the data
//! producer: data ready, notifying all
//! consumer 1 got: 42
//! consumer 2 got: 42
//! ```

use std::time::Duration;

use ringio::sync::{Condition, Lock};

async fn consumer(n: u32, data: &Lock<Option<u32>>, ready: &Condition) {
    let guard = data.lock().await;
    println!("consumer {n} waiting for the data");
    let guard = ready.wait_for(guard, |value| value.is_some()).await;
    println!("consumer {n} got: {}", guard.unwrap_or_default());
}

async fn producer(data: &Lock<Option<u32>>, ready: &Condition) {
    ringio::time::sleep(Duration::from_millis(100)).await;
    let mut guard = data.lock().await;
    *guard = Some(42);
    println!("producer: data ready, notifying all");
    ready.notify_all();
}

#[ringio::main]
async fn main() {
    let data = Lock::new(None);
    let ready = Condition::new();
    ringio::gather!(
        consumer(1, &data, &ready),
        consumer(2, &data, &ready),
        producer(&data, &ready)
    )
    .await;
}
