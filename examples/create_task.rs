//! Seed 000, "Creating Tasks": `create_task` is `ringio::spawn`. Two tasks
//! sleeping 1 s and 2 s run side by side, so the program takes about 2 s
//! (one second faster than `sequential`): the clock times printed are 2 s
//! apart.
//!
//! ```text
//! started 15:43:30
//! hello
//! world
//! finished 15:43:32
//! ```

mod clock;

use std::time::Duration;

use ringio::time::sleep;

/// Waits `delay` seconds, then prints `value`.
async fn execute(delay: u64, value: &'static str) {
    sleep(Duration::from_secs(delay)).await;
    println!("{value}");
}

#[ringio::main]
async fn main() -> Result<(), ringio::JoinError> {
    // The tasks start at the loop's next turn, while main goes on.
    let task1 = ringio::spawn(execute(1, "hello"));
    let task2 = ringio::spawn(execute(2, "world"));
    println!("started {}", clock::strftime_x());
    // Wait until both tasks are completed (should take around 2 seconds).
    task1.await?;
    task2.await?;
    println!("finished {}", clock::strftime_x());
    Ok(())
}
