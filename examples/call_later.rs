//! asyncio's `loop.call_soon` / `call_later` / `call_at`: schedule plain
//! callbacks on the loop; a handle can cancel one before it runs.
//!
//! ```text
//! call_soon: right away
//! call_at: after 100 ms
//! call_later: after 200 ms
//! done (the cancelled callback never ran)
//! ```

use std::time::{Duration, Instant};

use ringio::{call_at, call_later, call_soon};

fn main() -> Result<(), ringio::RuntimeError> {
    ringio::run(async {
        call_later(Duration::from_millis(200), || {
            println!("call_later: after 200 ms")
        });
        call_at(Instant::now() + Duration::from_millis(100), || {
            println!("call_at: after 100 ms")
        });
        let cancelled = call_later(Duration::from_millis(150), || println!("never printed"));
        call_soon(|| println!("call_soon: right away"));
        cancelled.cancel();
        ringio::time::sleep(Duration::from_millis(300)).await;
        println!("done (the cancelled callback never ran)");
    })
}
