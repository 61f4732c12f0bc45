//! `wait_for` and `wait_for_at`: asyncio's `wait_for(aw, timeout)`, which
//! cancels what it waited on.

use std::future::{poll_fn, Future, IntoFuture};
use std::pin::pin;
use std::task::Poll;
use std::time::{Duration, Instant};

use super::propagate::{self, CancelOnDrop};
use crate::time::{deadline_timer, sleep_until, Elapsed, Sleep};

/// Waits for `aw` (a future, or a task's [`JoinHandle`](super::JoinHandle))
/// for at most `timeout`, as asyncio's `await wait_for(aw, timeout)`; when
/// the time runs out, **cancels** it and waits until it is cancelled, then
/// gives `Err(Elapsed)` (asyncio's `TimeoutError`).
///
/// Cancelling follows asyncio: the future is dropped, and a task it was
/// awaiting (a handle given here, or one awaited inside the future) is
/// aborted, and `wait_for` returns only once that task has ended. Dropping
/// the `wait_for` future itself (its caller was cancelled) aborts those
/// tasks too, without waiting. This is the difference from
/// [`time::timeout`](crate::time::timeout), tokio's form, which drops the
/// future and so *detaches* a task it was awaiting: use `timeout` to stop
/// waiting but let the work go on, `wait_for` to stop the work.
///
/// The future is polled before the deadline is looked at: a result ready
/// when the time runs out is returned, not thrown away (asyncio returns the
/// result of a task that finished as its wait timed out), and a zero or
/// past timeout still polls it once (where asyncio would not start a
/// coroutine: a Rust future cannot say whether it is done without being
/// polled, and a finished task's result must not be lost).
///
/// ```
/// # ringio::run(async {
/// use std::time::Duration;
/// use ringio::{spawn, task::wait_for, time::sleep};
///
/// let slow = spawn(async { sleep(Duration::from_secs(600)).await });
/// let id = slow.id();
/// assert!(wait_for(slow, Duration::from_millis(10)).await.is_err());
/// // The task was cancelled, not left running.
/// assert!(ringio::task::all_tasks().iter().all(|t| t.id != id));
///
/// let quick = spawn(async { 7 });
/// assert_eq!(wait_for(quick, Duration::from_secs(5)).await.unwrap().unwrap(), 7);
/// # }).unwrap();
/// ```
pub fn wait_for<F: IntoFuture>(
    aw: F,
    timeout: Duration,
) -> impl Future<Output = Result<F::Output, Elapsed>> {
    CancelOnDrop::new(run(aw.into_future(), deadline_timer(timeout)))
}

/// As [`wait_for`], with a deadline instead of a duration.
pub fn wait_for_at<F: IntoFuture>(
    aw: F,
    deadline: Instant,
) -> impl Future<Output = Result<F::Output, Elapsed>> {
    CancelOnDrop::new(run(aw.into_future(), sleep_until(deadline).ready_if_past()))
}

async fn run<F: Future>(future: F, timer: Sleep) -> Result<F::Output, Elapsed> {
    let mut future = pin!(Some(future));
    let mut timer = pin!(timer);
    let done = poll_fn(|cx| {
        if let Some(f) = future.as_mut().as_pin_mut() {
            if let Poll::Ready(v) = f.poll(cx) {
                return Poll::Ready(Some(v));
            }
        }
        timer.as_mut().poll(cx).map(|()| None)
    })
    .await;
    if let Some(v) = done {
        return Ok(v);
    }
    // Cancel it, and wait for the tasks it awaited to end.
    propagate::cancel_and_wait(future).await;
    Err(Elapsed::new())
}
