//! The queue machinery shared by the three kinds of queue, and the futures of
//! `put`, `get` and `join`.
//!
//! # Invariants (under the state's mutex)
//!
//! - `getters` is non-empty only while there are no items: a new item goes
//!   straight into the first getter's entry (`handed` counts those), so a
//!   getter that arrives later never takes it first.
//! - `putters` is non-empty only while the queue is full. When room appears,
//!   it is reserved for the first putter (`reserved` counts those), which puts
//!   its item when it runs; nobody else can take the room meanwhile.
//! - `qsize = items + handed`: an item handed to a getter that has not run
//!   yet still counts, as it does in asyncio (where it sits in the deque until
//!   the getter runs). `full` also counts reserved room, so `maxsize` is never
//!   exceeded.
//!
//! # Cancellation
//!
//! - A dropped `get` never took an item: one already handed to it goes to the
//!   next getter, or back into the queue as its oldest item (`Items::unpop`).
//! - A dropped `put` never put its item, as in asyncio: the item is only
//!   moved into the queue by the `put` itself. Room reserved for it passes
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
    /// Items written into notified getters' entries, not yet collected.
    handed: usize,
    /// Room reserved for notified putters that have not put yet.
    reserved: usize,
    unfinished: usize,
    shut_down: bool,
    /// Payload: where a put writes the item handed over.
    getters: WaitList<Option<T>>,
    /// Payload: whether room was reserved for the putter (else it was woken
    /// by a shutdown).
    putters: WaitList<bool>,
    joiners: WaitList<()>,
}

impl<T> State<T> {
    pub(crate) fn maxsize(&self) -> usize {
        self.maxsize
    }

    pub(crate) fn qsize(&self) -> usize {
        self.items.len() + self.handed
    }

    pub(crate) fn full(&self) -> bool {
        self.maxsize > 0 && self.qsize() + self.reserved >= self.maxsize
    }

    /// Adds a new item: to the first getter if one waits, else to the items.
    fn deliver(&mut self, item: T, wakeups: &mut Wakeups) {
        self.unfinished += 1;
        self.hand_or_store(item, wakeups, Items::push);
    }

    fn hand_or_store(&mut self, item: T, wakeups: &mut Wakeups, store: fn(&mut Items<T>, T)) {
        match self.getters.front_mut() {
            Some(slot) => {
                *slot = Some(item);
                self.handed += 1;
                wakeups.push(self.getters.notify_front());
            }
            None => store(&mut self.items, item),
        }
    }

    /// Reserves room for waiting putters, front first, while there is room.
    fn admit_putters(&mut self, wakeups: &mut Wakeups) {
        while !self.full() {
            let Some(slot) = self.putters.front_mut() else {
                break;
            };
            *slot = true;
            self.reserved += 1;
            wakeups.push(self.putters.notify_front());
        }
    }

    /// Takes the next item out, letting a waiting putter in behind it.
    fn take(&mut self, wakeups: &mut Wakeups) -> Option<T> {
        let item = self.items.pop()?;
        self.admit_putters(wakeups);
        Some(item)
    }

    fn try_put(&mut self, item: T, wakeups: &mut Wakeups) -> Result<(), TryPutError<T>> {
        if self.shut_down {
            Err(TryPutError::ShutDown(QueueShutDown(item)))
        } else if self.full() {
            Err(TryPutError::Full(QueueFull(item)))
        } else {
            self.deliver(item, wakeups);
            Ok(())
        }
    }

    fn try_get(&mut self, wakeups: &mut Wakeups) -> Result<T, TryGetError> {
        match self.take(wakeups) {
            Some(item) => Ok(item),
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
                handed: 0,
                reserved: 0,
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
                state.getters.for_each_notified(|slot| {
                    if let Some(item) = slot.take() {
                        drained.push(item);
                    }
                });
                state.handed = 0;
                state.unfinished = state.unfinished.saturating_sub(drained.len());
                if state.unfinished == 0 {
                    state.joiners.notify_all(&mut wakeups);
                }
            }
            state.getters.notify_all(&mut wakeups);
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
                    Some(reserved) => {
                        this.key = None;
                        if reserved {
                            // Our room: `try_put` below takes it (or reports
                            // a shutdown that came after the reservation).
                            state.reserved -= 1;
                        }
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
                    this.key = Some(state.putters.push_back(Some(cx.waker().clone()), false));
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
            if let Some(Removed::Notified(true)) = state.putters.remove(key) {
                // Room was reserved for us: hand it to the next putter.
                state.reserved -= 1;
                state.admit_putters(&mut wakeups);
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
/// Dropping it while it waits loses nothing: an item already handed to it goes
/// to the next getter, or back into the queue as its oldest item.
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
                    Some(Some(item)) => {
                        this.key = None;
                        state.handed -= 1;
                        // Collecting the item made room.
                        state.admit_putters(&mut wakeups);
                        drop(state);
                        wakeups.wake();
                        return Poll::Ready(Ok(item));
                    }
                    // Woken by a shutdown: look again below.
                    Some(None) => this.key = None,
                }
            }
            match state.try_get(&mut wakeups) {
                Ok(item) => Poll::Ready(Ok(item)),
                Err(TryGetError::ShutDown(error)) => Poll::Ready(Err(error)),
                Err(TryGetError::Empty(_)) => {
                    this.key = Some(state.getters.push_back(Some(cx.waker().clone()), None));
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
            if let Some(Removed::Notified(Some(item))) = state.getters.remove(key) {
                // Handed an item we will not return: pass it on, or put it
                // back where it came from. It still counts in qsize either way.
                state.handed -= 1;
                state.hand_or_store(item, &mut wakeups, Items::unpop);
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
