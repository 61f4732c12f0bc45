//! asyncio's `as_completed`: the results of several tasks, first finished
//! first. Each result carries the task's index among those given, so it
//! can be matched with its request.
//!
//! ```text
//! request 1 answered after 100 ms
//! request 2 answered after 200 ms
//! request 0 answered after 300 ms
//! ```

use std::time::Duration;

use ringio::task::as_completed;
use ringio::time::sleep;

async fn request(ms: u64) -> u64 {
    sleep(Duration::from_millis(ms)).await;
    ms
}

#[ringio::main]
async fn main() -> Result<(), ringio::JoinError> {
    let tasks = [300, 100, 200].map(|ms| ringio::spawn(request(ms)));
    let mut completed = as_completed(tasks);
    while let Some(finished) = completed.next().await {
        let ms = finished.result?;
        println!("request {} answered after {ms} ms", finished.index);
    }
    Ok(())
}
