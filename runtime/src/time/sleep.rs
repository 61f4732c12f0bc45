//! `sleep` and `sleep_until`.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use super::wheel::Timer;
use crate::context;
use crate::handle::Handle;

/// Waits until `duration` has passed, as asyncio's `await asyncio.sleep(d)`.
///
/// `sleep(Duration::ZERO)` gives the other tasks a turn, as asyncio's
/// `sleep(0)` does: it completes at the loop's next turn, like
/// [`yield_now`](crate::task::yield_now).
///
/// # Panics
///
/// When polled on a thread where no ringio loop runs.
pub fn sleep(duration: Duration) -> Sleep {
    let deadline = Instant::now().checked_add(duration);
    let mut sleep = Sleep::new(deadline);
    sleep.yield_first = duration.is_zero();
    sleep
}

/// Waits until `deadline`.
///
/// # Panics
///
/// When polled on a thread where no ringio loop runs.
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep::new(Some(deadline))
}

/// The future of [`sleep`] and [`sleep_until`]. Dropping it removes the
/// timer.
#[must_use = "futures do nothing unless awaited"]
pub struct Sleep {
    /// `None`: too far to represent; never fires.
    deadline: Option<Instant>,
    timer: Option<(Rc<Handle>, Timer)>,
    done: bool,
    /// `sleep(ZERO)`: yield once before completing (asyncio's `sleep(0)`).
    yield_first: bool,
    /// A timeout's sleep: a deadline already past at the first poll ends
    /// it at once (asyncio's `wait_for(aw, 0)`), not a turn later.
    ready_if_past: bool,
}

impl Sleep {
    fn new(deadline: Option<Instant>) -> Sleep {
        Sleep {
            deadline,
            timer: None,
            done: false,
            yield_first: false,
            ready_if_past: false,
        }
    }

    /// Makes a deadline already past at the first poll complete at once
    /// instead of at the loop's next turn (for timeouts).
    pub(crate) fn ready_if_past(mut self) -> Sleep {
        self.ready_if_past = true;
        self
    }

    /// When this sleep ends (`None` if the duration was too long to represent).
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// True once the deadline was reached and observed.
    pub fn is_elapsed(&self) -> bool {
        self.done
    }

    /// Moves the deadline, re-arming a sleep that already completed.
    pub fn reset(&mut self, deadline: Instant) {
        self.unregister();
        self.deadline = Some(deadline);
        self.done = false;
    }

    fn unregister(&mut self) {
        if let Some((handle, timer)) = self.timer.take() {
            if let Ok(mut wheel) = handle.timers.try_borrow_mut() {
                wheel.remove(&timer);
            }
        }
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.done {
            return Poll::Ready(());
        }
        if self.yield_first {
            // sleep(ZERO): one turn, as yield_now (not through the wheel,
            // whose ticks are 1 ms).
            self.yield_first = false;
            self.done = true;
            crate::task::wake_after_turn(cx.waker());
            return Poll::Pending;
        }
        if let Some((handle, timer)) = &self.timer {
            let mut wheel = handle.timers.borrow_mut();
            if wheel.is_fired(timer) {
                // The wheel dropped the entry as it fired.
                drop(wheel);
                self.timer = None;
                self.done = true;
                return Poll::Ready(());
            }
            wheel.set_waker(timer, cx.waker());
            return Poll::Pending;
        }
        let handle = match context::current() {
            Some(h) => h,
            None => panic!("{}", crate::error::no_runtime()),
        };
        let (tick, deadline) = match self.deadline {
            // Beyond Instant's range: park forever (until dropped).
            None => (u64::MAX, None),
            // Already past (the loop was late to first poll this sleep):
            // the wheel fires it at the next turn, in deadline order with
            // the other due timers, rather than at once in poll order.
            Some(deadline) if deadline <= Instant::now() => {
                if self.ready_if_past {
                    self.done = true;
                    return Poll::Ready(());
                }
                (0, Some(deadline))
            }
            Some(deadline) => (handle.deadline_tick(deadline), Some(deadline)),
        };
        let timer = handle
            .timers
            .borrow_mut()
            .insert(tick, deadline, cx.waker().clone());
        self.timer = Some((handle, timer));
        Poll::Pending
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        self.unregister();
    }
}

impl std::fmt::Debug for Sleep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sleep")
            .field("deadline", &self.deadline)
            .field("done", &self.done)
            .finish()
    }
}
