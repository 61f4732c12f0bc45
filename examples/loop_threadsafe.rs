//! asyncio's `loop.call_soon_threadsafe` and `run_coroutine_threadsafe`:
//! another thread hands work to a running loop through its
//! [`ringio::LoopHandle`], and waits for a coroutine's result there
//! (`blocking_join` is `future.result()` of the `concurrent.futures.Future`
//! asyncio returns).
//!
//! ```text
//! call_soon_threadsafe: ran on the loop thread
//! run_coroutine_threadsafe: 3 + 4 = 7
//! ```

use std::time::Duration;

use ringio::LoopHandle;

#[ringio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let handle = LoopHandle::current().ok_or("no loop runs here")?;
    let loop_thread = std::thread::current().id();
    let other = std::thread::spawn(move || {
        let call = move || {
            let on_loop = std::thread::current().id() == loop_thread;
            let on = if on_loop {
                "the loop thread"
            } else {
                "another thread"
            };
            println!("call_soon_threadsafe: ran on {on}");
        };
        handle
            .call_soon_threadsafe(call)
            .map_err(|e| e.to_string())?;
        // `spawn_with` sends the closure; the future it makes (a sleep is
        // tied to its loop, so not `Send`) is built on the loop thread.
        let future = handle
            .spawn_with(|| async {
                ringio::time::sleep(Duration::from_millis(50)).await;
                3 + 4
            })
            .map_err(|e| e.to_string())?;
        let sum = future.blocking_join().map_err(|e| e.to_string())?;
        println!("run_coroutine_threadsafe: 3 + 4 = {sum}");
        Ok::<(), String>(())
    });
    // Wait for the other thread without blocking the loop, which must keep
    // running to serve it.
    ringio::spawn_blocking(move || other.join())
        .await?
        .map_err(|_| "the other thread panicked")??;
    Ok(())
}
