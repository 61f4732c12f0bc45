//! `IORING_OP_SEND` from an owned buffer.

use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::{short, syscall_result, Interest, OpCode, Readiness};
use crate::buf::IoBuf;

/// The io_uring opcode a send stands for, in the metrics per opcode.
pub(crate) const SEND_OPCODE: u32 = opcode::Send::CODE as u32;

/// One non-blocking send of the initialised bytes of `buf` (the readiness
/// path's call, and [`Send`]'s try): the count or `-errno` (`-EAGAIN`: the
/// send buffer is full), and whether it filled the socket (a short send).
pub(crate) fn send_now<B: IoBuf>(fd: RawFd, buf: &B) -> (i32, bool) {
    let flags = libc::MSG_NOSIGNAL | libc::MSG_DONTWAIT;
    let (ptr, len) = (buf.stable_ptr(), buf.bytes_init());
    // SAFETY: the pointer and length describe `buf`'s initialised bytes,
    // borrowed for the call; the kernel only reads them.
    let n = unsafe { libc::send(fd, ptr.cast(), len, flags) };
    let result = syscall_result(n);
    (result, short(result, len))
}

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
        send_now(self.fd, &self.buf).0
    }

    /// A short send filled the socket's send buffer.
    fn drained(&self, result: i32) -> bool {
        short(result, self.buf.bytes_init())
    }
}
