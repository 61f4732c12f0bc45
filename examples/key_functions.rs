//! Seed 002, "Key Classes and Functions", and seed 004's coroutines, each
//! as ringio spells it:
//!
//! - `asyncio.run(main())`: `ringio::run` (here `#[ringio::main]`);
//! - `asyncio.create_task(my_coroutine())` then `await task`:
//!   `ringio::spawn`, then awaiting the `JoinHandle`;
//! - `await asyncio.gather(foo(), bar())` gathering `['foo', 'bar']` in
//!   about one second, not two: `ringio::gather!`;
//! - `asyncio.sleep(1)` between two prints: `ringio::time::sleep`;
//! - seed 004: two runs of a coroutine that sleeps 2 s, gathered, so both
//!   start before either resumes.
//!
//! ```text
//! Hello, World!
//! Coroutine executed
//! ["foo", "bar"] after 1 s
//! Sleeping for 1 second...
//! Awake!
//! Start Coroutine
//! Start Coroutine
//! Coroutine resumed after 2 seconds
//! Coroutine resumed after 2 seconds
//! ```

use std::time::{Duration, Instant};

use ringio::time::sleep;

async fn my_coroutine() {
    sleep(Duration::from_secs(1)).await;
    println!("Coroutine executed");
}

async fn foo() -> &'static str {
    sleep(Duration::from_secs(1)).await;
    "foo"
}

async fn bar() -> &'static str {
    sleep(Duration::from_secs(1)).await;
    "bar"
}

/// Seed 004's coroutine.
async fn resumed_after_two_seconds() {
    println!("Start Coroutine");
    sleep(Duration::from_secs(2)).await;
    println!("Coroutine resumed after 2 seconds");
}

#[ringio::main]
async fn main() {
    // asyncio.run
    println!("Hello, World!");

    // asyncio.create_task
    let task = ringio::spawn(my_coroutine());
    if let Err(e) = task.await {
        eprintln!("my_coroutine failed: {e}");
    }

    // asyncio.gather: results in argument order.
    let start = Instant::now();
    let (a, b) = ringio::gather!(foo(), bar()).await;
    println!("{:?} after {:.0} s", [a, b], start.elapsed().as_secs_f64());

    // asyncio.sleep
    println!("Sleeping for 1 second...");
    sleep(Duration::from_secs(1)).await;
    println!("Awake!");

    // seed 004: gather(coro1, coro2)
    ringio::gather!(resumed_after_two_seconds(), resumed_after_two_seconds()).await;
}
