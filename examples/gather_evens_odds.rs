//! Seed 001, "Running multiple coroutines simultaneously": one coroutine
//! prints the even numbers, the other the odd ones, and `gather!` runs them
//! side by side, so the output interleaves.
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
//! Finished
//! ```

use std::time::Duration;

use ringio::time::sleep;

/// Prints the even numbers below 10, with a small delay after each number.
async fn task1() {
    for i in 0..10 {
        if i % 2 == 0 {
            println!("{i}");
        }
        sleep(Duration::from_millis(100)).await;
    }
}

/// Prints the odd numbers below 10, with the same delay.
async fn task2() {
    for i in 0..10 {
        if i % 2 == 1 {
            println!("{i}");
        }
        sleep(Duration::from_millis(100)).await;
    }
}

#[ringio::main]
async fn main() {
    ringio::gather!(task1(), task2()).await;
    println!("Finished");
}
