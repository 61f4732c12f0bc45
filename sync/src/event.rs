//! [`Event`]: asyncio's `Event`, a flag that tasks can wait on.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use std::sync::atomic::Ordering::{AcqRel, Acquire, Release};

use crate::shim::{lock, AtomicBool, Mutex};
use crate::waiters::{Key, WaitList, Wakeups};

/// A flag that tasks wait on until it is set (asyncio's `Event`).
///
/// [`set`](Event::set) wakes every waiting task, and later waits return at
/// once until [`clear`](Event::clear). A task that was waiting when `set`
/// ran returns from `wait` even if `clear` runs before it is polled again:
/// the wake-up is not taken back.
///
/// ```
/// # ringio_sync::block_on_for_doctests(async {
/// use ringio_sync::Event;
///
/// let event = Event::new();
/// assert!(!event.is_set());
/// event.set();
/// event.wait().await; // returns at once
/// # });
/// ```
pub struct Event {
    /// The flag. Read without the lock by `is_set` and a waiter's first look;
    /// a waiter registers only after re-reading it under the lock, and `set`
    /// stores it before taking the lock to wake the registered waiters, so a
    /// waiter either sees it set or is woken.
    set: AtomicBool,
    waiters: Mutex<WaitList<()>>,
}

impl Event {
    /// A new event, not set.
    pub fn new() -> Self {
        Self {
            set: AtomicBool::new(false),
            waiters: Mutex::new(WaitList::new()),
        }
    }

    /// Sets the flag and wakes every task waiting for it.
    pub fn set(&self) {
        // Already set: whoever set it wakes (or has woken) every waiter that
        // registered while it was clear.
        if self.set.swap(true, AcqRel) {
            return;
        }
        let mut wakeups = Wakeups::new();
        lock(&self.waiters).notify_all(&mut wakeups);
        wakeups.wake();
    }

    /// Clears the flag: later [`wait`](Event::wait)s block until the next `set`.
    pub fn clear(&self) {
        self.set.store(false, Release);
    }

    /// Whether the flag is set.
    pub fn is_set(&self) -> bool {
        self.set.load(Acquire)
    }

    /// Waits until the flag is set; returns at once if it already is.
    pub fn wait(&self) -> EventWait<'_> {
        EventWait {
            event: self,
            key: None,
        }
    }
}

impl Default for Event {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("set", &self.is_set())
            .field("waiters", &lock(&self.waiters).len())
            .finish()
    }
}

/// The future returned by [`Event::wait`]. Dropping it stops waiting.
#[must_use = "futures do nothing unless polled"]
pub struct EventWait<'a> {
    event: &'a Event,
    key: Option<Key>,
}

impl Future for EventWait<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        if this.key.is_none() && this.event.is_set() {
            return Poll::Ready(());
        }
        let mut waiters = lock(&this.event.waiters);
        match this.key {
            None if this.event.is_set() => Poll::Ready(()),
            None => {
                this.key = Some(waiters.push_back(Some(cx.waker().clone()), ()));
                Poll::Pending
            }
            Some(key) => match waiters.poll(key, cx.waker()) {
                Some(()) => {
                    this.key = None;
                    Poll::Ready(())
                }
                None => Poll::Pending,
            },
        }
    }
}

impl Drop for EventWait<'_> {
    fn drop(&mut self) {
        // `set` wakes everyone, so a dropped waiter has nothing to pass on.
        if let Some(key) = self.key.take() {
            lock(&self.event.waiters).remove(key);
        }
    }
}

impl fmt::Debug for EventWait<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventWait")
            .field("waiting", &self.key.is_some())
            .finish()
    }
}
