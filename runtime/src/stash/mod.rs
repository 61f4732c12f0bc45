//! What a dropped read received, kept for the next read.
//!
//! With completion-based I/O a cancelled read can race its completion: the
//! kernel may already have taken bytes out of a socket or pipe (or a whole
//! datagram) into the buffer of a read whose future is gone. They must not
//! vanish. Each reader (a stream or datagram socket, a pipe's read end)
//! owns a [`Stash`], and every read on it takes a *turn*: a new read first
//! waits until no read is outstanding, so what a dropped read got always
//! precedes what the next one gets. When a dropped read completes, its
//! operation's `release` moves what it got into the stash and ends the
//! turn; the next read hands the stash out before asking the kernel again.
//!
//! `release` runs inside the driver (while it is borrowed), so it ends the
//! turn with [`Stash::finish_later`]: the waiting reads' wakers go to the
//! driver's list, woken by the loop after the borrow.
//!
//! [`stream`] keeps a byte stream (TCP, Unix stream, pipes, child stdio);
//! [`datagram`] keeps whole datagrams with their sender.

pub(crate) mod datagram;
pub(crate) mod stream;

use std::cell::RefCell;
use std::fmt;
use std::future::poll_fn;
use std::task::{Context, Poll, Waker};

pub(crate) use datagram::DatagramStash;
pub(crate) use stream::StreamStash;

/// One reader's stash: what dropped reads got (`Q`), and the turn.
pub(crate) struct Stash<Q> {
    inner: RefCell<Inner<Q>>,
}

struct Inner<Q> {
    kept: Q,
    /// A read holds the turn (it is in the kernel, or about to be).
    busy: bool,
    waiters: Vec<Waker>,
}

impl<Q: Default> Default for Stash<Q> {
    fn default() -> Self {
        Stash {
            inner: RefCell::new(Inner {
                kept: Q::default(),
                busy: false,
                waiters: Vec::new(),
            }),
        }
    }
}

impl<Q> fmt::Debug for Stash<Q> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = self.inner.borrow();
        f.debug_struct("Stash")
            .field("busy", &inner.busy)
            .field("waiters", &inner.waiters.len())
            .finish_non_exhaustive()
    }
}

impl<Q> Stash<Q> {
    /// Waits until no read holds the turn, then takes it. The caller ends
    /// it with [`finish`](Self::finish) (or a [`Turn`]), or hands it to an
    /// operation whose completion ends it.
    pub(crate) async fn begin(&self) {
        poll_fn(|cx| self.poll_begin(cx)).await
    }

    /// One poll of [`begin`](Self::begin): takes the turn if no read holds
    /// it, or keeps the task's waker for when it ends.
    pub(crate) fn poll_begin(&self, cx: &mut Context<'_>) -> Poll<()> {
        let mut inner = self.inner.borrow_mut();
        if !inner.busy {
            inner.busy = true;
            Poll::Ready(())
        } else {
            if !inner.waiters.iter().any(|w| w.will_wake(cx.waker())) {
                inner.waiters.push(cx.waker().clone());
            }
            Poll::Pending
        }
    }

    /// Takes the turn as [`begin`](Self::begin), ended when the guard drops.
    pub(crate) async fn turn(&self) -> Turn<'_, Q> {
        self.begin().await;
        Turn(self)
    }

    /// Ends the turn and wakes the reads waiting for it. Not for use inside
    /// the driver: see [`finish_later`](Self::finish_later).
    pub(crate) fn finish(&self) {
        let waiters = self.end_turn();
        for w in waiters {
            w.wake();
        }
    }

    /// Ends the turn; the waiting reads' wakers go to `wakes`, to be woken
    /// once the driver is no longer borrowed.
    pub(crate) fn finish_later(&self, wakes: &mut Vec<Waker>) {
        wakes.append(&mut self.end_turn());
    }

    fn end_turn(&self) -> Vec<Waker> {
        let mut inner = self.inner.borrow_mut();
        inner.busy = false;
        std::mem::take(&mut inner.waiters)
    }

    /// Runs `f` on what dropped reads left.
    fn with<R>(&self, f: impl FnOnce(&mut Q) -> R) -> R {
        f(&mut self.inner.borrow_mut().kept)
    }
}

/// A read's turn (see [`Stash::begin`]), ended when dropped.
pub(crate) struct Turn<'a, Q>(&'a Stash<Q>);

impl<Q> Turn<'_, Q> {
    /// Gives the turn to an operation, which ends it when it completes (or
    /// when its completion is released after a drop).
    pub(crate) fn hand_over(self) {
        std::mem::forget(self);
    }
}

impl<Q> Drop for Turn<'_, Q> {
    fn drop(&mut self) {
        self.0.finish();
    }
}

#[cfg(test)]
mod tests;
