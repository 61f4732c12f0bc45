//! The epoll backend's table of registered fds: for each, the operations
//! waiting for it to become readable or writable. Indexed by the fd number
//! (small, dense integers), so finding an fd's waiters costs an index, not
//! a hash, on every operation and every readiness event.

use std::os::fd::RawFd;

use crate::driver::op::Interest;

/// One fd's readiness and the operations waiting for it.
pub(super) struct Waiters {
    pub(super) read: Vec<usize>,
    pub(super) write: Vec<usize>,
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
            read: Vec::new(),
            write: Vec::new(),
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
    pub(super) fn list(&mut self, interest: Interest) -> &mut Vec<usize> {
        match interest {
            Interest::Read => &mut self.read,
            Interest::Write => &mut self.write,
        }
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
