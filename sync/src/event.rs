//! [`Event`]: asyncio's `Event`, a flag that tasks can wait on.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::shim::{lock, Mutex};
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
    state: Mutex<State>,
}

struct State {
    set: bool,
    waiters: WaitList<()>,
}

impl Event {
    /// A new event, not set.
    pub fn new() -> Self {
        Self {
            state: Mutex::new(State {
                set: false,
                waiters: WaitList::new(),
            }),
        }
    }

    /// Sets the flag and wakes every task waiting for it.
    pub fn set(&self) {
        let mut wakeups = Wakeups::new();
        {
            let mut state = lock(&self.state);
            state.set = true;
            state.waiters.notify_all(&mut wakeups);
        }
        wakeups.wake();
    }

    /// Clears the flag: later [`wait`](Event::wait)s block until the next `set`.
    pub fn clear(&self) {
        lock(&self.state).set = false;
    }

    /// Whether the flag is set.
    pub fn is_set(&self) -> bool {
        lock(&self.state).set
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
        let state = lock(&self.state);
        f.debug_struct("Event")
            .field("set", &state.set)
            .field("waiters", &state.waiters.len())
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
        let mut state = lock(&this.event.state);
        match this.key {
            None if state.set => Poll::Ready(()),
            None => {
                this.key = Some(state.waiters.push_back(Some(cx.waker().clone()), ()));
                Poll::Pending
            }
            Some(key) => match state.waiters.poll(key, cx.waker()) {
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
            lock(&self.event.state).waiters.remove(key);
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
