//! Seed 001, "The Event Loop": make a loop by hand, schedule two tasks on
//! it with `loop.create_task`, gather them, and run the loop until the
//! group is done. ringio: `Runtime::new()` is the loop, `Runtime::spawn`
//! is `loop.create_task` (it works before the loop runs), `gather!` makes
//! the group and `block_on` is `run_until_complete`. Each task sleeps half
//! a second per number, so the two take about 5 s together.
//!
//! ```text
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
//! ```

use std::time::Duration;

use ringio::time::sleep;

async fn print_evens(num: u32) {
    for i in 0..num {
        if i % 2 == 0 {
            println!("{i}");
        }
        sleep(Duration::from_millis(500)).await; // delay for half a second
    }
}

async fn print_odds(num: u32) {
    for i in 0..num {
        if i % 2 == 1 {
            println!("{i}");
        }
        sleep(Duration::from_millis(500)).await; // delay for half a second
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Create an event loop.
    let event_loop = ringio::Runtime::new()?;
    // Schedule the tasks for execution.
    let task1 = event_loop.spawn(print_evens(10));
    let task2 = event_loop.spawn(print_odds(10));
    let group = ringio::gather!(task1, task2);
    // Run the loop.
    let (r1, r2) = event_loop.block_on(group)?;
    r1?;
    r2?;
    Ok(())
}
