//! An owned file descriptor whose close is ordered with the ring.

use std::marker::PhantomData;
use std::os::fd::{AsRawFd, RawFd};

use crate::context;

/// Owns an fd used by ring operations. Dropping it closes the fd through
/// the ring when a loop runs here, after every SQE queued before it, so an
/// operation still waiting in the submission queue can never reach a reused
/// fd number. It is `!Send` for the same reason: the SQ it may have entries
/// in belongs to this thread.
#[derive(Debug)]
pub(crate) struct RingFd {
    fd: RawFd,
    _not_send: PhantomData<*const ()>,
}

impl RingFd {
    /// Takes ownership of `fd`.
    pub(crate) fn new(fd: RawFd) -> RingFd {
        RingFd {
            fd,
            _not_send: PhantomData,
        }
    }
}

impl AsRawFd for RingFd {
    fn as_raw_fd(&self) -> RawFd {
        self.fd
    }
}

impl Drop for RingFd {
    fn drop(&mut self) {
        let fd = self.fd;
        let handed_over = context::with_current(|h| {
            let h = h?;
            match h.driver.try_borrow_mut() {
                Ok(mut driver) => driver.close_fd(fd),
                // Dropped by user code running inside the driver (a waker
                // or a buffer dropped during a poll or a completion): SQEs
                // for this fd may still be queued, so closing it now could
                // let them reach a reused fd number. The driver closes it
                // through the ring before it next submits.
                Err(_) => h.deferred_closes.push(fd),
            }
            Some(())
        });
        if handed_over.is_none() {
            // No loop runs here, so every SQE of this thread was submitted
            // when its loop stopped: a direct close cannot race one.
            // SAFETY: we own `fd` and close it once.
            unsafe { libc::close(fd) };
        }
    }
}
