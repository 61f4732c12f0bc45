//! Seed 003, "I/O-bound tasks using asyncio.sleep()": three functions that
//! wait 2 s, 3 s and 1 s start together under `gather!`, end in order of
//! their waits, and the whole takes about 3 s (the longest), not 6.
//!
//! ```text
//! Function 1 started..
//! Function 2 started..
//! Function 3 started..
//! Function 3 Ended
//! Function 1 Ended
//! Function 2 Ended
//! Main Ended..
//! ```

use std::time::Duration;

use ringio::time::sleep;

async fn func1() {
    println!("Function 1 started..");
    sleep(Duration::from_secs(2)).await;
    println!("Function 1 Ended");
}

async fn func2() {
    println!("Function 2 started..");
    sleep(Duration::from_secs(3)).await;
    println!("Function 2 Ended");
}

async fn func3() {
    println!("Function 3 started..");
    sleep(Duration::from_secs(1)).await;
    println!("Function 3 Ended");
}

#[ringio::main]
async fn main() {
    let _l = ringio::gather!(func1(), func2(), func3()).await;
    println!("Main Ended..");
}
