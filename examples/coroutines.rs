//! Seed 001, "A deeper look on coroutines" and "The await keyword":
//!
//! 1. calling an `async fn` runs none of its body: it makes a future (a
//!    coroutine object), which does nothing until it is run or awaited;
//! 2. `ringio::run(coro)` runs it and returns its value, as
//!    `print(asyncio.run(coro))` prints 10;
//! 3. `main` awaiting `task()` is suspended until `task` has printed 0 to 9,
//!    then prints "Finished".
//!
//! ```text
//! made a coroutine object; its body has not run
//! 10
//! 0
//! 1
//! 2
//! 3
//! 4
//! 5
//! 6
//! 7
//! 8
//! 9
//! Finished
//! ```

use std::cell::Cell;

async fn func(ran: &Cell<bool>) -> i32 {
    ran.set(true);
    10
}

/// A coroutine that prints the numbers from 0 to 9.
async fn task() {
    for i in 0..10 {
        println!("{i}");
    }
}

async fn main_coro() {
    task().await;
    println!("Finished");
}

fn main() -> Result<(), ringio::RuntimeError> {
    let ran = Cell::new(false);
    // `f = func()`: a coroutine object, not a call.
    let coro = func(&ran);
    assert!(!ran.get());
    println!("made a coroutine object; its body has not run");
    // `print(asyncio.run(coro))`
    println!("{}", ringio::run(coro)?);
    assert!(ran.get());
    ringio::run(main_coro())
}
