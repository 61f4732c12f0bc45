//! Seed 000's first program: a coroutine that says it is waiting, then
//! prints "Hello" five times, one second apart, and says it has finished
//! (about 5 s in all). `#[ringio::main]` is `asyncio.run(main())`. The
//! seed's text reads "Waiting seconds." (its number was lost), and so does
//! this program, so that CI can compare the two line by line.
//!
//! ```text
//! Waiting seconds.
//! Hello
//! Hello
//! Hello
//! Hello
//! Hello
//! Finished waiting.
//! ```

use std::time::Duration;

use ringio::time::sleep;

#[ringio::main]
async fn main() {
    println!("Waiting seconds.");
    for _ in 0..5 {
        sleep(Duration::from_secs(1)).await;
        println!("Hello");
    }
    println!("Finished waiting.");
}
