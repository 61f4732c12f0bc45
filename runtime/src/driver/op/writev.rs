//! `IORING_OP_WRITEV` from several owned buffers (gathered write).

use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::{short, syscall_result, Interest, OpCode, Readiness};
use crate::buf::IoBuf;

/// Writes the initialised bytes of every buffer in `bufs`, in order.
pub(crate) struct Writev<B> {
    pub(crate) fd: RawFd,
    pub(crate) bufs: Vec<B>,
    /// Built by `sqe`; a Vec whose heap block the SQE points at.
    pub(crate) iovecs: Vec<libc::iovec>,
}

impl<B: IoBuf> Writev<B> {
    pub(crate) fn new(fd: RawFd, bufs: Vec<B>) -> Writev<B> {
        Writev {
            fd,
            bufs,
            iovecs: Vec::new(),
        }
    }
}

// SAFETY: the SQE points into `iovecs`' heap block (not resized after
// `sqe`), whose entries point into the buffers' stable memory.
unsafe impl<B: IoBuf> OpCode for Writev<B> {
    fn sqe(&mut self) -> squeue::Entry {
        let n = self.build_iovecs();
        opcode::Writev::new(types::Fd(self.fd), self.iovecs.as_ptr(), n)
            .offset(u64::MAX)
            .build()
    }

    fn readiness(&self) -> Readiness {
        Readiness::Fd(self.fd, Interest::Write)
    }

    /// `sendmsg(2)` (no SIGPIPE, no wait) on a socket, `writev(2)` on
    /// anything else.
    fn attempt(&mut self) -> i32 {
        let n = self.build_iovecs();
        // SAFETY: msghdr is plain data; all-zero is a valid (empty) header.
        let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
        msg.msg_iov = self.iovecs.as_mut_ptr();
        msg.msg_iovlen = n as _;
        let flags = libc::MSG_NOSIGNAL | libc::MSG_DONTWAIT;
        // SAFETY: the header points at the iovecs, which point into the
        // buffers' initialised bytes.
        let r = syscall_result(unsafe { libc::sendmsg(self.fd, &msg, flags) });
        if r != -libc::ENOTSOCK {
            return r;
        }
        // SAFETY: as above, `n` iovecs.
        syscall_result(unsafe { libc::writev(self.fd, self.iovecs.as_ptr(), n as libc::c_int) })
    }

    /// A short write filled the socket's send buffer (or the pipe).
    fn drained(&self, result: i32) -> bool {
        let used = self.iovecs.iter().take(libc::UIO_MAXIOV as usize);
        short(result, used.map(|v| v.iov_len).sum())
    }
}

impl<B: IoBuf> Writev<B> {
    /// Points `iovecs` at the buffers; returns how many are used.
    fn build_iovecs(&mut self) -> u32 {
        self.iovecs = self
            .bufs
            .iter()
            .map(|b| libc::iovec {
                iov_base: b.stable_ptr() as *mut libc::c_void,
                iov_len: b.bytes_init(),
            })
            .collect();
        self.iovecs.len().min(libc::UIO_MAXIOV as usize) as u32
    }
}
