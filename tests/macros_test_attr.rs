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
    // No tasks left over from other tests: only the test's own main task.
    let all = ringio::task::all_tasks();
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0].name, "main");
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

static THREE: std::sync::LazyLock<std::sync::Arc<std::sync::Barrier>> =
    std::sync::LazyLock::new(|| std::sync::Arc::new(std::sync::Barrier::new(3)));

// Three copies, each on a loop of its own thread: all three must be running
// at once to pass the barrier (waited on the blocking pool, so each loop
// stays live and its timeout can fire).
#[ringio::test(threads = 3, timeout_ms = 10000)]
async fn threads_run_a_copy_on_each_loop() {
    let barrier = THREE.clone();
    ringio::spawn_blocking(move || {
        barrier.wait();
    })
    .await
    .unwrap();
}

#[ringio::test(threads = 2, timeout_ms = 20)]
#[should_panic(expected = "timed out: the copy on loop 0 was still running after 20 ms")]
async fn threads_each_copy_has_the_timeout() {
    sleep(Duration::from_secs(600)).await;
}

#[ringio::test(threads = 2)]
async fn threads_combine_results() -> Result<(), String> {
    Ok(())
}

#[ringio::test(debug)]
async fn debug_turns_debug_mode_on() {
    // Debug mode tracks the operations tasks wait on; only it does.
    assert!(ringio::task::dump().operations_known);
}

#[ringio::test(entries = 8, debug = false)]
async fn debug_false_leaves_it_off() {
    assert!(!ringio::task::dump().operations_known);
}
