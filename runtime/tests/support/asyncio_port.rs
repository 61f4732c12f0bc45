//! Shared by the `asyncio_port_*` tests (ports of CPython's test_tasks,
//! test_taskgroups, test_timeouts, test_waitfor): an event log, a cleanup
//! guard standing for Python's `finally:`/`except CancelledError:`, and a
//! one-shot future standing for `loop.create_future()`.
#![allow(dead_code)] // each test file uses its part

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// An ordered record of what happened, shared by the tasks of a test.
#[derive(Clone, Default)]
pub struct Log(Rc<RefCell<Vec<String>>>);

impl Log {
    pub fn new() -> Log {
        Log::default()
    }

    pub fn push(&self, event: impl Into<String>) {
        self.0.borrow_mut().push(event.into());
    }

    pub fn events(&self) -> Vec<String> {
        self.0.borrow().clone()
    }

    pub fn contains(&self, event: &str) -> bool {
        self.0.borrow().iter().any(|e| e == event)
    }
}

/// Runs its closure when dropped: a task's `finally:` (it runs when the
/// task is cancelled, since cancelling drops the task's future).
pub struct OnDrop<F: FnMut()>(pub F);

impl<F: FnMut()> Drop for OnDrop<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

/// A flag set by a cleanup guard.
#[derive(Clone, Default)]
pub struct Flag(Rc<Cell<bool>>);

impl Flag {
    pub fn new() -> Flag {
        Flag::default()
    }

    pub fn set(&self) {
        self.0.set(true);
    }

    pub fn get(&self) -> bool {
        self.0.get()
    }

    pub fn clear(&self) {
        self.0.set(false);
    }

    /// A guard that sets the flag when dropped.
    pub fn on_drop(&self) -> OnDrop<impl FnMut()> {
        let f = self.clone();
        OnDrop(move || f.set())
    }
}

/// A counter shared by tasks (`nonlocal NUM`).
#[derive(Clone, Default)]
pub struct Counter(Rc<Cell<u32>>);

impl Counter {
    pub fn new() -> Counter {
        Counter::default()
    }

    pub fn add(&self, n: u32) {
        self.0.set(self.0.get() + n);
    }

    pub fn get(&self) -> u32 {
        self.0.get()
    }

    /// A guard that adds `n` when dropped.
    pub fn add_on_drop(&self, n: u32) -> OnDrop<impl FnMut()> {
        let c = self.clone();
        OnDrop(move || c.add(n))
    }
}

struct Slot<T> {
    value: Option<T>,
    wakers: Vec<Waker>,
}

/// `loop.create_future()`: set once with [`Fut::set`], awaited by any
/// number of waiters ([`Fut::wait`]), each getting a clone of the value.
pub struct Fut<T>(Rc<RefCell<Slot<T>>>);

impl<T> Clone for Fut<T> {
    fn clone(&self) -> Self {
        Fut(self.0.clone())
    }
}

impl<T: Clone> Fut<T> {
    pub fn new() -> Fut<T> {
        Fut(Rc::new(RefCell::new(Slot {
            value: None,
            wakers: Vec::new(),
        })))
    }

    pub fn set(&self, value: T) {
        let wakers = {
            let mut s = self.0.borrow_mut();
            s.value = Some(value);
            std::mem::take(&mut s.wakers)
        };
        for w in wakers {
            w.wake();
        }
    }

    pub fn is_set(&self) -> bool {
        self.0.borrow().value.is_some()
    }

    pub fn wait(&self) -> FutWait<T> {
        FutWait(self.clone())
    }
}

impl<T: Clone> Default for Fut<T> {
    fn default() -> Self {
        Fut::new()
    }
}

/// The future of [`Fut::wait`].
pub struct FutWait<T>(Fut<T>);

impl<T: Clone> Future for FutWait<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut s = (self.0).0.borrow_mut();
        match &s.value {
            Some(v) => Poll::Ready(v.clone()),
            None => {
                s.wakers.push(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// Milliseconds, for short test durations.
pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Time since `t0`, for generous upper bounds on a loaded machine.
pub fn since(t0: Instant) -> Duration {
    t0.elapsed()
}
