//! The FIFO list of waiting tasks that every primitive in the crate is built on.
//!
//! # The model
//!
//! A primitive keeps its state and a [`WaitList`] together behind one mutex.
//! A task that has to wait pushes an entry at the back and keeps the returned
//! [`Key`]; the entry carries a payload `W` (a value handed over, an item to
//! put, a permit count) and the task's waker.
//!
//! An entry is in one of two states:
//!
//! - **waiting**: linked into the list, in arrival order;
//! - **notified**: unlinked by whoever released the resource, which has also
//!   written the hand-off into the payload (the lock's value, a queue item,
//!   the permits). The entry stays allocated until its owner collects it.
//!
//! Only the owner of a key frees its entry, either by collecting the payload
//! ([`WaitList::poll`] returning it) or by removing it when the waiting future
//! is dropped ([`WaitList::remove`]). So a key stays valid for its whole life
//! and is never reused behind its owner's back.
//!
//! # Why this gives the crate's guarantees
//!
//! - *FIFO hand-off*: a releaser notifies the head of the list and writes the
//!   resource into that entry in the same critical section, so nobody can take
//!   it in between; a newcomer sees a non-empty list and queues behind.
//! - *Cancellation safety*: a dropped waiter calls [`WaitList::remove`], which
//!   says whether it had been notified and gives back the payload; the
//!   primitive then passes what the payload holds to the next waiter.
//! - *No lost wake-ups*: registration and the check that made the task wait
//!   happen under the same lock as the release, and a notified entry stays
//!   notified until its owner looks.
//!
//! Entries live in a slab (a `Vec` plus a free list) and are linked by index,
//! so pushing, notifying the head and removing from the middle are all O(1)
//! and allocation-free once the slab has grown to the peak number of waiters.

use std::fmt;
use std::task::Waker;

/// No entry: the end of the list, or of the free list.
const NIL: usize = usize::MAX;

/// Identifies one entry of a [`WaitList`]; owned by exactly one waiting future.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Key(usize);

enum Slot<W> {
    Vacant {
        next_free: usize,
    },
    Waiting {
        prev: usize,
        next: usize,
        waker: Option<Waker>,
        data: W,
    },
    Notified {
        data: W,
    },
}

/// What [`WaitList::remove`] found in the entry it freed.
#[derive(Debug)]
pub(crate) enum Removed<W> {
    /// The entry was still waiting: nothing had been handed to it.
    Waiting(W),
    /// The entry had been notified: the payload may hold a hand-off that the
    /// caller must pass on.
    Notified(W),
}

/// A FIFO list of waiters with O(1) push, notify-head and remove.
pub(crate) struct WaitList<W> {
    slots: Vec<Slot<W>>,
    free: usize,
    head: usize,
    tail: usize,
    waiting: usize,
}

impl<W> WaitList<W> {
    /// An empty list; allocates nothing.
    pub(crate) const fn new() -> Self {
        Self {
            slots: Vec::new(),
            free: NIL,
            head: NIL,
            tail: NIL,
            waiting: 0,
        }
    }

    /// Whether no entry is waiting (notified entries do not count).
    pub(crate) fn is_empty(&self) -> bool {
        self.waiting == 0
    }

    /// How many entries are waiting.
    pub(crate) fn len(&self) -> usize {
        self.waiting
    }

    /// Appends a waiting entry and returns its key.
    pub(crate) fn push_back(&mut self, waker: Option<Waker>, data: W) -> Key {
        let slot = Slot::Waiting {
            prev: self.tail,
            next: NIL,
            waker,
            data,
        };
        let index = if self.free == NIL {
            self.slots.push(slot);
            self.slots.len() - 1
        } else {
            let index = self.free;
            self.free = match self.slots[index] {
                Slot::Vacant { next_free } => next_free,
                _ => NIL,
            };
            self.slots[index] = slot;
            index
        };
        match self.slots.get_mut(self.tail) {
            Some(Slot::Waiting { next, .. }) => *next = index,
            _ => self.head = index,
        }
        self.tail = index;
        self.waiting += 1;
        Key(index)
    }

    /// The payload of the first waiting entry.
    pub(crate) fn front(&self) -> Option<&W> {
        match self.slots.get(self.head) {
            Some(Slot::Waiting { data, .. }) => Some(data),
            _ => None,
        }
    }

    /// The payload of the first waiting entry, to write a hand-off into it
    /// before [`notify_front`](Self::notify_front).
    pub(crate) fn front_mut(&mut self) -> Option<&mut W> {
        match self.slots.get_mut(self.head) {
            Some(Slot::Waiting { data, .. }) => Some(data),
            _ => None,
        }
    }

    /// Unlinks the first waiting entry, marks it notified and returns its
    /// waker (to be woken once the caller has released its lock).
    pub(crate) fn notify_front(&mut self) -> Option<Waker> {
        let index = self.head;
        self.unlink(index).and_then(|(waker, data)| {
            self.slots[index] = Slot::Notified { data };
            waker
        })
    }

    /// Notifies every waiting entry, front to back, pushing their wakers.
    pub(crate) fn notify_all(&mut self, wakeups: &mut Wakeups) {
        while !self.is_empty() {
            wakeups.push(self.notify_front());
        }
    }

    /// Unlinks and frees every waiting entry, front to back, pushing their
    /// wakers. Their keys die with them, so the owners must learn of it some
    /// other way ([`Event`](crate::Event) bumps a generation counter): this
    /// saves each woken owner a trip through the lock to collect its entry.
    pub(crate) fn drain_all(&mut self, wakeups: &mut Wakeups) {
        loop {
            let index = self.head;
            let Some((waker, _)) = self.unlink(index) else {
                break;
            };
            self.release_index(index);
            wakeups.push(waker);
        }
    }

    /// The owner of `key` checks on its entry: a notified entry is freed and
    /// its payload returned; a waiting one has its waker updated.
    pub(crate) fn poll(&mut self, key: Key, waker: &Waker) -> Option<W> {
        match self.slots.get_mut(key.0) {
            Some(Slot::Waiting { waker: stored, .. }) => {
                match stored {
                    Some(stored) if stored.will_wake(waker) => {}
                    _ => *stored = Some(waker.clone()),
                }
                None
            }
            Some(Slot::Notified { .. }) => match self.free_slot(key.0) {
                Slot::Notified { data } => Some(data),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether the entry of `key` has been notified.
    #[cfg(test)]
    pub(crate) fn is_notified(&self, key: Key) -> bool {
        matches!(self.slots.get(key.0), Some(Slot::Notified { .. }))
    }

    /// The owner of `key` gives up: frees the entry and reports what it held.
    pub(crate) fn remove(&mut self, key: Key) -> Option<Removed<W>> {
        match self.slots.get(key.0) {
            Some(Slot::Waiting { .. }) => self.unlink(key.0).map(|(_, data)| {
                self.release_index(key.0);
                Removed::Waiting(data)
            }),
            Some(Slot::Notified { .. }) => match self.free_slot(key.0) {
                Slot::Notified { data } => Some(Removed::Notified(data)),
                _ => None,
            },
            _ => None,
        }
    }

    /// Takes a waiting entry out of the linked list, leaving the slot vacant
    /// (the caller decides what the slot becomes).
    fn unlink(&mut self, index: usize) -> Option<(Option<Waker>, W)> {
        let slot = self.slots.get_mut(index)?;
        let Slot::Waiting { .. } = slot else {
            return None;
        };
        let Slot::Waiting {
            prev,
            next,
            waker,
            data,
        } = std::mem::replace(slot, Slot::Vacant { next_free: NIL })
        else {
            return None;
        };
        match self.slots.get_mut(prev) {
            Some(Slot::Waiting { next: p_next, .. }) => *p_next = next,
            _ => self.head = next,
        }
        match self.slots.get_mut(next) {
            Some(Slot::Waiting { prev: n_prev, .. }) => *n_prev = prev,
            _ => self.tail = prev,
        }
        self.waiting -= 1;
        Some((waker, data))
    }

    /// Puts an already-vacated slot on the free list.
    fn release_index(&mut self, index: usize) {
        self.slots[index] = Slot::Vacant {
            next_free: self.free,
        };
        self.free = index;
    }

    /// Frees a (notified) slot, returning what it held.
    fn free_slot(&mut self, index: usize) -> Slot<W> {
        let old = std::mem::replace(
            &mut self.slots[index],
            Slot::Vacant {
                next_free: self.free,
            },
        );
        self.free = index;
        old
    }
}

impl<W> Default for WaitList<W> {
    fn default() -> Self {
        Self::new()
    }
}

impl<W> fmt::Debug for WaitList<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitList")
            .field("waiting", &self.waiting)
            .finish_non_exhaustive()
    }
}

/// Wakers collected under a lock, woken after it is released.
///
/// Waking outside the critical section keeps it short, and means an executor
/// that polls the woken task at once never finds the lock still held.
#[derive(Debug, Default)]
pub(crate) struct Wakeups {
    one: Option<Waker>,
    more: Vec<Waker>,
}

impl Wakeups {
    /// No wakers yet; allocates nothing.
    pub(crate) const fn new() -> Self {
        Self {
            one: None,
            more: Vec::new(),
        }
    }

    /// Adds a waker, if there is one.
    pub(crate) fn push(&mut self, waker: Option<Waker>) {
        let Some(waker) = waker else { return };
        if self.one.is_none() {
            self.one = Some(waker);
        } else {
            self.more.push(waker);
        }
    }

    /// Wakes everything collected. Call with no lock held.
    pub(crate) fn wake(self) {
        if let Some(waker) = self.one {
            waker.wake();
        }
        for waker in self.more {
            waker.wake();
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    fn order(list: &WaitList<u32>) -> Vec<u32> {
        let mut out = Vec::new();
        let mut index = list.head;
        while let Some(Slot::Waiting { next, data, .. }) = list.slots.get(index) {
            out.push(*data);
            index = *next;
        }
        out
    }

    #[test]
    fn push_keeps_arrival_order() {
        let mut list = WaitList::new();
        for i in 0..5 {
            list.push_back(None, i);
        }
        assert_eq!(order(&list), [0, 1, 2, 3, 4]);
        assert_eq!(list.len(), 5);
    }

    #[test]
    fn remove_from_middle_head_and_tail_relinks() {
        let mut list = WaitList::new();
        let keys: Vec<Key> = (0..5).map(|i| list.push_back(None, i)).collect();
        assert!(matches!(list.remove(keys[2]), Some(Removed::Waiting(2))));
        assert_eq!(order(&list), [0, 1, 3, 4]);
        assert!(matches!(list.remove(keys[0]), Some(Removed::Waiting(0))));
        assert!(matches!(list.remove(keys[4]), Some(Removed::Waiting(4))));
        assert_eq!(order(&list), [1, 3]);
        assert_eq!(list.front(), Some(&1));
        assert_eq!(list.len(), 2);
    }

    #[test]
    fn notified_entry_keeps_its_payload_until_collected() {
        let mut list = WaitList::new();
        let a = list.push_back(None, 10);
        let b = list.push_back(None, 20);
        if let Some(data) = list.front_mut() {
            *data = 11;
        }
        list.notify_front();
        assert!(list.is_notified(a));
        assert!(!list.is_notified(b));
        assert_eq!(list.front(), Some(&20));
        assert_eq!(list.poll(a, Waker::noop()), Some(11));
        assert_eq!(list.poll(b, Waker::noop()), None);
        assert!(matches!(list.remove(b), Some(Removed::Waiting(20))));
        assert!(list.is_empty());
    }

    #[test]
    fn removing_a_notified_entry_reports_it() {
        let mut list = WaitList::new();
        let a = list.push_back(None, 1);
        list.notify_front();
        assert!(list.is_empty());
        assert!(matches!(list.remove(a), Some(Removed::Notified(1))));
    }

    #[test]
    fn slots_are_reused() {
        let mut list = WaitList::new();
        for round in 0..100 {
            let a = list.push_back(None, round);
            let b = list.push_back(None, round + 1);
            list.notify_front();
            assert_eq!(list.poll(a, Waker::noop()), Some(round));
            assert!(list.remove(b).is_some());
        }
        assert!(list.slots.len() <= 2);
    }

    #[test]
    fn drain_all_frees_every_entry() {
        let mut list = WaitList::new();
        for i in 0..4 {
            list.push_back(None, i);
        }
        let mut wakeups = Wakeups::new();
        list.drain_all(&mut wakeups);
        assert!(list.is_empty());
        assert!(list.front().is_none());
        let reused = list.push_back(None, 9);
        assert!(reused.0 < 4, "freed slots are reused");
        assert_eq!(order(&list), [9]);
    }

    #[test]
    fn notify_all_empties_the_list_in_order() {
        let mut list = WaitList::new();
        let keys: Vec<Key> = (0..4).map(|i| list.push_back(None, i)).collect();
        let mut wakeups = Wakeups::new();
        list.notify_all(&mut wakeups);
        assert!(list.is_empty());
        for (i, key) in keys.into_iter().enumerate() {
            assert_eq!(list.poll(key, Waker::noop()), Some(i as u32));
        }
    }
}
