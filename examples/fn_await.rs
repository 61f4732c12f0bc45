//! Seed 003, "Async Event Loop in Python": `fn` awaits `fn2` in the middle,
//! so the output stays in call order (one, two, three, four, five), and
//! the sleeps add up: about 5 s (compare `fn_create_task`).
//!
//! ```text
//! one
//! two
//! three
//! four
//! five
//! ```

use std::time::Duration;

use ringio::time::sleep;

async fn r#fn() {
    println!("one");
    sleep(Duration::from_secs(1)).await;
    fn2().await;
    println!("four");
    sleep(Duration::from_secs(1)).await;
    println!("five");
    sleep(Duration::from_secs(1)).await;
}

async fn fn2() {
    sleep(Duration::from_secs(1)).await;
    println!("two");
    sleep(Duration::from_secs(1)).await;
    println!("three");
}

fn main() -> Result<(), ringio::RuntimeError> {
    ringio::run(r#fn())
}
