//! The epoll backend's table of registered fds: for each, the operations
//! waiting for it to become readable or writable. Indexed by the fd number
//! (small, dense integers), so finding an fd's waiters costs an index, not
//! a hash, on every operation and every readiness event.

use std::os::fd::RawFd;
use std::task::Waker;

use crate::driver::op::Interest;

/// The operations waiting for one fd and interest, in the order they
/// started waiting. Almost always one (a socket's reader, or its writer):
/// that one is kept inline, in the fd's own slot, so waiting and waking
/// touch no memory of the list's own (at 1,000 connections a list on the
/// heap was a cache miss on every wait).
pub(super) struct Inline<T> {
    first: Option<T>,
    rest: Vec<T>,
}

impl<T> Default for Inline<T> {
    fn default() -> Self {
        Inline {
            first: None,
            rest: Vec::new(),
        }
    }
}

impl<T> Inline<T> {
    /// Adds `item` last.
    pub(super) fn push(&mut self, item: T) {
        if self.first.is_none() && self.rest.is_empty() {
            self.first = Some(item);
        } else {
            self.rest.push(item);
        }
    }

    /// Whether nobody waits.
    pub(super) fn is_empty(&self) -> bool {
        self.first.is_none() && self.rest.is_empty()
    }

    /// Keeps the items `keep` accepts, in order.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        if self.first.as_ref().is_some_and(|k| !keep(k)) {
            self.first = None;
        }
        self.rest.retain(keep);
    }

    /// Takes every item, in order, leaving the list empty.
    pub(super) fn take(&mut self) -> impl Iterator<Item = T> + '_ {
        self.first.take().into_iter().chain(self.rest.drain(..))
    }
}

impl<T> IntoIterator for Inline<T> {
    type Item = T;
    type IntoIter = std::iter::Chain<std::option::IntoIter<T>, std::vec::IntoIter<T>>;

    fn into_iter(self) -> Self::IntoIter {
        self.first.into_iter().chain(self.rest)
    }
}

/// The slab keys of the operations waiting for one fd and interest.
pub(super) type Keys = Inline<usize>;

/// The operations on the readiness path (no slab entry, see the module
/// docs of `epoll`) waiting for one fd and interest: each by the id it got
/// when it started waiting, with its task's waker.
pub(super) type Tasks = Inline<(u64, Waker)>;

impl Tasks {
    /// If `id` still waits (no readiness event took it), gives it `waker`
    /// (the future may have moved to another task) and says so.
    pub(super) fn refresh(&mut self, id: u64, waker: &Waker) -> bool {
        let found = self
            .first
            .iter_mut()
            .chain(self.rest.iter_mut())
            .find(|(k, _)| *k == id);
        match found {
            Some((_, w)) => {
                if !w.will_wake(waker) {
                    w.clone_from(waker);
                }
                true
            }
            None => false,
        }
    }

    /// Removes the waiter `id`; whether it was there.
    pub(super) fn remove(&mut self, id: u64) -> bool {
        let mut found = false;
        self.retain(|(k, _)| {
            found |= *k == id;
            *k != id
        });
        found
    }

    /// Moves every waiter's waker into `into`, in order; returns how many.
    pub(super) fn wake_into(&mut self, into: &mut Vec<Waker>) -> usize {
        let mut n = 0;
        if let Some((_, w)) = self.first.take() {
            into.push(w);
            n += 1;
        }
        if !self.rest.is_empty() {
            n += self.rest.len();
            into.extend(self.rest.drain(..).map(|(_, w)| w));
        }
        n
    }
}

/// One fd's readiness and the operations waiting for it.
pub(super) struct Waiters {
    pub(super) read: Keys,
    pub(super) write: Keys,
    /// Waiting operations of the readiness path, per interest.
    pub(super) read_tasks: Tasks,
    pub(super) write_tasks: Tasks,
    /// epoll accepted the fd (a regular file is refused: always ready).
    pub(super) pollable: bool,
    /// Not known to be drained for reading (or writing): a try may succeed.
    readable: bool,
    writable: bool,
    /// The peer closed its side (or the fd failed): reads (writes) never
    /// wait again, and no edge will come to say so, so this state sticks
    /// (as tokio's READ_CLOSED does). Without it, a read that drains the
    /// last bytes after the hang-up event would wait forever for an edge.
    read_closed: bool,
    write_closed: bool,
}

impl Waiters {
    /// A newly registered fd: nothing known, so both ways may be tried.
    pub(super) fn new(pollable: bool) -> Waiters {
        Waiters {
            read: Keys::default(),
            write: Keys::default(),
            read_tasks: Tasks::default(),
            write_tasks: Tasks::default(),
            pollable,
            readable: true,
            writable: true,
            read_closed: false,
            write_closed: false,
        }
    }

    /// Whether a try for `interest` may succeed.
    pub(super) fn is_ready(&self, interest: Interest) -> bool {
        match interest {
            Interest::Read => self.readable || self.read_closed,
            Interest::Write => self.writable || self.write_closed,
        }
    }

    /// Records that the peer closed `interest`'s side (for good).
    pub(super) fn set_closed(&mut self, interest: Interest) {
        match interest {
            Interest::Read => self.read_closed = true,
            Interest::Write => self.write_closed = true,
        }
    }

    /// Records a readiness event (`true`) or a drained fd (`false`).
    pub(super) fn set_ready(&mut self, interest: Interest, ready: bool) {
        match interest {
            Interest::Read => self.readable = ready,
            Interest::Write => self.writable = ready,
        }
    }

    /// The list of the operations waiting for `interest`.
    pub(super) fn list(&mut self, interest: Interest) -> &mut Keys {
        match interest {
            Interest::Read => &mut self.read,
            Interest::Write => &mut self.write,
        }
    }

    /// The readiness path's waiters for `interest`.
    pub(super) fn tasks(&mut self, interest: Interest) -> &mut Tasks {
        match interest {
            Interest::Read => &mut self.read_tasks,
            Interest::Write => &mut self.write_tasks,
        }
    }

    /// Whether any operation waits on the fd (either way, either path).
    pub(super) fn has_waiters(&self) -> bool {
        !self.read.is_empty()
            || !self.write.is_empty()
            || !self.read_tasks.is_empty()
            || !self.write_tasks.is_empty()
    }
}

/// Registered fds and their waiters.
#[derive(Default)]
pub(super) struct FdTable {
    slots: Vec<Option<Waiters>>,
}

impl FdTable {
    fn index(fd: RawFd) -> Option<usize> {
        usize::try_from(fd).ok()
    }

    /// Whether `fd` is registered.
    pub(super) fn contains(&self, fd: RawFd) -> bool {
        Self::index(fd).is_some_and(|i| matches!(self.slots.get(i), Some(Some(_))))
    }

    /// The waiters of `fd`, if it is registered.
    pub(super) fn get_mut(&mut self, fd: RawFd) -> Option<&mut Waiters> {
        self.slots.get_mut(Self::index(fd)?)?.as_mut()
    }

    /// Registers `fd` with `w` (a negative fd is ignored).
    pub(super) fn insert(&mut self, fd: RawFd, w: Waiters) {
        let Some(i) = Self::index(fd) else {
            return;
        };
        if self.slots.len() <= i {
            self.slots.resize_with(i + 1, || None);
        }
        self.slots[i] = Some(w);
    }

    /// Forgets `fd`; returns its waiters.
    pub(super) fn remove(&mut self, fd: RawFd) -> Option<Waiters> {
        self.slots.get_mut(Self::index(fd)?)?.take()
    }

    /// Keeps the fds whose waiters `keep` accepts.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&Waiters) -> bool) {
        for slot in &mut self.slots {
            if slot.as_ref().is_some_and(|w| !keep(w)) {
                *slot = None;
            }
        }
    }

    /// Forgets every fd; returns their waiters.
    pub(super) fn drain(&mut self) -> impl Iterator<Item = Waiters> + '_ {
        self.slots.drain(..).flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::{Keys, Tasks};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::{Wake, Waker};

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn tasks_refresh_remove_and_wake_in_order() {
        let counts: Vec<Arc<Count>> = (0..3)
            .map(|_| Arc::new(Count(AtomicUsize::new(0))))
            .collect();
        let wakers: Vec<Waker> = counts.iter().map(|c| Waker::from(c.clone())).collect();
        let mut t = Tasks::default();
        assert!(t.is_empty());
        t.push((1, wakers[0].clone()));
        t.push((2, wakers[1].clone()));
        t.push((3, wakers[2].clone()));
        // 2 moved to the task of waker 0.
        assert!(t.refresh(2, &wakers[0]));
        assert!(!t.refresh(9, &wakers[0]));
        assert!(t.remove(1));
        assert!(!t.remove(1));
        let mut out = Vec::new();
        assert_eq!(t.wake_into(&mut out), 2);
        assert!(t.is_empty());
        assert!(!t.refresh(2, &wakers[0]), "a woken waiter no longer waits");
        for w in out {
            w.wake();
        }
        let woken: Vec<usize> = counts.iter().map(|c| c.0.load(Ordering::SeqCst)).collect();
        assert_eq!(woken, [1, 0, 1]);
    }

    #[test]
    fn keys_keep_their_order_inline_or_not() {
        let mut k = Keys::default();
        assert!(k.is_empty());
        k.push(1);
        k.push(2);
        k.push(3);
        k.retain(|&x| x != 1);
        // The inline slot is free again, but 2 and 3 came first.
        k.push(4);
        assert_eq!(k.take().collect::<Vec<_>>(), [2, 3, 4]);
        assert!(k.is_empty());
        k.push(5);
        k.push(6);
        k.retain(|&x| x != 6);
        assert_eq!(k.into_iter().collect::<Vec<_>>(), [5]);
    }
}
