//! asyncio's `loop.call_soon`, `call_later` and `call_at`.

use std::fmt;
use std::time::{Duration, Instant};

use crate::task::{spawn, JoinHandle};
use crate::time::sleep_until;

/// A scheduled callback; [`cancel`](TimerHandle::cancel) stops it if it has
/// not run. Dropping the handle does not cancel (as in asyncio).
pub struct TimerHandle {
    task: JoinHandle<()>,
    when: Instant,
}

impl TimerHandle {
    /// Cancels the callback; no effect once it ran.
    pub fn cancel(&self) {
        self.task.abort();
    }

    /// True once the callback ran or was cancelled.
    pub fn is_done(&self) -> bool {
        self.task.is_finished()
    }

    /// When the callback is (or was) due.
    pub fn when(&self) -> Instant {
        self.when
    }
}

impl fmt::Debug for TimerHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimerHandle")
            .field("when", &self.when)
            .field("done", &self.is_done())
            .finish()
    }
}

/// Runs `f` at the loop's next turn, after the tasks already queued.
///
/// # Panics
///
/// When no ringio loop runs on this thread.
pub fn call_soon<F: FnOnce() + 'static>(f: F) -> TimerHandle {
    let when = Instant::now();
    // A new task goes to the back of the run queue: after what is queued.
    let task = spawn(async move { f() });
    TimerHandle { task, when }
}

/// Runs `f` after `delay`.
///
/// # Panics
///
/// When no ringio loop runs on this thread.
pub fn call_later<F: FnOnce() + 'static>(delay: Duration, f: F) -> TimerHandle {
    let when = Instant::now().checked_add(delay).unwrap_or_else(far_future);
    call_at(when, f)
}

/// Runs `f` at `when`.
///
/// # Panics
///
/// When no ringio loop runs on this thread.
pub fn call_at<F: FnOnce() + 'static>(when: Instant, f: F) -> TimerHandle {
    let task = spawn(async move {
        sleep_until(when).await;
        f();
    });
    TimerHandle { task, when }
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(86400 * 365 * 30)
}
