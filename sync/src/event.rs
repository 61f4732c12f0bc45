//! [`Event`]: asyncio's `Event`, a flag that tasks can wait on.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use std::sync::atomic::Ordering::{AcqRel, Acquire, Release};

use crate::shim::{lock, AtomicBool, AtomicUsize, Mutex};
use crate::waiters::{Key, WaitList, Wakeups};

/// A flag that tasks wait on until it is set (asyncio's `Event`).
///
/// [`set`](Event::set) wakes every waiting task, and later waits return at
/// once until [`clear`](Event::clear). A task that was waiting when `set`
/// ran returns from `wait` even if `clear` runs before it is polled again:
/// the wake-up is not taken back.
///
/// ```
/// # ringio::sync::block_on_for_doctests(async {
/// use ringio::sync::Event;
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
    /// Bumped (under the lock) each time `set` wakes and frees the registered
    /// waiters. A waiter that sees it changed since it registered knows it was
    /// woken, without taking the lock or touching its (freed) entry.
    generation: AtomicUsize,
    waiters: Mutex<WaitList<()>>,
}

impl Event {
    /// A new event, not set.
    pub fn new() -> Self {
        Self {
            set: AtomicBool::new(false),
            generation: AtomicUsize::new(0),
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
        {
            let mut waiters = lock(&self.waiters);
            if !waiters.is_empty() {
                self.generation.fetch_add(1, Release);
                waiters.drain_all(&mut wakeups);
            }
        }
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
            registered: None,
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
    /// Our entry and the generation it was registered in.
    registered: Option<(Key, usize)>,
}

impl Future for EventWait<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let event = this.event;
        match this.registered {
            None => {
                if event.is_set() {
                    return Poll::Ready(());
                }
                let mut waiters = lock(&event.waiters);
                if event.is_set() {
                    return Poll::Ready(());
                }
                let key = waiters.push_back(Some(cx.waker().clone()), ());
                this.registered = Some((key, event.generation.load(Acquire)));
                Poll::Pending
            }
            Some((key, generation)) => {
                if event.generation.load(Acquire) != generation {
                    this.registered = None;
                    return Poll::Ready(());
                }
                let mut waiters = lock(&event.waiters);
                if event.generation.load(Acquire) != generation {
                    this.registered = None;
                    return Poll::Ready(());
                }
                // Still registered: keep the waker current.
                let _ = waiters.poll(key, cx.waker());
                Poll::Pending
            }
        }
    }
}

impl Drop for EventWait<'_> {
    fn drop(&mut self) {
        // `set` wakes everyone, so a dropped waiter has nothing to pass on;
        // it only frees its entry, unless a `set` already did.
        if let Some((key, generation)) = self.registered.take() {
            let mut waiters = lock(&self.event.waiters);
            if self.event.generation.load(Acquire) == generation {
                waiters.remove(key);
            }
        }
    }
}

impl fmt::Debug for EventWait<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventWait")
            .field("waiting", &self.registered.is_some())
            .finish()
    }
}
