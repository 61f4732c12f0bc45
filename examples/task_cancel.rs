//! asyncio's "Task Cancellation" example: main cancels a task that sleeps
//! for an hour. `JoinHandle::abort` is `task.cancel()`.
//!
//! Rust cannot let a task catch its own cancellation: the task is dropped
//! at the sleep it waits in, so its `except CancelledError:` and `finally:`
//! are destructors (guards that run as it is dropped), and awaiting the
//! handle gives `JoinError::Cancelled` where asyncio raises
//! `CancelledError` in main.
//!
//! ```text
//! cancel_me(): before sleep
//! cancel_me(): cancel sleep
//! cancel_me(): after sleep
//! main(): cancel_me is cancelled now
//! ```

use std::time::Duration;

use ringio::time::sleep;

/// Prints its message when dropped: the task's `finally:` block.
struct Finally(&'static str);

impl Drop for Finally {
    fn drop(&mut self) {
        println!("{}", self.0);
    }
}

/// Prints its message when dropped before being disarmed: the task's
/// `except CancelledError:` block around the sleep.
struct OnCancel(Option<&'static str>);

impl Drop for OnCancel {
    fn drop(&mut self) {
        if let Some(message) = self.0 {
            println!("{message}");
        }
    }
}

async fn cancel_me() {
    println!("cancel_me(): before sleep");
    let _finally = Finally("cancel_me(): after sleep");
    let mut on_cancel = OnCancel(Some("cancel_me(): cancel sleep"));
    // Wait for 1 hour.
    sleep(Duration::from_secs(3600)).await;
    on_cancel.0 = None; // not cancelled: the sleep ended
}

#[ringio::main]
async fn main() {
    // Create a "cancel_me" task.
    let task = ringio::spawn(cancel_me());
    // Wait for a little while.
    sleep(Duration::from_millis(100)).await;
    task.abort();
    match task.await {
        Err(e) if e.is_cancelled() => println!("main(): cancel_me is cancelled now"),
        other => println!("main(): cancel_me was not cancelled: {other:?}"),
    }
}
