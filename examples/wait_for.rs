//! Seed 000, "Timeouts": `asyncio.wait_for(myfunc(), timeout=1.0)` on a
//! coroutine that sleeps ten minutes prints `timeout!` after one second.
//!
//! ```text
//! timeout!
//! ```

use std::time::Duration;

use ringio::time::{sleep, timeout};

async fn myfunc() {
    // Sleep ten minutes.
    sleep(Duration::from_secs(600)).await;
    println!("hello!");
}

fn main() -> Result<(), ringio::RuntimeError> {
    ringio::run(async {
        // Wait at most one second.
        match timeout(Duration::from_secs(1), myfunc()).await {
            Ok(()) => println!("finished"),
            Err(_elapsed) => println!("timeout!"),
        }
    })
}
