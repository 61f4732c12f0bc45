//! Seed 000, "Running an asyncio Program": `asyncio.run(main())` where main
//! sleeps one second, then prints "hello".
//!
//! ```text
//! hello
//! ```

use std::time::Duration;

async fn main_coroutine() {
    ringio::time::sleep(Duration::from_secs(1)).await;
    println!("hello");
}

fn main() -> Result<(), ringio::RuntimeError> {
    ringio::run(main_coroutine())
}
