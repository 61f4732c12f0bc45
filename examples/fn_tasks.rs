//! Seed 003's `fn` / `fn2` programs, one after the other:
//!
//! 1. a coroutine that prints, sleeps 1 s, prints, sleeps, prints;
//! 2. `fn` awaiting `fn2` in the middle: the output stays in call order
//!    (one, two, three, four, five), in about 5 s;
//! 3. `fn2` started as a task with `create_task` (`ringio::spawn`): it runs
//!    whenever `fn` waits, so the output interleaves (one, four, two, five,
//!    three), in about 2 s.
//!
//! ```text
//! This is
//! asynchronous programming
//! and not multi-threading
//! --
//! one
//! two
//! three
//! four
//! five
//! --
//! one
//! four
//! two
//! five
//! three
//! ```

use std::time::Duration;

use ringio::time::sleep;

fn second() -> Duration {
    Duration::from_secs(1)
}

/// The first program: awaiting `sleep` suspends the coroutine.
async fn first_program() {
    println!("This is");
    sleep(second()).await;
    println!("asynchronous programming");
    sleep(second()).await;
    println!("and not multi-threading");
}

/// `fn2` of the second and third programs.
async fn fn2(sleep_first: bool) {
    if sleep_first {
        sleep(second()).await;
    }
    println!("two");
    sleep(second()).await;
    println!("three");
}

/// The second program: `await fn2()` runs fn2 to its end, in place.
async fn awaiting_fn2() {
    println!("one");
    sleep(second()).await;
    fn2(true).await;
    println!("four");
    sleep(second()).await;
    println!("five");
    sleep(second()).await;
}

/// The third program: `create_task(fn2())` lets fn2 run while fn sleeps.
async fn fn2_as_task() {
    let _task = ringio::spawn(fn2(false));
    println!("one");
    println!("four");
    sleep(second()).await;
    println!("five");
    sleep(second()).await;
}

#[ringio::main]
async fn main() {
    first_program().await;
    println!("--");
    awaiting_fn2().await;
    println!("--");
    fn2_as_task().await;
}
