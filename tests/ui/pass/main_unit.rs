//! A plain `async fn main`, with spawned tasks and a sleep.
use std::time::Duration;

#[ringio::main]
async fn main() {
    let task = ringio::spawn(async { 21 * 2 });
    ringio::time::sleep(Duration::from_millis(1)).await;
    assert_eq!(task.await.unwrap(), 42);
}
