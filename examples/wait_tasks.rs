//! asyncio's `wait(tasks, return_when=..., timeout=...)`: wait for some of
//! a set of tasks and get back the finished ones and the still pending
//! ones. `wait` cancels nothing; what to do with the pending tasks is the
//! caller's choice.
//!
//! ```text
//! first completed: fast
//! still pending: 2
//! within the timeout: medium
//! still pending: 1
//! cancelled the slow one: true
//! ```

use std::time::Duration;

use ringio::task::{wait, ReturnWhen};
use ringio::time::sleep;

async fn after(ms: u64, name: &'static str) -> &'static str {
    sleep(Duration::from_millis(ms)).await;
    name
}

#[ringio::main]
async fn main() {
    let tasks = vec![
        ringio::spawn(after(100, "fast")),
        ringio::spawn(after(300, "medium")),
        ringio::spawn(after(60_000, "slow")),
    ];

    let (done, pending) = wait(tasks, ReturnWhen::FirstCompleted, None).await;
    for finished in done {
        println!("first completed: {}", finished.result.unwrap_or("failed"));
    }
    println!("still pending: {}", pending.len());

    let timeout = Some(Duration::from_secs(1));
    let (done, pending) = wait(pending, ReturnWhen::AllCompleted, timeout).await;
    for finished in done {
        println!(
            "within the timeout: {}",
            finished.result.unwrap_or("failed")
        );
    }
    println!("still pending: {}", pending.len());

    for task in pending {
        task.abort();
        let cancelled = task.await.is_err_and(|e| e.is_cancelled());
        println!("cancelled the slow one: {cancelled}");
    }
}
