//! Seed 000, the program before "Creating Tasks": awaiting one coroutine,
//! then the next, runs them one after the other, so 1 s + 2 s take about
//! 3 s: the two clock times printed are 3 s apart (compare `create_task`).
//!
//! ```text
//! started 11:11:54
//! hello
//! world
//! finished 11:11:57
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
async fn main() {
    println!("started {}", clock::strftime_x());
    execute(1, "hello").await;
    execute(2, "world").await;
    println!("finished {}", clock::strftime_x());
}
