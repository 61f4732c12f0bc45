//! Seed 002, "asyncio.sleep": suspend the coroutine for a second between
//! two prints.
//!
//! ```text
//! Sleeping for 1 second...
//! Awake!
//! ```

use std::time::Duration;

#[ringio::main]
async fn main() {
    println!("Sleeping for 1 second...");
    ringio::time::sleep(Duration::from_secs(1)).await;
    println!("Awake!");
}
