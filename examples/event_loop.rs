//! Seed 000/001, "The Event Loop": drive a loop by hand instead of `run`,
//! as `loop = asyncio.new_event_loop(); loop.run_until_complete(...)`, and
//! list its tasks with `all_tasks`.
//!
//! ```text
//! This asynchronicity!
//! tasks on the loop: ["main", "printer-1", "printer-2"]
//! printer-1 says hello
//! printer-2 says hello
//! tasks left: 0
//! ```

use std::time::Duration;

use ringio::task::Builder;
use ringio::Runtime;

async fn speech_async() {
    println!("This asynchronicity!");
}

async fn printer(name: &'static str, delay_ms: u64) {
    ringio::time::sleep(Duration::from_millis(delay_ms)).await;
    println!("{name} says hello");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event_loop = Runtime::new()?;
    event_loop.block_on(speech_async())?;

    event_loop.block_on(async {
        let a = Builder::new()
            .name("printer-1")
            .spawn(printer("printer-1", 10))?;
        let b = Builder::new()
            .name("printer-2")
            .spawn(printer("printer-2", 20))?;
        let names: Vec<String> = ringio::task::all_tasks()
            .into_iter()
            .map(|t| t.name)
            .collect();
        println!("tasks on the loop: {names:?}");
        a.await?;
        b.await?;
        Ok::<(), Box<dyn std::error::Error>>(())
    })??;

    println!("tasks left: {}", event_loop.all_tasks().len());
    // Dropping the runtime is `loop.close()`.
    drop(event_loop);
    Ok(())
}
