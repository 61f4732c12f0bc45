//! `IORING_OP_WRITE` from an owned buffer.

use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::OpCode;
use crate::buf::IoBuf;

/// Writes the initialised bytes of `buf`.
pub(crate) struct Write<B> {
    pub(crate) fd: RawFd,
    pub(crate) buf: B,
    /// File offset, or `u64::MAX` for the current position / a stream.
    pub(crate) offset: u64,
}

// SAFETY: the SQE points into `buf`'s memory, stable by IoBuf's contract.
unsafe impl<B: IoBuf> OpCode for Write<B> {
    fn sqe(&mut self) -> squeue::Entry {
        let len = self.buf.bytes_init().min(u32::MAX as usize) as u32;
        opcode::Write::new(types::Fd(self.fd), self.buf.stable_ptr(), len)
            .offset(self.offset)
            .build()
    }
}
