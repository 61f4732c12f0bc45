//! The part of an event loop other threads may touch: the remote run queue
//! and the eventfd that wakes a parked loop.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use crate::metrics::Siblings;
use crate::task::raw::TaskRef;
use crate::unhandled::Hook;

/// A task reference in transit from another thread to its owner loop.
struct RemoteTask(TaskRef);

// SAFETY: a RemoteTask is created on any thread but only *used* (polled,
// cancelled) by the owner loop that drains the queue. On a foreign thread it
// is only moved, or dropped after the loop closed, when every task is
// complete, so dropping it frees no `!Send` future or output there (see the
// task module's invariants).
unsafe impl Send for RemoteTask {}

/// A function queued from another thread to run on the loop's thread.
pub(crate) type RemoteCallback = Box<dyn FnOnce() + Send + 'static>;

struct Remote {
    tasks: Vec<RemoteTask>,
    /// `call_soon_threadsafe` callbacks, run on the loop in arrival order.
    callbacks: Vec<RemoteCallback>,
    closed: bool,
    /// The loop's eventfd; `None` once the loop shut down, so a waker or
    /// `JoinHandle` that outlives the loop does not keep it open. Inside
    /// the mutex so that closing it cannot race a write to its number.
    eventfd: Option<OwnedFd>,
}

/// Cross-thread half of one loop. Held by every task header (as `Arc`), by
/// the main future's waker and by the loop.
pub(crate) struct Shared {
    remote: Mutex<Remote>,
    /// Set once the eventfd was written and not yet consumed by the loop:
    /// later wakes skip the syscall (and the lock).
    notified: AtomicBool,
    /// The eventfd's number, for the driver's armed read (valid until
    /// [`Shared::release_eventfd`], which runs after the driver shut down).
    eventfd_raw: RawFd,
    /// The loop's hook for errors nobody can retrieve (`None`: the default
    /// report). Read-only once the loop is built.
    pub(crate) unhandled: Option<Hook>,
    /// The loops of the `run_per_thread` this loop belongs to (metrics).
    pub(crate) siblings: OnceLock<Siblings>,
}

impl Shared {
    pub(crate) fn new() -> io::Result<Shared> {
        // SAFETY: eventfd has no memory-safety preconditions.
        let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Shared {
            remote: Mutex::new(Remote {
                tasks: Vec::new(),
                callbacks: Vec::new(),
                closed: false,
                // SAFETY: `fd` is a fresh descriptor owned by nobody else.
                eventfd: Some(unsafe { OwnedFd::from_raw_fd(fd) }),
            }),
            notified: AtomicBool::new(false),
            eventfd_raw: fd,
            unhandled: None,
            siblings: OnceLock::new(),
        })
    }

    /// The hook for unretrievable errors, if one replaced the default.
    pub(crate) fn unhandled_hook(&self) -> Option<&Hook> {
        self.unhandled.as_ref()
    }

    pub(crate) fn eventfd(&self) -> RawFd {
        self.eventfd_raw
    }

    fn lock(&self) -> MutexGuard<'_, Remote> {
        // The queue holds plain data; a panic elsewhere cannot leave it torn.
        self.remote.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a task woken off its loop's thread and wakes the loop.
    pub(crate) fn push_remote(&self, task: TaskRef) {
        let mut remote = self.lock();
        if remote.closed {
            drop(remote);
            drop(task);
            return;
        }
        remote.tasks.push(RemoteTask(task));
        drop(remote);
        self.notify();
    }

    /// Queues `f` to run on the loop's thread and wakes the loop; hands it
    /// back if the loop has shut down.
    pub(crate) fn push_callback(&self, f: RemoteCallback) -> Result<(), RemoteCallback> {
        let mut remote = self.lock();
        if remote.closed {
            return Err(f);
        }
        remote.callbacks.push(f);
        drop(remote);
        self.notify();
        Ok(())
    }

    /// Wakes the loop if it is (or is about to be) parked in the ring.
    pub(crate) fn notify(&self) {
        if !self.notified.swap(true, Ordering::AcqRel) {
            let remote = self.lock();
            let Some(fd) = &remote.eventfd else {
                return;
            };
            let one: u64 = 1;
            // SAFETY: writes 8 bytes from a live u64 to our own eventfd,
            // kept open by the lock we hold.
            let n = unsafe {
                libc::write(
                    fd.as_raw_fd(),
                    (&one as *const u64).cast(),
                    std::mem::size_of::<u64>(),
                )
            };
            // EAGAIN means the counter is already huge: the loop wakes anyway.
            let _ = n;
        }
    }

    /// Takes the tasks woken from other threads. Clears `notified` first so
    /// that a wake racing with this drain writes the eventfd again.
    pub(crate) fn drain_remote(
        &self,
        out: &mut impl FnMut(TaskRef),
        callbacks: &mut Vec<RemoteCallback>,
    ) {
        if !self.notified.swap(false, Ordering::AcqRel) {
            return;
        }
        let tasks = {
            let mut remote = self.lock();
            callbacks.append(&mut remote.callbacks);
            std::mem::take(&mut remote.tasks)
        };
        for RemoteTask(t) in tasks {
            out(t);
        }
    }

    /// Refuses further remote wakes and callbacks and returns what is
    /// queued (to be dropped on the loop's thread, without running).
    pub(crate) fn close(&self) -> (Vec<TaskRef>, Vec<RemoteCallback>) {
        let mut remote = self.lock();
        remote.closed = true;
        let tasks = std::mem::take(&mut remote.tasks)
            .into_iter()
            .map(|RemoteTask(t)| t)
            .collect();
        (tasks, std::mem::take(&mut remote.callbacks))
    }

    /// Closes the eventfd (after the loop's driver shut down, so no read is
    /// armed on it); later wakes do nothing.
    pub(crate) fn release_eventfd(&self) {
        let fd = self.lock().eventfd.take();
        drop(fd);
    }
}
