//! Seed 001, "Another example": numbers and letters printed by two
//! coroutines that `gather!` runs side by side, alternating.
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
//! Finished
//! ```

use std::time::Duration;

use ringio::time::sleep;

/// Prints 0 to 4, with a small delay after each.
async fn task1() {
    for num in 0..5 {
        println!("{num}");
        sleep(Duration::from_millis(100)).await;
    }
}

/// Prints a to e, with a small delay after each.
async fn task2() {
    for letter in "abcde".chars() {
        println!("{letter}");
        sleep(Duration::from_millis(100)).await;
    }
}

#[ringio::main]
async fn main() {
    // gather! polls its futures in argument order, so when both wake on
    // the same tick the number still comes before the letter.
    ringio::gather!(task1(), task2()).await;
    println!("Finished");
}
