//! Seed 000, "Timeouts": `asyncio.wait_for(myfunc(), timeout=1.0)` on a
//! coroutine that sleeps ten minutes prints `timeout!` after one second.
//!
//! ```text
//! timeout!
//! ```

use std::time::Duration;

use ringio::task::wait_for;
use ringio::time::sleep;

async fn myfunc() {
    // Sleep ten minutes.
    sleep(Duration::from_secs(600)).await;
    println!("hello!");
}

fn main() -> Result<(), ringio::RuntimeError> {
    ringio::run(async {
        // Wait at most one second; on time-out `myfunc` is cancelled (as
        // asyncio's wait_for cancels it; a task given here is aborted and
        // waited for).
        match wait_for(myfunc(), Duration::from_secs(1)).await {
            Ok(()) => println!("finished"),
            Err(_elapsed) => println!("timeout!"),
        }
    })
}
