//! `IORING_OP_READ` into an owned buffer, with a stash for the bytes of a
//! stream read whose future was dropped after the kernel had filled it.

use std::os::fd::RawFd;
use std::rc::Rc;
use std::task::Waker;

use io_uring::{opcode, squeue, types};

use super::OpCode;
use crate::buf::IoBufMut;
use crate::driver::Cqe;
use crate::stash::StreamStash;

/// Reads into the spare part of `buf` (from `bytes_init()` for growable
/// buffers is not assumed: it reads into `0..bytes_total()`).
pub(crate) struct Read<B> {
    pub(crate) fd: RawFd,
    pub(crate) buf: B,
    /// File offset, or `u64::MAX` for the current position / a stream.
    pub(crate) offset: u64,
    /// For streams (pipes): where the bytes of a dropped-but-completed
    /// read go, so that the next read returns them (none are lost). The
    /// read holds the stash's turn; its completion ends it.
    pub(crate) stash: Option<Rc<StreamStash>>,
}

// SAFETY: the SQE points into `buf`'s memory, stable by IoBufMut's contract.
unsafe impl<B: IoBufMut> OpCode for Read<B> {
    fn sqe(&mut self) -> squeue::Entry {
        let len = self.buf.bytes_total().min(u32::MAX as usize) as u32;
        opcode::Read::new(types::Fd(self.fd), self.buf.stable_mut_ptr(), len)
            .offset(self.offset)
            .build()
    }

    fn release(&mut self, cqe: &Cqe, wakes: &mut Vec<Waker>) {
        if let Some(stash) = &self.stash {
            stash.keep_completed(&mut self.buf, cqe, wakes);
        }
    }
}
