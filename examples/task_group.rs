//! asyncio's `TaskGroup` (`async with TaskGroup() as tg:`): the group waits
//! for every task spawned into it; the first failure cancels the others
//! and the group reports every failure.
//!
//! ```text
//! Both tasks have completed now: 1, 2
//! slow child cancelled
//! the group failed: ["boom"]
//! ```

use std::time::Duration;

use ringio::task::TaskGroup;
use ringio::time::sleep;

async fn some_coro() -> Result<u32, String> {
    sleep(Duration::from_millis(100)).await;
    Ok(1)
}

async fn another_coro() -> Result<u32, String> {
    sleep(Duration::from_millis(50)).await;
    Ok(2)
}

/// Prints when dropped, to show the child was cancelled.
struct SaysCancelled;

impl Drop for SaysCancelled {
    fn drop(&mut self) {
        println!("slow child cancelled");
    }
}

#[ringio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (task1, task2) = TaskGroup::<String>::run(|tg| async move {
        let task1 = tg.spawn(some_coro())?;
        let task2 = tg.spawn(another_coro())?;
        Ok((task1, task2))
    })
    .await?;
    // The group has waited for both.
    println!(
        "Both tasks have completed now: {}, {}",
        task1.await?,
        task2.await?
    );

    let failed = TaskGroup::<String>::run(|tg| async move {
        tg.spawn(async {
            let _guard = SaysCancelled;
            sleep(Duration::from_secs(600)).await;
            Ok(())
        })?;
        tg.spawn(async {
            sleep(Duration::from_millis(50)).await;
            Err::<(), _>("boom".to_string())
        })?;
        Ok(())
    })
    .await;
    if let Err(group) = failed {
        println!("the group failed: {:?}", group.errors().collect::<Vec<_>>());
    }
    Ok(())
}
