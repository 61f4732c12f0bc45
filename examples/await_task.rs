//! Seed 001, "The await keyword": `main` awaiting `task()` is suspended
//! until `task` has printed 0 to 9, then prints "Finished".
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

/// Prints the numbers from 0 to 9.
async fn task() {
    for i in 0..10 {
        println!("{i}");
    }
}

#[ringio::main]
async fn main() {
    task().await;
    println!("Finished");
}
