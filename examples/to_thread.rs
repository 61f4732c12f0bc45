//! asyncio's `to_thread` example: a blocking function runs on a thread of
//! the blocking pool (`spawn_blocking`) while the loop goes on, so one
//! second of blocking work and one second of sleep take one second
//! together, not two.
//!
//! ```text
//! started main at *
//! start blocking_io at *
//! blocking_io complete at *
//! finished main at *
//! ```

mod clock;

use std::time::Duration;

fn blocking_io() {
    println!("start blocking_io at {}", clock::strftime_x());
    // Note that time.sleep() can be replaced with any blocking IO-bound
    // operation, such as file operations.
    std::thread::sleep(Duration::from_secs(1));
    println!("blocking_io complete at {}", clock::strftime_x());
}

#[ringio::main]
async fn main() -> Result<(), ringio::JoinError> {
    println!("started main at {}", clock::strftime_x());
    let start = std::time::Instant::now();
    let (blocking, ()) = ringio::gather!(
        ringio::spawn_blocking(blocking_io),
        ringio::time::sleep(Duration::from_secs(1))
    )
    .await;
    blocking?;
    println!("finished main at {}", clock::strftime_x());
    // The point of to_thread: both ran at once.
    assert!(start.elapsed() < Duration::from_millis(1900));
    Ok(())
}
