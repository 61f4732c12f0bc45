//! Seed 001, "The Event Loop", second form: schedule tasks on a loop
//! without keeping them, then gather every task of the loop
//! (`gather(*all_tasks(loop))`) and run the loop until they are done.
//! ringio's `all_tasks()` gives snapshots ([`ringio::task::TaskInfo`]);
//! each one's `finished()` is a future that waits for that task.
//!
//! ```text
//! 0
//! a
//! 1
//! b
//! 2
//! c
//! 3
//! d
//! 4
//! e
//! ```

use std::time::Duration;

use ringio::time::sleep;

async fn print_nums(num: u32) {
    for n in 0..num {
        println!("{n}");
        sleep(Duration::from_millis(500)).await; // delay for half a second
    }
}

async fn print_letters(up_to: char) {
    for letter in 'a'..up_to {
        println!("{letter}");
        sleep(Duration::from_millis(500)).await; // delay for half a second
    }
}

fn main() -> Result<(), ringio::RuntimeError> {
    // Create an event loop.
    let event_loop = ringio::Runtime::new()?;
    // Schedule the tasks for execution (their handles are not kept).
    event_loop.spawn(print_nums(5));
    event_loop.spawn(print_letters('f'));
    // Get all the tasks scheduled in the loop.
    let tasks = event_loop.all_tasks();
    // Create an awaitable for the tasks.
    let group = ringio::gather_all(tasks.iter().map(|task| task.finished()));
    // Run the loop.
    event_loop.block_on(group)?;
    // Close the loop.
    drop(event_loop);
    Ok(())
}
