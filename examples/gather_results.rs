//! Seed 002, "asyncio.gather": two coroutines that each sleep one second
//! run side by side (about 1 s, not 2), and the results come back in
//! argument order. Python prints the list `['foo', 'bar']`; Rust's `{:?}`
//! of the same list is `["foo", "bar"]` (CI compares them with the quoting
//! normalised).
//!
//! ```text
//! ["foo", "bar"]
//! ```

use std::time::Duration;

use ringio::time::sleep;

async fn foo() -> &'static str {
    sleep(Duration::from_secs(1)).await;
    "foo"
}

async fn bar() -> &'static str {
    sleep(Duration::from_secs(1)).await;
    "bar"
}

#[ringio::main]
async fn main() {
    let (first, second) = ringio::gather!(foo(), bar()).await;
    let results = vec![first, second];
    println!("{results:?}");
}
