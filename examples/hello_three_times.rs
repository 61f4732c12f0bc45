//! Seed 000, "Sleeping": `for _ in range(3)`, sleep one second and print
//! "Hello" (about 3 s in all).
//!
//! ```text
//! Hello
//! Hello
//! Hello
//! ```

use std::time::Duration;

use ringio::time::sleep;

#[ringio::main]
async fn main() {
    for _ in 0..3 {
        sleep(Duration::from_secs(1)).await;
        println!("Hello");
    }
}
