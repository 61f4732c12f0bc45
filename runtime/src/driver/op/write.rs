//! `IORING_OP_WRITE` from an owned buffer.

use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::{short, syscall_result, BlockingCall, Interest, OpCode, Readiness, SendPtr};
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

    fn readiness(&self) -> Readiness {
        if self.offset == u64::MAX {
            Readiness::Fd(self.fd, Interest::Write)
        } else {
            Readiness::Blocking
        }
    }

    fn attempt(&mut self) -> i32 {
        let (ptr, len) = (self.buf.stable_ptr(), self.buf.bytes_init());
        // SAFETY: the pointer and length describe `buf`'s initialised bytes.
        syscall_result(unsafe { libc::write(self.fd, ptr.cast(), len) })
    }

    /// A short write filled the pipe.
    fn drained(&self, result: i32) -> bool {
        short(result, self.buf.bytes_init())
    }

    fn blocking(&mut self) -> BlockingCall {
        let (fd, len) = (self.fd, self.buf.bytes_init());
        let ptr = SendPtr(self.buf.stable_ptr().cast_mut());
        let offset = self.offset as libc::off_t;
        BlockingCall::new(move || {
            // SAFETY: `ptr` and `len` describe `buf`'s initialised bytes,
            // which the driver keeps alive until this call returned.
            syscall_result(unsafe { libc::pwrite(fd, ptr.get().cast(), len, offset) })
        })
    }
}
