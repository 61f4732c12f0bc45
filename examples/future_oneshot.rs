//! Seed 002, "Using asyncio.Future": a task sets the future's result after a
//! second, and the main task awaits it.
//!
//! ```text
//! Done!
//! ```

use std::time::Duration;

use ringio::sync::oneshot;
use ringio::time::sleep;

async fn set_future(
    future: oneshot::Sender<&'static str>,
) -> Result<(), oneshot::SetError<&'static str>> {
    sleep(Duration::from_secs(1)).await;
    future.set("Done!")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    ringio::run(async {
        let (future, result) = oneshot::channel();
        ringio::spawn(set_future(future)).await??;
        println!("{}", result.await?);
        Ok(())
    })?
}
