//! `timeout` and `timeout_at`: tokio's timeout (asyncio's `wait_for`, but
//! detaching a task it waited on; see `task::wait_for`).

use std::fmt;
use std::future::{poll_fn, Future, IntoFuture};
use std::io;
use std::pin::pin;
use std::task::Poll;
use std::time::{Duration, Instant};

use super::sleep::{sleep_until, Sleep};

/// The deadline of a [`timeout`] passed before its future finished
/// (asyncio's `TimeoutError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elapsed(());

impl Elapsed {
    pub(crate) fn new() -> Elapsed {
        Elapsed(())
    }
}

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("deadline has elapsed before the operation finished")
    }
}

impl std::error::Error for Elapsed {}

impl From<Elapsed> for io::Error {
    fn from(e: Elapsed) -> io::Error {
        io::Error::new(io::ErrorKind::TimedOut, e)
    }
}

/// Runs `future` for at most `duration`, tokio's `timeout`.
///
/// Returns `Err(Elapsed)` when the time runs out first; the future is then
/// dropped (cancelled). The future gets one poll even with a zero duration,
/// so a ready result is never thrown away. The deadline is fixed when
/// `timeout` is called.
///
/// Dropping a [`JoinHandle`](crate::JoinHandle) **detaches** its task, so
/// `timeout(d, handle)` stops waiting for a task but leaves it running, as
/// tokio's `timeout` does. asyncio's `wait_for(task, t)` cancels the task:
/// that is [`task::wait_for`](crate::task::wait_for).
pub fn timeout<F: IntoFuture>(
    duration: Duration,
    future: F,
) -> impl Future<Output = Result<F::Output, Elapsed>> {
    race(future.into_future(), deadline_timer(duration))
}

/// The timer of a timeout of `duration` from now: ends at once at its first
/// poll when the duration is zero; never when it is too long to represent.
pub(crate) fn deadline_timer(duration: Duration) -> Sleep {
    match Instant::now().checked_add(duration) {
        Some(deadline) => sleep_until(deadline).ready_if_past(),
        None => super::sleep(Duration::MAX),
    }
}

/// Runs `future` until `deadline`, as [`timeout`].
pub fn timeout_at<F: IntoFuture>(
    deadline: Instant,
    future: F,
) -> impl Future<Output = Result<F::Output, Elapsed>> {
    race(future.into_future(), sleep_until(deadline).ready_if_past())
}

async fn race<F: Future>(future: F, sleep: Sleep) -> Result<F::Output, Elapsed> {
    let mut future = pin!(future);
    let mut sleep = pin!(sleep);
    poll_fn(|cx| {
        if let Poll::Ready(v) = future.as_mut().poll(cx) {
            return Poll::Ready(Ok(v));
        }
        match sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(Elapsed(()))),
            Poll::Pending => Poll::Pending,
        }
    })
    .await
}
