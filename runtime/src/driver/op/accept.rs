//! `IORING_OP_ACCEPT`, single-shot or multishot (`IORING_ACCEPT_MULTISHOT`).

use std::os::fd::RawFd;
use std::task::Waker;

use io_uring::{opcode, squeue, types};

use super::{syscall_result, Interest, OpCode, Readiness};
use crate::driver::Cqe;

/// Accepts connections on the listening socket `fd`. The accepted sockets
/// are close-on-exec; their peer address is asked for afterwards
/// (`getpeername`), since multishot accept cannot return it.
pub(crate) struct Accept {
    pub(crate) fd: RawFd,
    /// Keep accepting until cancelled or an error ends it.
    pub(crate) multi: bool,
}

// SAFETY: the SQE points to no memory (no sockaddr is asked for).
unsafe impl OpCode for Accept {
    fn sqe(&mut self) -> squeue::Entry {
        if self.multi {
            opcode::AcceptMulti::new(types::Fd(self.fd))
                .flags(libc::SOCK_CLOEXEC)
                .build()
        } else {
            opcode::Accept::new(
                types::Fd(self.fd),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
            .flags(libc::SOCK_CLOEXEC)
            .build()
        }
    }

    fn readiness(&self) -> Readiness {
        Readiness::Fd(self.fd, Interest::Read)
    }

    /// `accept4(2)`; the accepted socket is non-blocking, as the readiness
    /// backend needs it.
    fn attempt(&mut self) -> i32 {
        let flags = libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK;
        let none = std::ptr::null_mut();
        // SAFETY: no address is asked for (null pointers).
        let fd = unsafe { libc::accept4(self.fd, none, std::ptr::null_mut(), flags) };
        syscall_result(fd as isize)
    }

    /// A connection accepted for a future that is gone: close it, so the
    /// fd does not leak (the peer sees the connection closed).
    fn release(&mut self, cqe: &Cqe, _wakes: &mut Vec<Waker>) {
        if cqe.result >= 0 {
            // SAFETY: the kernel just created this fd for us; nobody else
            // knows its number.
            unsafe { libc::close(cqe.result) };
        }
    }
}
