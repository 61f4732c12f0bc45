//! Cancellation that reaches the tasks a cancelled future was awaiting, as
//! asyncio's does.
//!
//! In asyncio, cancelling a task that is blocked on another task cancels
//! that one too (`Task.cancel()` cancels the future it waits on), and
//! `gather` and `wait_for` cancel what they wait on when they are cancelled.
//! In Rust a cancelled future is dropped, and dropping a [`JoinHandle`]
//! detaches its task; so the places that cancel in asyncio's sense drop
//! their futures inside a *cancelling scope*, and a `JoinHandle` that was
//! awaited (polled at least once) and is dropped inside one aborts its task
//! instead of detaching it:
//!
//! - the executor, when it drops the future of an aborted task;
//! - [`gather!`](crate::gather) and [`gather_all`](super::gather_all) (and
//!   their `try_` forms) when they are dropped before they finished;
//! - [`wait_for`](super::wait_for) and
//!   [`TimeoutScope::run`](crate::time::TimeoutScope::run) when they are
//!   dropped, and when their time runs out: then they also wait for those
//!   tasks to end, as asyncio's `wait_for` and `timeout()` wait for the
//!   cancelled inner task.
//!
//! Elsewhere (tokio-style [`time::timeout`](crate::time::timeout),
//! `select!`, a plain drop) a dropped handle detaches, and a handle held but
//! never awaited detaches everywhere. [`shield`](super::shield),
//! [`wait`](super::wait) and [`as_completed`](super::as_completed) never
//! cancel the tasks they were given, as in asyncio.

use std::cell::RefCell;
use std::fmt;
use std::future::{poll_fn, Future};
use std::mem::ManuallyDrop;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::join::TaskEnd;

/// What a `JoinHandle` dropped now should do with its task.
pub(crate) enum OnDrop {
    /// No cancelling scope: the task runs on, detached.
    Detach,
    /// Abort the task.
    Abort,
    /// Abort the task, and hand the wait for its end to the scope.
    AbortAndCollect,
}

thread_local! {
    /// The cancelling scopes entered on this thread, innermost last;
    /// `Some` collects the ends of the tasks aborted in it.
    static SCOPES: RefCell<Vec<Option<Vec<TaskEnd>>>> = const { RefCell::new(Vec::new()) };
}

/// Leaves the innermost scope, also by unwinding; gives what it collected.
struct ScopeGuard;

impl ScopeGuard {
    fn enter(collect: bool) -> ScopeGuard {
        let _ = SCOPES.try_with(|s| s.borrow_mut().push(collect.then(Vec::new)));
        ScopeGuard
    }

    fn leave(self) -> Vec<TaskEnd> {
        let ends = SCOPES
            .try_with(|s| s.borrow_mut().pop().flatten())
            .ok()
            .flatten()
            .unwrap_or_default();
        std::mem::forget(self);
        ends
    }
}

impl Drop for ScopeGuard {
    fn drop(&mut self) {
        let left = SCOPES.try_with(|s| s.borrow_mut().pop()).ok().flatten();
        // The ends (already aborted tasks) detach; not under the borrow.
        drop(left);
    }
}

/// Runs `f` (which drops futures) so that the tasks they awaited are
/// aborted.
pub(crate) fn cancelling<R>(f: impl FnOnce() -> R) -> R {
    let guard = ScopeGuard::enter(false);
    let out = f();
    drop(guard.leave());
    out
}

/// As [`cancelling`], and returns the ends of the aborted tasks to wait on.
pub(crate) fn cancelling_collect(f: impl FnOnce()) -> Vec<TaskEnd> {
    let guard = ScopeGuard::enter(true);
    f();
    guard.leave()
}

/// Called by a dropped `JoinHandle` whose task has not ended and which was
/// awaited: what the innermost scope says to do.
pub(crate) fn on_drop() -> OnDrop {
    SCOPES
        .try_with(|s| match s.borrow().last() {
            None => OnDrop::Detach,
            Some(None) => OnDrop::Abort,
            Some(Some(_)) => OnDrop::AbortAndCollect,
        })
        .unwrap_or(OnDrop::Detach)
}

/// Hands the end of an aborted task to the innermost collecting scope (or
/// lets it go, detached, when there is none).
pub(crate) fn collect(end: TaskEnd) {
    let mut end = Some(end);
    let _ = SCOPES.try_with(|s| {
        if let Some(Some(ends)) = s.borrow_mut().last_mut() {
            ends.extend(end.take());
        }
    });
    // Not under the borrow: a release may run user destructors.
    drop(end);
}

/// Cancels the future in `slot` as asyncio cancels what it awaits: drops
/// it, aborting the tasks it awaited, and waits until those have ended.
pub(crate) async fn cancel_and_wait<F>(mut slot: Pin<&mut Option<F>>) {
    let mut ends = cancelling_collect(|| slot.set(None));
    poll_fn(|cx| {
        let mut all = true;
        for end in ends.iter_mut() {
            all &= Pin::new(end).poll(cx).is_ready();
        }
        if all {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await
}

/// A future whose drop (before or after it finished) runs in a cancelling
/// scope: the tasks it awaited are aborted with it.
pub(crate) struct CancelOnDrop<F> {
    inner: ManuallyDrop<F>,
}

impl<F> CancelOnDrop<F> {
    pub(crate) fn new(inner: F) -> CancelOnDrop<F> {
        CancelOnDrop {
            inner: ManuallyDrop::new(inner),
        }
    }
}

impl<F: Future> Future for CancelOnDrop<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // SAFETY: structural pinning of `inner`: it is never moved out, and
        // it is dropped in place (in `drop`), as the pin contract requires.
        let inner = unsafe { self.map_unchecked_mut(|s| &mut *s.inner) };
        inner.poll(cx)
    }
}

impl<F> Drop for CancelOnDrop<F> {
    fn drop(&mut self) {
        // SAFETY: `inner` is dropped once, here, in place, and never used
        // after.
        cancelling(|| unsafe { ManuallyDrop::drop(&mut self.inner) });
    }
}

impl<F> fmt::Debug for CancelOnDrop<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CancelOnDrop")
    }
}
