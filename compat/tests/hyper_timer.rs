//! `RingioTimer`, hyper's `Timer` on ringio's timer wheel: a sleep fires
//! at its deadline, not before; a reset moves it (later, earlier, or again
//! after it fired); a sleep dropped before its deadline leaves no task behind.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Waker};
use std::time::{Duration, Instant};

use hyper::rt::Timer;
use ringio::compat::RingioTimer;

const MS: Duration = Duration::from_millis(1);

/// Generous: the machine is loaded.
const LATE: Duration = Duration::from_secs(10);

/// Waits for `sleep`, failing the test if it has not fired by `LATE`.
async fn bounded<F: Future<Output = ()>>(sleep: F) {
    ringio::time::timeout(LATE, sleep)
        .await
        .expect("the sleep fired within the bound");
}

#[test]
fn sleep_fires_at_its_deadline_and_reset_moves_it() {
    ringio::run(async {
        let start = Instant::now();
        bounded(RingioTimer.sleep(50 * MS)).await;
        let took = start.elapsed();
        assert!(took >= 50 * MS && took < LATE, "slept {took:?}");

        // Reset to later before it fires: it fires at the new deadline.
        let start = Instant::now();
        let mut sleep = RingioTimer.sleep(20 * MS);
        let first = sleep.as_mut().poll(&mut Context::from_waker(Waker::noop()));
        assert!(first.is_pending());
        // Let the watcher arm the first deadline, then move it.
        ringio::yield_now().await;
        RingioTimer.reset(&mut sleep, start + 120 * MS);
        bounded(sleep.as_mut()).await;
        let took = start.elapsed();
        assert!(
            took >= 120 * MS && took < LATE,
            "slept {took:?} after a reset to 120 ms"
        );

        // Reset to earlier: it fires at the new deadline, not the old one.
        let start = Instant::now();
        let mut sleep = RingioTimer.sleep(Duration::from_secs(600));
        let first = sleep.as_mut().poll(&mut Context::from_waker(Waker::noop()));
        assert!(first.is_pending());
        ringio::yield_now().await;
        RingioTimer.reset(&mut sleep, start + 40 * MS);
        bounded(sleep.as_mut()).await;
        let took = start.elapsed();
        assert!(took >= 40 * MS, "slept {took:?} after a reset to 40 ms");

        // Reset after it fired: it waits again.
        let again = Instant::now();
        RingioTimer.reset(&mut sleep, again + 30 * MS);
        bounded(sleep.as_mut()).await;
        let took = again.elapsed();
        assert!(
            took >= 30 * MS && took < LATE,
            "slept {took:?} after a re-arm"
        );
    })
    .unwrap();
}

#[test]
fn a_dropped_sleep_leaves_no_watcher_task() {
    ringio::run(async {
        let before = ringio::task::all_tasks().len();
        let mut sleep: Pin<Box<dyn hyper::rt::Sleep>> = RingioTimer.sleep(Duration::from_secs(600));
        assert!(sleep
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
            .is_pending());
        ringio::yield_now().await;
        assert_eq!(
            ringio::task::all_tasks().len(),
            before + 1,
            "a watcher runs"
        );
        drop(sleep);
        // The watcher sees the drop at its next poll and ends.
        let deadline = Instant::now() + LATE;
        while ringio::task::all_tasks().len() > before {
            assert!(Instant::now() < deadline, "the watcher outlived its sleep");
            ringio::yield_now().await;
        }
    })
    .unwrap();
}
