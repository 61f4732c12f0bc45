//! [`Condition`]: asyncio's `Condition`, a condition variable for [`Lock`].
//!
//! # The guard is never lost
//!
//! asyncio's `Condition.wait()` re-acquires the lock before it returns, even
//! when the waiting task is cancelled, so the `async with` around it can
//! release it. Rust cannot run async code in a destructor, so a dropped wait
//! cannot re-acquire. The design here gets the same guarantee, that the lock
//! is never lost or left held by nobody, by ownership instead:
//!
//! - [`Condition::wait`] takes the [`LockGuard`] by value and gives one back.
//!   While it waits, the future owns everything: first the guard, then its
//!   place in the condition's queue, then a [`Lock::lock`] future.
//! - If the wait future is dropped at any of those points, what it owns is
//!   dropped with it: the guard unlocks, or the lock future hands the lock to
//!   the next waiter of the lock (FIFO), or releases it. The caller gave the
//!   guard away, so nothing can still refer to the lock as held.
//! - A notification that the dropped wait had already received, and that its
//!   caller never saw, is passed on to the next waiter of the condition, as
//!   asyncio 3.13 does.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::lock::{Lock, LockFuture, LockGuard};
use crate::shim::{lock, Mutex};
use crate::waiters::{Key, Removed, WaitList, Wakeups};

/// A condition variable: tasks wait, holding a [`Lock`], until notified
/// (asyncio's `Condition`).
///
/// [`wait`](Condition::wait) takes the lock's guard, releases the lock while
/// it waits, and re-acquires it before returning the guard. Notifications wake
/// waiters in the order they started waiting; like any condition variable,
/// check the condition again after waking, or use
/// [`wait_for`](Condition::wait_for), which does.
///
/// Use a condition with one lock only. Notifications are not stored: a
/// `notify` with nobody waiting does nothing, so change the shared state and
/// notify while holding the lock, as in asyncio.
///
/// ```
/// # ringio::sync::block_on_for_doctests(async {
/// use ringio::sync::{Condition, Lock};
///
/// let lock = Lock::new(false);
/// let ready = Condition::new();
/// // Elsewhere: `*lock.lock().await = true; ready.notify_all();`
/// # *lock.lock().await = true;
/// let guard = ready.wait_for(lock.lock().await, |ok| *ok).await;
/// assert!(*guard);
/// # });
/// ```
pub struct Condition {
    waiters: Mutex<WaitList<()>>,
}

impl Condition {
    /// A condition with no waiters.
    pub fn new() -> Self {
        Self {
            waiters: Mutex::new(WaitList::new()),
        }
    }

    /// Releases the lock held by `guard`, waits to be notified, then
    /// re-acquires the lock and returns its guard.
    ///
    /// Dropping the returned future never loses the lock: see the
    /// [module docs](crate::condition) for how.
    pub fn wait<'a, T>(&self, guard: LockGuard<'a, T>) -> ConditionWait<'_, 'a, T> {
        ConditionWait {
            condition: self,
            lock: guard.lock(),
            stage: Stage::Start(Some(guard)),
        }
    }

    /// Waits until `predicate` returns true for the guarded value, and returns
    /// the guard (asyncio's `wait_for`). The predicate is checked first, and
    /// then after every wake-up, always with the lock held.
    pub async fn wait_for<'a, T>(
        &self,
        mut guard: LockGuard<'a, T>,
        mut predicate: impl FnMut(&mut T) -> bool,
    ) -> LockGuard<'a, T> {
        while !predicate(&mut guard) {
            guard = self.wait(guard).await;
        }
        guard
    }

    /// Wakes up to `n` waiting tasks, longest-waiting first.
    pub fn notify(&self, n: usize) {
        let mut wakeups = Wakeups::new();
        {
            let mut waiters = lock(&self.waiters);
            for _ in 0..n {
                if waiters.is_empty() {
                    break;
                }
                wakeups.push(waiters.notify_front());
            }
        }
        wakeups.wake();
    }

    /// Wakes every waiting task.
    pub fn notify_all(&self) {
        let mut wakeups = Wakeups::new();
        lock(&self.waiters).notify_all(&mut wakeups);
        wakeups.wake();
    }
}

impl Default for Condition {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condition")
            .field("waiters", &lock(&self.waiters).len())
            .finish()
    }
}

enum Stage<'a, T> {
    /// Not polled yet: still holding the caller's guard.
    Start(Option<LockGuard<'a, T>>),
    /// Registered with the condition, lock released.
    Waiting(Key),
    /// Notified; getting the lock back.
    Reacquire(LockFuture<'a, T>),
    /// Returned the guard.
    Done,
}

/// The future returned by [`Condition::wait`].
#[must_use = "futures do nothing unless polled"]
pub struct ConditionWait<'c, 'a, T> {
    condition: &'c Condition,
    lock: &'a Lock<T>,
    stage: Stage<'a, T>,
}

// The guard inside is never pinned (nothing borrows it), so the future can
// move freely whatever `T` is.
impl<T> Unpin for ConditionWait<'_, '_, T> {}

impl<'a, T> Future for ConditionWait<'_, 'a, T> {
    type Output = LockGuard<'a, T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard<'a, T>> {
        let this = self.get_mut();
        loop {
            match &mut this.stage {
                Stage::Start(guard) => {
                    // Register before unlocking: a notify issued by whoever
                    // takes the lock next will find us.
                    let key = lock(&this.condition.waiters).push_back(Some(cx.waker().clone()), ());
                    drop(guard.take());
                    this.stage = Stage::Waiting(key);
                    return Poll::Pending;
                }
                Stage::Waiting(key) => {
                    if lock(&this.condition.waiters)
                        .poll(*key, cx.waker())
                        .is_none()
                    {
                        return Poll::Pending;
                    }
                    this.stage = Stage::Reacquire(this.lock.lock());
                }
                Stage::Reacquire(relock) => {
                    let Poll::Ready(guard) = Pin::new(relock).poll(cx) else {
                        return Poll::Pending;
                    };
                    this.stage = Stage::Done;
                    return Poll::Ready(guard);
                }
                Stage::Done => return Poll::Pending,
            }
        }
    }
}

impl<T> Drop for ConditionWait<'_, '_, T> {
    fn drop(&mut self) {
        let notified = match std::mem::replace(&mut self.stage, Stage::Done) {
            Stage::Waiting(key) => matches!(
                lock(&self.condition.waiters).remove(key),
                Some(Removed::Notified(()))
            ),
            // Dropping the lock future hands the lock on; the notification
            // it consumed was never seen by the caller.
            Stage::Reacquire(_) => true,
            Stage::Start(_) | Stage::Done => false,
        };
        if notified {
            self.condition.notify(1);
        }
    }
}

impl<T> fmt::Debug for ConditionWait<'_, '_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stage = match self.stage {
            Stage::Start(_) => "start",
            Stage::Waiting(_) => "waiting",
            Stage::Reacquire(_) => "reacquiring",
            Stage::Done => "done",
        };
        f.debug_struct("ConditionWait")
            .field("stage", &stage)
            .finish()
    }
}
