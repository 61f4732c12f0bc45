//! `IORING_OP_RECV` into an owned buffer, with a stash for the bytes of a
//! receive whose future was dropped after the kernel had filled it.

use std::os::fd::RawFd;
use std::rc::Rc;

use io_uring::{opcode, squeue, types};

use super::OpCode;
use crate::buf::IoBufMut;
use crate::driver::Cqe;
use crate::net::stash::Stash;

/// Receives into `0..bytes_total()` of `buf`.
pub(crate) struct Recv<B> {
    pub(crate) fd: RawFd,
    pub(crate) buf: B,
    /// For stream sockets: where the bytes of a dropped-but-completed
    /// receive go, so that the next read returns them (none are lost).
    pub(crate) stash: Option<Rc<Stash>>,
}

// SAFETY: the SQE points into `buf`'s memory, stable by IoBufMut's contract.
unsafe impl<B: IoBufMut> OpCode for Recv<B> {
    fn sqe(&mut self) -> squeue::Entry {
        let len = self.buf.bytes_total().min(u32::MAX as usize) as u32;
        opcode::Recv::new(types::Fd(self.fd), self.buf.stable_mut_ptr(), len).build()
    }

    fn release(&mut self, cqe: &Cqe) {
        if let Some(stash) = &self.stash {
            let got = if cqe.result > 0 {
                let n = (cqe.result as usize).min(self.buf.bytes_total());
                // SAFETY: the kernel wrote `n` bytes at the start of the
                // buffer, which we own and nobody else touches any more.
                Some(unsafe { std::slice::from_raw_parts(self.buf.stable_mut_ptr(), n) })
            } else {
                None
            };
            stash.finish(got);
        }
    }
}
