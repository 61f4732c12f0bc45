//! Waiting for the first of several operations and cancelling the rest
//! (asyncio: `wait(..., return_when=FIRST_COMPLETED)`, then cancel the
//! pending ones). `select!` runs its branches until one finishes and drops
//! the others, which is how Rust cancels: their destructors run.
//!
//! ```text
//! mirror-a dropped: cancelled
//! fastest: mirror-b after 50 ms
//! ```

use std::time::Duration;

use ringio::time::sleep;

/// Prints when dropped before it finished: the losing download.
struct Download {
    name: &'static str,
    finished: bool,
}

impl Drop for Download {
    fn drop(&mut self) {
        if !self.finished {
            println!("{} dropped: cancelled", self.name);
        }
    }
}

async fn fetch(name: &'static str, ms: u64) -> String {
    let mut download = Download {
        name,
        finished: false,
    };
    sleep(Duration::from_millis(ms)).await;
    download.finished = true;
    format!("{name} after {ms} ms")
}

#[ringio::main]
async fn main() {
    let fastest = ringio::select! {
        a = fetch("mirror-a", 500) => a,
        b = fetch("mirror-b", 50) => b,
    };
    println!("fastest: {fastest}");
}
