//! [`Semaphore`]: asyncio's `Semaphore`, with RAII permits.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::shim::{lock, Mutex};
use crate::waiters::{Key, Removed, WaitList, Wakeups};

/// A counting semaphore (asyncio's `Semaphore`).
///
/// [`acquire`](Semaphore::acquire) waits for a permit and returns a
/// [`SemaphorePermit`] that gives it back when dropped. Waiters are served in
/// arrival order: released permits go to the first waiter, and a waiter that
/// asks for several permits with [`acquire_many`](Semaphore::acquire_many)
/// holds back the ones behind it until it is served, so it is never starved.
/// Dropping an `acquire` future while it waits gives up its place; permits
/// that had already been handed to it go on to the next waiter.
///
/// ```
/// # ringio::sync::block_on_for_doctests(async {
/// use ringio::sync::Semaphore;
///
/// let sem = Semaphore::new(2);
/// let a = sem.acquire().await;
/// let _b = sem.acquire().await;
/// assert!(sem.try_acquire().is_err());
/// drop(a);
/// assert!(sem.try_acquire().is_ok());
/// # });
/// ```
pub struct Semaphore {
    state: Mutex<State>,
}

struct State {
    /// Permits nobody holds or has been handed.
    permits: usize,
    /// Waiters; the payload is how many permits each needs. Once notified,
    /// the permits have been taken out of `permits` on the waiter's behalf.
    waiters: WaitList<usize>,
}

impl State {
    /// Gives `n` permits back and serves waiters from the front.
    fn release(&mut self, n: usize, wakeups: &mut Wakeups) {
        self.permits = self.permits.saturating_add(n);
        self.serve(wakeups);
    }

    /// Hands permits to waiters, front first, while the front can be served.
    fn serve(&mut self, wakeups: &mut Wakeups) {
        while let Some(&need) = self.waiters.front() {
            if need > self.permits {
                break;
            }
            self.permits -= need;
            wakeups.push(self.waiters.notify_front());
        }
    }
}

impl Semaphore {
    /// A semaphore with `permits` permits available.
    pub fn new(permits: usize) -> Self {
        Self {
            state: Mutex::new(State {
                permits,
                waiters: WaitList::new(),
            }),
        }
    }

    /// Waits for one permit.
    pub fn acquire(&self) -> Acquire<'_> {
        self.acquire_many(1)
    }

    /// Waits for `n` permits, taken together.
    ///
    /// Asking for more permits than the semaphore will ever have waits
    /// forever (like asking asyncio's semaphore for one more than it has).
    pub fn acquire_many(&self, n: usize) -> Acquire<'_> {
        Acquire {
            semaphore: self,
            need: n,
            key: None,
        }
    }

    /// Takes one permit if one is free and nobody is waiting.
    pub fn try_acquire(&self) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        self.try_acquire_many(1)
    }

    /// Takes `n` permits if they are free and nobody is waiting.
    pub fn try_acquire_many(&self, n: usize) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        let mut state = lock(&self.state);
        if state.waiters.is_empty() && state.permits >= n {
            state.permits -= n;
            Ok(SemaphorePermit {
                semaphore: self,
                permits: n,
            })
        } else {
            Err(TryAcquireError(()))
        }
    }

    /// Adds `n` permits (asyncio's `release()`, `n` times), serving waiters.
    ///
    /// The count saturates at `usize::MAX`.
    pub fn add_permits(&self, n: usize) {
        let mut wakeups = Wakeups::new();
        lock(&self.state).release(n, &mut wakeups);
        wakeups.wake();
    }

    /// How many permits are free right now.
    pub fn available_permits(&self) -> usize {
        lock(&self.state).permits
    }

    /// Whether an `acquire` would have to wait (asyncio's `locked()`): no
    /// permit is free, or other tasks are already waiting.
    pub fn is_locked(&self) -> bool {
        let state = lock(&self.state);
        state.permits == 0 || !state.waiters.is_empty()
    }

    /// Releases `n` permits unless that would make more than `bound` free;
    /// returns whether it did. For [`BoundedSemaphore`](crate::BoundedSemaphore).
    pub(crate) fn release_bounded(&self, n: usize, bound: usize) -> bool {
        let mut wakeups = Wakeups::new();
        let released = {
            let mut state = lock(&self.state);
            if state.permits.saturating_add(n) > bound {
                false
            } else {
                state.release(n, &mut wakeups);
                true
            }
        };
        wakeups.wake();
        released
    }
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("Semaphore")
            .field("permits", &state.permits)
            .field("waiters", &state.waiters.len())
            .finish()
    }
}

/// Permits taken from a [`Semaphore`]; dropping it gives them back.
#[must_use = "the permit is released as soon as it is dropped"]
pub struct SemaphorePermit<'a> {
    semaphore: &'a Semaphore,
    permits: usize,
}

impl SemaphorePermit<'_> {
    /// How many permits this holds.
    pub fn permits(&self) -> usize {
        self.permits
    }

    /// Keeps the permits taken for good: dropping this no longer returns them.
    /// ([`Semaphore::add_permits`] can put them back later.)
    pub fn forget(mut self) {
        self.permits = 0;
    }
}

impl Drop for SemaphorePermit<'_> {
    fn drop(&mut self) {
        if self.permits > 0 {
            self.semaphore.add_permits(self.permits);
        }
    }
}

impl fmt::Debug for SemaphorePermit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphorePermit")
            .field("permits", &self.permits)
            .finish()
    }
}

/// The future returned by [`Semaphore::acquire`] and
/// [`Semaphore::acquire_many`].
///
/// Dropping it while it waits gives up its place; permits already handed to
/// it go to the next waiters.
#[must_use = "futures do nothing unless polled"]
pub struct Acquire<'a> {
    semaphore: &'a Semaphore,
    need: usize,
    key: Option<Key>,
}

impl<'a> Future for Acquire<'a> {
    type Output = SemaphorePermit<'a>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<SemaphorePermit<'a>> {
        let this = self.get_mut();
        let mut state = lock(&this.semaphore.state);
        match this.key {
            None => {
                if state.waiters.is_empty() && state.permits >= this.need {
                    state.permits -= this.need;
                } else {
                    let key = state.waiters.push_back(Some(cx.waker().clone()), this.need);
                    this.key = Some(key);
                    return Poll::Pending;
                }
            }
            Some(key) => {
                if state.waiters.poll(key, cx.waker()).is_none() {
                    return Poll::Pending;
                }
                this.key = None;
            }
        }
        drop(state);
        Poll::Ready(SemaphorePermit {
            semaphore: this.semaphore,
            permits: this.need,
        })
    }
}

impl Drop for Acquire<'_> {
    fn drop(&mut self) {
        let Some(key) = self.key.take() else { return };
        let mut wakeups = Wakeups::new();
        {
            let mut state = lock(&self.semaphore.state);
            match state.waiters.remove(key) {
                // We may have been the front, holding back smaller requests.
                Some(Removed::Waiting(_)) => state.serve(&mut wakeups),
                // Permits were handed to us: pass them on.
                Some(Removed::Notified(need)) => state.release(need, &mut wakeups),
                None => {}
            }
        }
        wakeups.wake();
    }
}

impl fmt::Debug for Acquire<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Acquire")
            .field("need", &self.need)
            .field("waiting", &self.key.is_some())
            .finish()
    }
}

/// [`Semaphore::try_acquire`] found too few free permits, or tasks already
/// waiting for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TryAcquireError(());

impl fmt::Display for TryAcquireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "no permit is free, or other tasks are waiting first; await `acquire()` to wait in turn",
        )
    }
}

impl std::error::Error for TryAcquireError {}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::task::Waker;

    fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
        Pin::new(fut).poll(&mut Context::from_waker(Waker::noop()))
    }

    #[test]
    fn big_request_at_the_front_holds_back_small_ones() {
        let sem = Semaphore::new(1);
        let mut big = sem.acquire_many(2);
        let mut small = sem.acquire();
        assert!(poll_once(&mut big).is_pending());
        // One permit is free, but `big` is first in line.
        assert!(poll_once(&mut small).is_pending());
        sem.add_permits(1);
        let Poll::Ready(permit) = poll_once(&mut big) else {
            panic!("big request should be served");
        };
        assert_eq!(permit.permits(), 2);
        drop(permit);
        assert!(poll_once(&mut small).is_ready());
    }

    #[test]
    fn dropping_the_blocking_front_serves_the_rest() {
        let sem = Semaphore::new(1);
        let mut big = sem.acquire_many(5);
        let mut small = sem.acquire();
        assert!(poll_once(&mut big).is_pending());
        assert!(poll_once(&mut small).is_pending());
        drop(big);
        assert!(poll_once(&mut small).is_ready());
    }

    #[test]
    fn forget_keeps_permits_taken() {
        let sem = Semaphore::new(3);
        if let Ok(permit) = sem.try_acquire_many(2) {
            permit.forget();
        }
        assert_eq!(sem.available_permits(), 1);
        sem.add_permits(2);
        assert_eq!(sem.available_permits(), 3);
    }

    #[test]
    fn is_locked_reports_waiters() {
        let sem = Semaphore::new(0);
        assert!(sem.is_locked());
        sem.add_permits(1);
        assert!(!sem.is_locked());
    }
}
