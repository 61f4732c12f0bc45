//! #[ringio::test]: each test gets a fresh runtime, may return a Result, and
//! fails with a clear message when it outlives `timeout_ms`.

use std::time::Duration;

use ringio::time::sleep;

#[ringio::test]
async fn runs_on_a_ringio_loop() {
    let handle = ringio::spawn(async { "spawned" });
    assert_eq!(handle.await.unwrap(), "spawned");
}

#[ringio::test(entries = 8)]
async fn accepts_a_ring_size() {
    sleep(Duration::from_millis(1)).await;
}

#[ringio::test]
async fn fresh_runtime_per_test() {
    // No tasks left over from other tests.
    assert!(ringio::task::all_tasks().is_empty());
}

#[ringio::test(timeout_ms = 2000)]
async fn may_return_a_result() -> Result<(), std::num::ParseIntError> {
    let n: u32 = "12".parse()?;
    assert_eq!(n, 12);
    Ok(())
}

#[ringio::test(timeout_ms = 20)]
#[should_panic(expected = "test `times_out` timed out: still running after 20 ms")]
async fn times_out() {
    sleep(Duration::from_secs(600)).await;
}
