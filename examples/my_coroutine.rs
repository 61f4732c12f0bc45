//! Seed 004, "Defining Coroutines" run as in "The Event Loop":
//! `asyncio.run(my_coroutine())`, on its own (about 2 s).
//!
//! ```text
//! Start Coroutine
//! Coroutine resumed after 2 seconds
//! ```

use std::time::Duration;

async fn my_coroutine() {
    println!("Start Coroutine");
    ringio::time::sleep(Duration::from_secs(2)).await;
    println!("Coroutine resumed after 2 seconds");
}

fn main() -> Result<(), ringio::RuntimeError> {
    ringio::run(my_coroutine())
}
