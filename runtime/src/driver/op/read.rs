//! `IORING_OP_READ` into an owned buffer.

use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::OpCode;
use crate::buf::IoBufMut;

/// Reads into the spare part of `buf` (from `bytes_init()` for growable
/// buffers is not assumed: it reads into `0..bytes_total()`).
pub(crate) struct Read<B> {
    pub(crate) fd: RawFd,
    pub(crate) buf: B,
    /// File offset, or `u64::MAX` for the current position / a stream.
    pub(crate) offset: u64,
}

// SAFETY: the SQE points into `buf`'s memory, stable by IoBufMut's contract.
unsafe impl<B: IoBufMut> OpCode for Read<B> {
    fn sqe(&mut self) -> squeue::Entry {
        let len = self.buf.bytes_total().min(u32::MAX as usize) as u32;
        opcode::Read::new(types::Fd(self.fd), self.buf.stable_mut_ptr(), len)
            .offset(self.offset)
            .build()
    }
}
