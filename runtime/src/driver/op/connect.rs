//! `IORING_OP_CONNECT`.

use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::{syscall_result, Interest, OpCode, Readiness};
use crate::sockaddr::SockAddr;

/// Connects the socket `fd` to `addr`.
pub(crate) struct Connect {
    pub(crate) fd: RawFd,
    /// Boxed: the SQE points at it.
    pub(crate) addr: Box<SockAddr>,
    /// Readiness backend: `connect(2)` was called and is in progress.
    pub(crate) started: bool,
}

// SAFETY: the SQE points into the boxed address, whose heap memory does not
// move when the op moves.
unsafe impl OpCode for Connect {
    fn sqe(&mut self) -> squeue::Entry {
        opcode::Connect::new(types::Fd(self.fd), self.addr.as_ptr(), self.addr.len()).build()
    }

    fn readiness(&self) -> Readiness {
        Readiness::Fd(self.fd, Interest::Write)
    }

    /// `connect(2)` on the non-blocking socket, then, once it is writable,
    /// its outcome (`SO_ERROR`, and `getpeername` for "still in progress").
    fn attempt(&mut self) -> i32 {
        if !self.started {
            // SAFETY: the pointer and length describe the boxed address.
            let r = unsafe { libc::connect(self.fd, self.addr.as_ptr(), self.addr.len()) };
            return match syscall_result(r as isize) {
                r if r == -libc::EINPROGRESS => {
                    self.started = true;
                    -libc::EAGAIN
                }
                r => r,
            };
        }
        let mut err: libc::c_int = 0;
        let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: the value pointer and length describe a live c_int.
        let r = unsafe {
            libc::getsockopt(
                self.fd,
                libc::SOL_SOCKET,
                libc::SO_ERROR,
                (&mut err as *mut libc::c_int).cast(),
                &mut len,
            )
        };
        if r < 0 {
            return syscall_result(r as isize);
        }
        if err != 0 {
            return -err;
        }
        let mut peer = SockAddr::empty();
        let mut plen = SockAddr::capacity();
        // SAFETY: the pointer and length describe storage for any address.
        let r = unsafe { libc::getpeername(self.fd, peer.as_mut_ptr(), &mut plen) };
        match syscall_result(r as isize) {
            r if r == -libc::ENOTCONN => -libc::EAGAIN,
            r => r,
        }
    }
}
