//! Seed 000, "Creating Tasks": two tasks sleeping 1 s and 2 s run side by
//! side, so the whole program takes about 2 s, not 3.
//!
//! ```text
//! started
//! hello
//! world
//! finished in about 2 s
//! ```

use std::time::{Duration, Instant};

use ringio::time::sleep;

async fn execute(delay: u64, value: &'static str) {
    sleep(Duration::from_secs(delay)).await;
    println!("{value}");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    ringio::run(async {
        let task1 = ringio::spawn(execute(1, "hello"));
        let task2 = ringio::spawn(execute(2, "world"));
        let start = Instant::now();
        println!("started");
        task1.await?;
        task2.await?;
        println!("finished in about {:.0} s", start.elapsed().as_secs_f64());
        Ok(())
    })?
}
