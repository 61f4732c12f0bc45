//! Seed 003, `fn2` started with `create_task` (`ringio::spawn`): it runs
//! whenever `fn` waits, so the output interleaves (one, four, two, five,
//! three), in about 2 s.
//!
//! ```text
//! one
//! four
//! two
//! five
//! three
//! ```

use std::time::Duration;

use ringio::time::sleep;

async fn r#fn() {
    let _task = ringio::spawn(fn2());
    println!("one");
    println!("four");
    sleep(Duration::from_secs(1)).await;
    println!("five");
    sleep(Duration::from_secs(1)).await;
}

async fn fn2() {
    println!("two");
    sleep(Duration::from_secs(1)).await;
    println!("three");
}

fn main() -> Result<(), ringio::RuntimeError> {
    ringio::run(r#fn())
}
