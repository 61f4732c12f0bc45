//! asyncio's `shield`: work that must finish even if its awaiter gives up.
//! main waits at most 100 ms for a save that takes 300 ms; the timeout
//! drops the shield, not the save, which goes on and finishes.
//!
//! ```text
//! saving...
//! gave up waiting for the save
//! save finished anyway
//! main done
//! ```

use std::time::Duration;

use ringio::task::shield;
use ringio::time::{sleep, timeout};

async fn save() {
    println!("saving...");
    sleep(Duration::from_millis(300)).await;
    println!("save finished anyway");
}

#[ringio::main]
async fn main() {
    let saving = shield(save());
    if timeout(Duration::from_millis(100), saving).await.is_err() {
        println!("gave up waiting for the save");
    }
    sleep(Duration::from_millis(400)).await;
    println!("main done");
}
