//! Seed 002, "asyncio.Future": a task sets the future's result after a
//! second; main awaits the task, then the future. A ringio future set by
//! someone else is a [`ringio::sync::oneshot`] pair: the sender is
//! `fut.set_result`, the receiver is `await fut`.
//!
//! ```text
//! Future is done!
//! ```

use std::time::Duration;

use ringio::sync::oneshot;

async fn set_future_value(
    fut: oneshot::Sender<&'static str>,
) -> Result<(), oneshot::SetError<&'static str>> {
    ringio::time::sleep(Duration::from_secs(1)).await;
    fut.set("Future is done!")
}

#[ringio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (fut, result) = oneshot::channel();
    ringio::spawn(set_future_value(fut)).await??;
    println!("{}", result.await?);
    Ok(())
}
