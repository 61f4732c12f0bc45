//! Seed 004, "Concurrency": two runs of the same coroutine under
//! `gather`, so both start before either resumes, and the whole takes
//! about 2 s, not 4.
//!
//! ```text
//! Start Coroutine
//! Start Coroutine
//! Coroutine resumed after 2 seconds
//! Coroutine resumed after 2 seconds
//! ```

use std::time::Duration;

async fn my_coroutine() {
    println!("Start Coroutine");
    ringio::time::sleep(Duration::from_secs(2)).await;
    println!("Coroutine resumed after 2 seconds");
}

#[ringio::main]
async fn main() {
    let coro1 = my_coroutine();
    let coro2 = my_coroutine();
    ringio::gather!(coro1, coro2).await;
}
