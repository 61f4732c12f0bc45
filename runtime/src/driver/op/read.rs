//! `IORING_OP_READ` into an owned buffer, with a stash for the bytes of a
//! stream read whose future was dropped after the kernel had filled it.
//! Readiness backend: `read(2)` on readiness for a stream; for a file,
//! `preadv2(RWF_NOWAIT)` on the loop thread when the pages are cached,
//! otherwise `pread(2)` on the blocking pool.

use std::os::fd::RawFd;
use std::rc::Rc;
use std::task::Waker;

use io_uring::{opcode, squeue, types};

use super::{
    keep_read, short, syscall_result, BlockingCall, Interest, KeepBytes, OpCode, Readiness, SendPtr,
};
use crate::buf::IoBufMut;
use crate::driver::Cqe;

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
    pub(crate) stash: Option<Rc<dyn KeepBytes>>,
}

// SAFETY: the SQE and the blocking call point into `buf`'s memory, stable
// by IoBufMut's contract.
unsafe impl<B: IoBufMut> OpCode for Read<B> {
    fn sqe(&mut self) -> squeue::Entry {
        let len = self.buf.bytes_total().min(u32::MAX as usize) as u32;
        opcode::Read::new(types::Fd(self.fd), self.buf.stable_mut_ptr(), len)
            .offset(self.offset)
            .build()
    }

    fn readiness(&self) -> Readiness {
        if self.offset == u64::MAX {
            Readiness::Fd(self.fd, Interest::Read)
        } else {
            Readiness::Blocking
        }
    }

    fn attempt(&mut self) -> i32 {
        let len = self.buf.bytes_total();
        // SAFETY: the pointer and length describe `buf`'s writable memory.
        let n = unsafe { libc::read(self.fd, self.buf.stable_mut_ptr().cast(), len) };
        syscall_result(n)
    }

    /// A stream (pipe): a short read emptied it.
    fn drained(&self, result: i32) -> bool {
        short(result, self.buf.bytes_total())
    }

    /// A file read of pages already cached, on the loop thread:
    /// `preadv2(RWF_NOWAIT)` says `EAGAIN` rather than wait for the disk
    /// (and `EOPNOTSUPP` where the file system cannot tell); either sends
    /// the read to the pool. A short count (part of the range cached) is a
    /// short read, as `pread` may give.
    fn try_nowait(&mut self) -> Option<i32> {
        let len = self.buf.bytes_total();
        if len == 0 {
            return None;
        }
        let iov = libc::iovec {
            iov_base: self.buf.stable_mut_ptr().cast(),
            iov_len: len,
        };
        // SAFETY: the iovec describes `buf`'s writable memory, borrowed
        // for the call, which returns before anything else touches it.
        let n = unsafe {
            libc::preadv2(
                self.fd,
                &iov,
                1,
                self.offset as libc::off_t,
                libc::RWF_NOWAIT,
            )
        };
        let result = syscall_result(n);
        (result >= 0).then_some(result)
    }

    fn blocking(&mut self) -> BlockingCall {
        let (fd, len, ptr) = (
            self.fd,
            self.buf.bytes_total(),
            SendPtr(self.buf.stable_mut_ptr()),
        );
        let offset = self.offset as libc::off_t;
        BlockingCall::new(move || {
            // SAFETY: `ptr` and `len` describe `buf`'s writable memory,
            // which the driver keeps alive until this call returned.
            let n = unsafe { libc::pread(fd, ptr.get().cast(), len, offset) };
            syscall_result(n)
        })
    }

    fn release(&mut self, cqe: &Cqe, wakes: &mut Vec<Waker>) {
        if let Some(stash) = &self.stash {
            keep_read(&**stash, &mut self.buf, cqe, wakes);
        }
    }
}
