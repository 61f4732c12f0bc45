//! The queue machinery shared by the three kinds of queue, and the futures of
//! `put`, `get` and `join`.
//!
//! # Model (asyncio's)
//!
//! - An item put is in the queue at once: counted by `qsize`, takeable by
//!   `get_nowait`, and taken in the queue's own order (FIFO, LIFO, smallest
//!   first). A put wakes the first waiting getter; the woken getter takes the
//!   head of the queue *when it runs*, so getters woken by several puts in
//!   one turn receive the items in the queue's order, not in put order.
//! - A get that takes an item wakes the first waiting putter; the woken
//!   putter puts when it runs, if there is still room. Room is not reserved,
//!   so `full()` and `put_nowait` always agree.
//! - A woken waiter that finds nothing (the item or the room was taken by a
//!   `_nowait` call meanwhile) waits again, at the back, as in asyncio.
//! - `notified_getters` / `notified_putters` count the woken waiters that
//!   have not run yet, so that each put (get) wakes one more waiter only
//!   while there are items (room) left for it.
//!
//! # Cancellation
//!
//! - A dropped `get` never took an item. If it had been woken and not run,
//!   the wake passes to the next getter, so nobody hangs with an item in the
//!   queue.
//! - A dropped `put` never put its item, as in asyncio: the item is only
//!   moved into the queue by the `put` itself. A wake it had received passes
//!   to the next putter. So a caller that retries a dropped put never
//!   duplicates an item.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::error::{QueueEmpty, QueueFull, QueueShutDown, TaskDoneError, TryGetError, TryPutError};
use super::items::Items;
use crate::shim::{lock, Mutex, MutexGuard};
use crate::waiters::{Key, Removed, WaitList, Wakeups};

pub(crate) struct Core<T> {
    state: Mutex<State<T>>,
}

pub(crate) struct State<T> {
    items: Items<T>,
    maxsize: usize,
    /// Getters woken for an item that have not run yet.
    notified_getters: usize,
    /// Putters woken for room that have not run yet.
    notified_putters: usize,
    unfinished: usize,
    shut_down: bool,
    getters: WaitList<()>,
    putters: WaitList<()>,
    joiners: WaitList<()>,
}

impl<T> State<T> {
    pub(crate) fn maxsize(&self) -> usize {
        self.maxsize
    }

    pub(crate) fn qsize(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn full(&self) -> bool {
        self.maxsize > 0 && self.qsize() >= self.maxsize
    }

    /// Wakes waiting getters while there are items no woken getter will
    /// take.
    fn wake_getters(&mut self, wakeups: &mut Wakeups) {
        while self.items.len() > self.notified_getters && !self.getters.is_empty() {
            self.notified_getters += 1;
            wakeups.push(self.getters.notify_front());
        }
    }

    /// Wakes waiting putters while there is room no woken putter will use.
    fn wake_putters(&mut self, wakeups: &mut Wakeups) {
        while !self.putters.is_empty()
            && (self.maxsize == 0 || self.qsize() + self.notified_putters < self.maxsize)
        {
            self.notified_putters += 1;
            wakeups.push(self.putters.notify_front());
        }
    }

    fn try_put(&mut self, item: T, wakeups: &mut Wakeups) -> Result<(), TryPutError<T>> {
        if self.shut_down {
            Err(TryPutError::ShutDown(QueueShutDown(item)))
        } else if self.full() {
            Err(TryPutError::Full(QueueFull(item)))
        } else {
            self.unfinished += 1;
            self.items.push(item);
            self.wake_getters(wakeups);
            Ok(())
        }
    }

    fn try_get(&mut self, wakeups: &mut Wakeups) -> Result<T, TryGetError> {
        match self.items.pop() {
            Some(item) => {
                self.wake_putters(wakeups);
                Ok(item)
            }
            None if self.shut_down => Err(TryGetError::ShutDown(QueueShutDown(()))),
            None => Err(TryGetError::Empty(QueueEmpty)),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.qsize() == 0
    }
}

impl<T> Core<T> {
    pub(crate) fn new(maxsize: usize, items: Items<T>) -> Self {
        Self {
            state: Mutex::new(State {
                items,
                maxsize,
                notified_getters: 0,
                notified_putters: 0,
                unfinished: 0,
                shut_down: false,
                getters: WaitList::new(),
                putters: WaitList::new(),
                joiners: WaitList::new(),
            }),
        }
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, State<T>> {
        lock(&self.state)
    }

    pub(crate) fn maxsize(&self) -> usize {
        self.state().maxsize
    }

    pub(crate) fn unfinished_tasks(&self) -> usize {
        self.state().unfinished
    }

    pub(crate) fn is_shut_down(&self) -> bool {
        self.state().shut_down
    }

    pub(crate) fn put_nowait(&self, item: T) -> Result<(), TryPutError<T>> {
        let mut wakeups = Wakeups::new();
        let result = self.state().try_put(item, &mut wakeups);
        wakeups.wake();
        result
    }

    pub(crate) fn get_nowait(&self) -> Result<T, TryGetError> {
        let mut wakeups = Wakeups::new();
        let result = self.state().try_get(&mut wakeups);
        wakeups.wake();
        result
    }

    pub(crate) fn put(&self, item: T) -> Put<'_, T> {
        Put {
            core: self,
            item: Some(item),
            key: None,
        }
    }

    pub(crate) fn get(&self) -> Get<'_, T> {
        Get {
            core: self,
            key: None,
        }
    }

    pub(crate) fn join(&self) -> Join<'_, T> {
        Join {
            core: self,
            key: None,
        }
    }

    pub(crate) fn task_done(&self) -> Result<(), TaskDoneError> {
        let mut wakeups = Wakeups::new();
        {
            let mut state = self.state();
            if state.unfinished == 0 {
                return Err(TaskDoneError);
            }
            state.unfinished -= 1;
            if state.unfinished == 0 {
                state.joiners.notify_all(&mut wakeups);
            }
        }
        wakeups.wake();
        Ok(())
    }

    pub(crate) fn shutdown(&self, immediate: bool) {
        let mut wakeups = Wakeups::new();
        // Dropped after the lock is released: an item's destructor may use
        // the queue.
        let mut drained = Vec::new();
        {
            let mut guard = self.state();
            let state = &mut *guard;
            state.shut_down = true;
            if immediate {
                while let Some(item) = state.items.pop() {
                    drained.push(item);
                }
                state.unfinished = state.unfinished.saturating_sub(drained.len());
                if state.unfinished == 0 {
                    state.joiners.notify_all(&mut wakeups);
                }
            }
            state.notified_getters += state.getters.len();
            state.getters.notify_all(&mut wakeups);
            state.notified_putters += state.putters.len();
            state.putters.notify_all(&mut wakeups);
        }
        wakeups.wake();
        drop(drained);
    }
}

/// The future returned by `put`: resolves once the item is in the queue.
///
/// Dropping it before it resolves drops the item and leaves the queue as it
/// was: the item is never put behind the caller's back, so retrying a dropped
/// put cannot duplicate it. Room that had been reserved for it goes to the
/// next waiting putter.
#[must_use = "futures do nothing unless polled"]
pub struct Put<'a, T> {
    core: &'a Core<T>,
    item: Option<T>,
    key: Option<Key>,
}

// `Put` never pins its item (nothing borrows it), so it can move freely
// whatever `T` is.
impl<T> Unpin for Put<'_, T> {}

impl<T> Future for Put<'_, T> {
    type Output = Result<(), QueueShutDown<T>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = Pin::into_inner(self);
        let mut wakeups = Wakeups::new();
        let result = {
            let mut state = this.core.state();
            if let Some(key) = this.key {
                match state.putters.poll(key, cx.waker()) {
                    None => return Poll::Pending,
                    Some(()) => {
                        // Woken for room: look again below.
                        this.key = None;
                        state.notified_putters -= 1;
                    }
                }
            }
            let Some(item) = this.item.take() else {
                return Poll::Ready(Ok(()));
            };
            match state.try_put(item, &mut wakeups) {
                Ok(()) => Poll::Ready(Ok(())),
                Err(TryPutError::ShutDown(error)) => Poll::Ready(Err(error)),
                Err(TryPutError::Full(QueueFull(item))) => {
                    this.item = Some(item);
                    this.key = Some(state.putters.push_back(Some(cx.waker().clone()), ()));
                    Poll::Pending
                }
            }
        };
        wakeups.wake();
        result
    }
}

impl<T> Drop for Put<'_, T> {
    fn drop(&mut self) {
        let Some(key) = self.key.take() else { return };
        let mut wakeups = Wakeups::new();
        {
            let mut state = self.core.state();
            if let Some(Removed::Notified(())) = state.putters.remove(key) {
                // Woken for room we will not use: pass the wake on.
                state.notified_putters -= 1;
                state.wake_putters(&mut wakeups);
            }
        }
        wakeups.wake();
        // `self.item` is dropped after this, with no lock held.
    }
}

impl<T> std::fmt::Debug for Put<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Put")
            .field("waiting", &self.key.is_some())
            .finish()
    }
}

/// The future returned by `get`: resolves to the next item.
///
/// Dropping it while it waits loses nothing: it never took an item, and a
/// wake it had received passes to the next getter.
#[must_use = "futures do nothing unless polled"]
pub struct Get<'a, T> {
    core: &'a Core<T>,
    key: Option<Key>,
}

impl<T> Future for Get<'_, T> {
    type Output = Result<T, QueueShutDown>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = Pin::into_inner(self);
        let mut wakeups = Wakeups::new();
        let result = {
            let mut state = this.core.state();
            if let Some(key) = this.key {
                match state.getters.poll(key, cx.waker()) {
                    None => return Poll::Pending,
                    Some(()) => {
                        // Woken for an item (or a shutdown): take the head
                        // in the queue's own order below.
                        this.key = None;
                        state.notified_getters -= 1;
                    }
                }
            }
            match state.try_get(&mut wakeups) {
                Ok(item) => Poll::Ready(Ok(item)),
                Err(TryGetError::ShutDown(error)) => Poll::Ready(Err(error)),
                Err(TryGetError::Empty(_)) => {
                    this.key = Some(state.getters.push_back(Some(cx.waker().clone()), ()));
                    Poll::Pending
                }
            }
        };
        wakeups.wake();
        result
    }
}

impl<T> Drop for Get<'_, T> {
    fn drop(&mut self) {
        let Some(key) = self.key.take() else { return };
        let mut wakeups = Wakeups::new();
        {
            let mut state = self.core.state();
            if let Some(Removed::Notified(())) = state.getters.remove(key) {
                // Woken for an item we will not take: pass the wake on.
                state.notified_getters -= 1;
                state.wake_getters(&mut wakeups);
            }
        }
        wakeups.wake();
    }
}

impl<T> std::fmt::Debug for Get<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Get")
            .field("waiting", &self.key.is_some())
            .finish()
    }
}

/// The future returned by `join`: resolves once every item put has been
/// marked done with `task_done`.
#[must_use = "futures do nothing unless polled"]
pub struct Join<'a, T> {
    core: &'a Core<T>,
    key: Option<Key>,
}

impl<T> Future for Join<'_, T> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = Pin::into_inner(self);
        let mut state = this.core.state();
        match this.key {
            None if state.unfinished == 0 => Poll::Ready(()),
            None => {
                this.key = Some(state.joiners.push_back(Some(cx.waker().clone()), ()));
                Poll::Pending
            }
            Some(key) => match state.joiners.poll(key, cx.waker()) {
                Some(()) => {
                    this.key = None;
                    Poll::Ready(())
                }
                None => Poll::Pending,
            },
        }
    }
}

impl<T> Drop for Join<'_, T> {
    fn drop(&mut self) {
        // Every joiner is woken together, so there is nothing to pass on.
        if let Some(key) = self.key.take() {
            self.core.state().joiners.remove(key);
        }
    }
}

impl<T> std::fmt::Debug for Join<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Join")
            .field("waiting", &self.key.is_some())
            .finish()
    }
}
