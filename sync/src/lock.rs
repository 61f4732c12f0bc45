//! [`Lock`]: asyncio's `Lock`, as a mutex guarding a value.
//!
//! The guarded value is moved into the [`LockGuard`] while the lock is held
//! and moved back (or straight into the next waiter's hands) when the guard is
//! dropped. That keeps the crate free of `unsafe` and makes the guard `Send`
//! whenever `T` is, so it can be held across an `.await` in a task that moves
//! between threads.

use std::fmt;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::shim::{lock, Mutex};
use crate::waiters::{Key, Removed, WaitList};

/// A mutual-exclusion lock guarding a value of type `T` (asyncio's `Lock`).
///
/// [`lock`](Lock::lock) waits for the lock and gives a [`LockGuard`] that
/// derefs to the value; dropping the guard unlocks. Waiters are served in
/// arrival order: an unlock hands the value directly to the first waiter, and a
/// [`try_lock`](Lock::try_lock) or a new `lock` never jumps the queue.
/// Dropping a `lock()` future while it waits gives up its place; if the value
/// had already been handed to it, it is handed on to the next waiter.
///
/// ```
/// # ringio::sync::block_on_for_doctests(async {
/// use ringio::sync::Lock;
///
/// let counter = Lock::new(0);
/// *counter.lock().await += 1;
/// assert_eq!(*counter.lock().await, 1);
/// # });
/// ```
pub struct Lock<T> {
    state: Mutex<State<T>>,
}

struct State<T> {
    /// `Some` while unlocked. Never `Some` while someone waits: an unlock
    /// with waiters hands the value to the first one instead.
    value: Option<T>,
    /// Waiters; the payload is where an unlock puts the value.
    waiters: WaitList<Option<T>>,
}

impl<T> Lock<T> {
    /// A new unlocked lock guarding `value`.
    pub fn new(value: T) -> Self {
        Self {
            state: Mutex::new(State {
                value: Some(value),
                waiters: WaitList::new(),
            }),
        }
    }

    /// Waits for the lock and returns a guard giving access to the value.
    ///
    /// Waiters get the lock in the order they started waiting.
    pub fn lock(&self) -> LockFuture<'_, T> {
        LockFuture {
            lock: self,
            key: None,
        }
    }

    /// Takes the lock if it is free and nobody is waiting for it.
    pub fn try_lock(&self) -> Result<LockGuard<'_, T>, TryLockError> {
        let value = lock(&self.state).value.take();
        match value {
            Some(value) => Ok(LockGuard {
                lock: self,
                value: Some(value),
            }),
            None => Err(TryLockError(())),
        }
    }

    /// Whether the lock is held (asyncio's `locked()`).
    pub fn is_locked(&self) -> bool {
        lock(&self.state).value.is_none()
    }

    /// Gives back the value, consuming the lock.
    ///
    /// Returns `None` only if a guard was leaked with [`std::mem::forget`]:
    /// the leaked guard took the value with it.
    pub fn into_inner(self) -> Option<T> {
        match self.state.into_inner() {
            Ok(state) => state.value,
            Err(poisoned) => poisoned.into_inner().value,
        }
    }

    /// Unlocks with `value`: hands it to the first waiter, or stores it.
    fn unlock(&self, value: T) {
        let waker = {
            let mut state = lock(&self.state);
            match state.waiters.front_mut() {
                Some(slot) => {
                    *slot = Some(value);
                    state.waiters.notify_front()
                }
                None => {
                    state.value = Some(value);
                    None
                }
            }
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T: Default> Default for Lock<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

impl<T> From<T> for Lock<T> {
    fn from(value: T) -> Self {
        Self::new(value)
    }
}

impl<T> fmt::Debug for Lock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("Lock")
            .field("locked", &state.value.is_none())
            .field("waiters", &state.waiters.len())
            .finish()
    }
}

/// Access to the value of a held [`Lock`]; unlocks when dropped.
///
/// The guard owns the value while the lock is held, so it is `Send` when `T`
/// is, and can be kept across `.await` points in any executor.
pub struct LockGuard<'a, T> {
    lock: &'a Lock<T>,
    /// Always `Some` until `drop` takes it.
    value: Option<T>,
}

impl<'a, T> LockGuard<'a, T> {
    /// The lock this guard holds.
    pub fn lock(&self) -> &'a Lock<T> {
        self.lock
    }
}

impl<T> Deref for LockGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        match &self.value {
            Some(value) => value,
            None => unreachable!("a LockGuard holds its value until it is dropped"),
        }
    }
}

impl<T> DerefMut for LockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        match &mut self.value {
            Some(value) => value,
            None => unreachable!("a LockGuard holds its value until it is dropped"),
        }
    }
}

impl<T> Drop for LockGuard<'_, T> {
    fn drop(&mut self) {
        if let Some(value) = self.value.take() {
            self.lock.unlock(value);
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for LockGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LockGuard").field(&**self).finish()
    }
}

/// The future returned by [`Lock::lock`].
///
/// Dropping it while it waits gives up its place in the queue; if the lock had
/// already been handed to it, the lock goes to the next waiter (or is released).
#[must_use = "futures do nothing unless polled"]
pub struct LockFuture<'a, T> {
    lock: &'a Lock<T>,
    key: Option<Key>,
}

impl<'a, T> Future for LockFuture<'a, T> {
    type Output = LockGuard<'a, T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard<'a, T>> {
        let this = self.get_mut();
        let lock = this.lock;
        let mut state = crate::shim::lock(&lock.state);
        let value = match this.key {
            None => match state.value.take() {
                Some(value) => value,
                None => {
                    this.key = Some(state.waiters.push_back(Some(cx.waker().clone()), None));
                    return Poll::Pending;
                }
            },
            Some(key) => match state.waiters.poll(key, cx.waker()) {
                Some(Some(value)) => {
                    this.key = None;
                    value
                }
                // Notified without a value never happens; waiting goes on.
                Some(None) => {
                    this.key = Some(state.waiters.push_back(Some(cx.waker().clone()), None));
                    return Poll::Pending;
                }
                None => return Poll::Pending,
            },
        };
        drop(state);
        Poll::Ready(LockGuard {
            lock,
            value: Some(value),
        })
    }
}

impl<T> Drop for LockFuture<'_, T> {
    fn drop(&mut self) {
        let Some(key) = self.key.take() else { return };
        let removed = lock(&self.lock.state).waiters.remove(key);
        if let Some(Removed::Notified(Some(value))) = removed {
            // The lock was handed to us: hand it on.
            self.lock.unlock(value);
        }
    }
}

impl<T> fmt::Debug for LockFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockFuture")
            .field("waiting", &self.key.is_some())
            .finish()
    }
}

/// [`Lock::try_lock`] found the lock held, or other tasks waiting for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TryLockError(());

impl fmt::Display for TryLockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the lock is held or has waiters; await `lock()` to wait for it in turn")
    }
}

impl std::error::Error for TryLockError {}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::task::Waker;

    fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
        Pin::new(fut).poll(&mut Context::from_waker(Waker::noop()))
    }

    #[test]
    fn try_lock_fails_while_held_and_succeeds_after() {
        let lock = Lock::new(5);
        let guard = lock.try_lock();
        assert!(guard.is_ok());
        assert!(lock.is_locked());
        assert!(lock.try_lock().is_err());
        drop(guard);
        assert!(!lock.is_locked());
        assert_eq!(lock.try_lock().map(|g| *g), Ok(5));
    }

    #[test]
    fn unlock_hands_the_value_to_the_first_waiter() {
        let lock = Lock::new(Vec::new());
        let mut guard = lock.try_lock().ok();
        let mut first = lock.lock();
        let mut second = lock.lock();
        assert!(poll_once(&mut first).is_pending());
        assert!(poll_once(&mut second).is_pending());
        if let Some(guard) = guard.as_mut() {
            guard.push(0);
        }
        drop(guard);
        // Still locked: handed to `first`, so a newcomer cannot take it.
        assert!(lock.try_lock().is_err());
        let Poll::Ready(mut g1) = poll_once(&mut first) else {
            panic!("first waiter should own the lock");
        };
        g1.push(1);
        assert!(poll_once(&mut second).is_pending());
        drop(g1);
        let Poll::Ready(g2) = poll_once(&mut second) else {
            panic!("second waiter should own the lock");
        };
        assert_eq!(*g2, [0, 1]);
    }

    #[test]
    fn into_inner_returns_the_value() {
        let lock = Lock::new(String::from("x"));
        drop(lock.try_lock());
        assert_eq!(lock.into_inner().as_deref(), Some("x"));
    }
}
