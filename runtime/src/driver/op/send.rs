//! `IORING_OP_SEND` from an owned buffer.

use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::OpCode;
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
}
