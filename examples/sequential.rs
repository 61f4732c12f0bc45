//! Seed 000, the program before "Creating Tasks": awaiting one coroutine,
//! then the next, runs them one after the other, so 1 s + 2 s take about
//! 3 s (compare `create_task`).
//!
//! ```text
//! started
//! hello
//! world
//! finished after 3 s
//! ```

use std::time::{Duration, Instant};

use ringio::time::sleep;

/// Waits `delay` seconds, then prints `value`.
async fn execute(delay: u64, value: &'static str) {
    sleep(Duration::from_secs(delay)).await;
    println!("{value}");
}

#[ringio::main]
async fn main() {
    let start = Instant::now();
    println!("started");
    execute(1, "hello").await;
    execute(2, "world").await;
    println!("finished after {:.0} s", start.elapsed().as_secs_f64());
}
