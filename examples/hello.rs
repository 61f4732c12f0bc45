//! Seed 001's first program: print, sleep one second, print.
//!
//! ```text
//! Hello, World!
//! Goodbye.
//! ```

use std::time::Duration;

fn main() -> Result<(), ringio::RuntimeError> {
    ringio::run(async {
        println!("Hello, World!");
        ringio::time::sleep(Duration::from_secs(1)).await;
        println!("Goodbye.");
    })
}
