//! [`TimeoutScope`]: asyncio's `async with asyncio.timeout(delay) as cm:`,
//! a deadline that the code inside can read and move.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::{poll_fn, Future, IntoFuture};
use std::pin::pin;
use std::rc::Rc;
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};

use super::sleep::{sleep_until, Sleep};
use super::timeout::Elapsed;
use crate::task::propagate::{cancel_and_wait, CancelOnDrop};

/// A deadline for a block of work that can be read and moved while the
/// work runs, as the context manager of asyncio's `timeout()` /
/// `timeout_at()`: [`when`](TimeoutScope::when),
/// [`reschedule`](TimeoutScope::reschedule),
/// [`expired`](TimeoutScope::expired).
///
/// Make one with [`timeout_scope`] or [`timeout_scope_at`], hand clones to
/// the work, and [`run`](TimeoutScope::run) the work under it. `None` is no
/// deadline (asyncio's `timeout(None)`), to be set later.
///
/// ```
/// use std::time::{Duration, Instant};
/// use ringio::time::{sleep, timeout_scope};
///
/// ringio::run(async {
///     let scope = timeout_scope(Some(Duration::from_millis(10)));
///     let inner = scope.clone();
///     let out = scope
///         .run(async move {
///             // Needs longer than planned: move the deadline.
///             inner.reschedule(Some(Instant::now() + Duration::from_secs(5)));
///             sleep(Duration::from_millis(30)).await;
///             "done"
///         })
///         .await;
///     assert_eq!(out, Ok("done"));
///     assert!(!scope.expired());
/// })
/// .unwrap();
/// ```
#[derive(Clone)]
pub struct TimeoutScope {
    inner: Rc<Inner>,
}

struct Inner {
    deadline: Cell<Option<Instant>>,
    expired: Cell<bool>,
    /// The waker of the `run` in progress, woken when the deadline moves.
    waker: RefCell<Option<Waker>>,
}

impl fmt::Debug for TimeoutScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TimeoutScope")
            .field("when", &self.when())
            .field("expired", &self.expired())
            .finish()
    }
}

/// A [`TimeoutScope`] whose deadline is `delay` from now (`None`: none
/// yet), as asyncio's `timeout(delay)`.
pub fn timeout_scope(delay: Option<Duration>) -> TimeoutScope {
    timeout_scope_at(delay.and_then(|d| Instant::now().checked_add(d)))
}

/// A [`TimeoutScope`] with the deadline `when` (`None`: none yet), as
/// asyncio's `timeout_at(when)`.
pub fn timeout_scope_at(when: Option<Instant>) -> TimeoutScope {
    TimeoutScope {
        inner: Rc::new(Inner {
            deadline: Cell::new(when),
            expired: Cell::new(false),
            waker: RefCell::new(None),
        }),
    }
}

impl TimeoutScope {
    /// The current deadline, `None` when there is none (asyncio's `when()`).
    pub fn when(&self) -> Option<Instant> {
        self.inner.deadline.get()
    }

    /// Moves the deadline (`None` removes it), also while the work runs,
    /// as asyncio's `reschedule()`. A deadline already past ends the work
    /// at its next poll.
    pub fn reschedule(&self, when: Option<Instant>) {
        self.inner.deadline.set(when);
        let waker = self.inner.waker.borrow_mut().take();
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// True once the deadline cut the work short (asyncio's `expired()`).
    pub fn expired(&self) -> bool {
        self.inner.expired.get()
    }

    /// Runs `work` until it finishes or the deadline passes; then the work
    /// is cancelled as asyncio's `timeout()` cancels it (dropped, and the
    /// tasks whose handles it awaited aborted and waited for, as
    /// [`task::wait_for`](crate::task::wait_for) does) and the result is
    /// `Err(Elapsed)`. Dropping the returned future aborts those tasks too.
    /// The work gets one poll even if the deadline has passed already.
    pub fn run<F: IntoFuture>(
        &self,
        work: F,
    ) -> impl Future<Output = Result<F::Output, Elapsed>> + use<'_, F> {
        CancelOnDrop::new(self.run_inner(work.into_future()))
    }

    async fn run_inner<F: Future>(&self, work: F) -> Result<F::Output, Elapsed> {
        let mut work = pin!(Some(work));
        let mut timer: Option<(Instant, std::pin::Pin<Box<Sleep>>)> = None;
        let done = poll_fn(|cx| {
            if let Some(w) = work.as_mut().as_pin_mut() {
                if let Poll::Ready(v) = w.poll(cx) {
                    *self.inner.waker.borrow_mut() = None;
                    return Poll::Ready(Some(v));
                }
            }
            *self.inner.waker.borrow_mut() = Some(cx.waker().clone());
            let Some(deadline) = self.inner.deadline.get() else {
                timer = None;
                return Poll::Pending;
            };
            if deadline <= Instant::now() {
                self.inner.expired.set(true);
                *self.inner.waker.borrow_mut() = None;
                return Poll::Ready(None);
            }
            let sleep = match &mut timer {
                Some((at, sleep)) if *at == deadline => sleep,
                slot => &mut slot.insert((deadline, Box::pin(sleep_until(deadline)))).1,
            };
            match sleep.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    self.inner.expired.set(true);
                    *self.inner.waker.borrow_mut() = None;
                    Poll::Ready(None)
                }
                Poll::Pending => Poll::Pending,
            }
        })
        .await;
        match done {
            Some(v) => Ok(v),
            None => {
                cancel_and_wait(work).await;
                Err(Elapsed::new())
            }
        }
    }
}
