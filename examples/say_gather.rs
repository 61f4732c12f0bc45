//! Seed 002, "Running Multiple Coroutines": `gather(say('Hello', 1),
//! say('World', 2))` runs both at once, so "World" comes one second after
//! "Hello", two seconds in all (not three).
//!
//! ```text
//! Hello
//! World
//! ```

use std::time::Duration;

async fn say(text: &str, delay: u64) {
    ringio::time::sleep(Duration::from_secs(delay)).await;
    println!("{text}");
}

#[ringio::main]
async fn main() {
    ringio::gather!(say("Hello", 1), say("World", 2)).await;
}
