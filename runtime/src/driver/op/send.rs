//! `IORING_OP_SEND` from an owned buffer.

use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::{short, syscall_result, Interest, OpCode, Readiness};
use crate::buf::IoBuf;

/// Sends the initialised bytes of `buf`. `MSG_NOSIGNAL` is always set: a
/// closed peer is reported as `BrokenPipe`, never as a SIGPIPE.
pub(crate) struct Send<B> {
    pub(crate) fd: RawFd,
    pub(crate) buf: B,
}

// SAFETY: the SQE points into `buf`'s memory, stable by IoBuf's contract.
unsafe impl<B: IoBuf> OpCode for Send<B> {
    fn sqe(&mut self) -> squeue::Entry {
        let len = self.buf.bytes_init().min(u32::MAX as usize) as u32;
        opcode::Send::new(types::Fd(self.fd), self.buf.stable_ptr(), len)
            .flags(libc::MSG_NOSIGNAL)
            .build()
    }

    fn readiness(&self) -> Readiness {
        Readiness::Fd(self.fd, Interest::Write)
    }

    fn attempt(&mut self) -> i32 {
        let flags = libc::MSG_NOSIGNAL | libc::MSG_DONTWAIT;
        let (ptr, len) = (self.buf.stable_ptr(), self.buf.bytes_init());
        // SAFETY: the pointer and length describe `buf`'s initialised bytes.
        let n = unsafe { libc::send(self.fd, ptr.cast(), len, flags) };
        syscall_result(n)
    }

    /// A short send filled the socket's send buffer.
    fn drained(&self, result: i32) -> bool {
        short(result, self.buf.bytes_init())
    }
}
