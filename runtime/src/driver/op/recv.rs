//! `IORING_OP_RECV` into an owned buffer, with a stash for the bytes of a
//! receive whose future was dropped after the kernel had filled it.
//! Readiness backend: `recv(2)` with `MSG_DONTWAIT` on readiness; the
//! provided-buffer receives have no readiness form and answer as a kernel
//! without them does (`ENOBUFS`, `EINVAL`), so their callers fall back.

use std::os::fd::RawFd;
use std::rc::Rc;
use std::task::Waker;

use io_uring::{opcode, squeue, types};

use super::{keep_read, short, syscall_result, Interest, KeepBytes, OpCode, Readiness};
use crate::buf::IoBufMut;
use crate::driver::bufring::{self, BufRing};
use crate::driver::Cqe;

/// The io_uring opcode a receive stands for, in the metrics per opcode.
pub(crate) const RECV_OPCODE: u32 = opcode::Recv::CODE as u32;

/// One non-blocking receive into `0..bytes_total()` of `buf`: the count,
/// or `-errno` (`-EAGAIN`: nothing queued). The bytes are not yet marked
/// initialised.
fn recv_raw<B: IoBufMut>(fd: RawFd, buf: &mut B) -> i32 {
    let len = buf.bytes_total();
    let ptr = buf.stable_mut_ptr();
    // SAFETY: the pointer and length describe `buf`'s writable memory,
    // borrowed mutably for the call.
    let n = unsafe { libc::recv(fd, ptr.cast(), len, libc::MSG_DONTWAIT) };
    syscall_result(n)
}

/// The readiness path's receive (a [`ReadyCall`](super::ReadyCall)'s
/// call): one non-blocking receive into the start of `buf`, whose bytes are
/// then marked initialised; its count or `-errno`, and whether it drained
/// the socket (a short receive).
pub(crate) fn recv_now<B: IoBufMut>(fd: RawFd, buf: &mut B) -> (i32, bool) {
    let result = recv_raw(fd, buf);
    if let Ok(n) = usize::try_from(result) {
        // SAFETY: the call wrote `n` bytes at the start of `buf`.
        unsafe { buf.set_init(n) };
    }
    (result, short(result, buf.bytes_total()))
}

/// Receives into `0..bytes_total()` of `buf`.
pub(crate) struct Recv<B> {
    pub(crate) fd: RawFd,
    pub(crate) buf: B,
    /// For stream sockets: where the bytes of a dropped-but-completed
    /// receive go, so that the next read returns them (none are lost). The
    /// receive holds the stash's turn; its completion ends it.
    pub(crate) stash: Option<Rc<dyn KeepBytes>>,
}

// SAFETY: the SQE points into `buf`'s memory, stable by IoBufMut's contract.
unsafe impl<B: IoBufMut> OpCode for Recv<B> {
    fn sqe(&mut self) -> squeue::Entry {
        let len = self.buf.bytes_total().min(u32::MAX as usize) as u32;
        opcode::Recv::new(types::Fd(self.fd), self.buf.stable_mut_ptr(), len).build()
    }

    fn readiness(&self) -> Readiness {
        Readiness::Fd(self.fd, Interest::Read)
    }

    fn attempt(&mut self) -> i32 {
        recv_raw(self.fd, &mut self.buf)
    }

    /// A stream socket: a short receive emptied its queue.
    fn drained(&self, result: i32) -> bool {
        short(result, self.buf.bytes_total())
    }

    fn release(&mut self, cqe: &Cqe, wakes: &mut Vec<Waker>) {
        if let Some(stash) = &self.stash {
            keep_read(&**stash, &mut self.buf, cqe, wakes);
        }
    }
}

/// Receives into a buffer the kernel picks from the loop's provided-buffer
/// pool when data arrives (`IOSQE_BUFFER_SELECT`), so nothing is held while
/// the socket is idle. The completion names the buffer; its bytes are
/// copied out and the buffer recycled at once.
pub(crate) struct RecvSelect {
    pub(crate) fd: RawFd,
    /// Keeps the pool alive while the kernel may pick one of its buffers.
    pub(crate) bufs: Rc<BufRing>,
    /// Where the bytes of a dropped-but-completed receive go (it holds
    /// the stash's turn, as [`Recv`] does).
    pub(crate) stash: Option<Rc<dyn KeepBytes>>,
}

impl RecvSelect {
    /// Copies the bytes a completion reported into `f` and releases its
    /// part of the buffer (also when it carries a buffer but no bytes).
    pub(crate) fn take<R>(&self, cqe: &Cqe, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
        self.bufs.consume(cqe, f)
    }
}

// SAFETY: the SQE carries no pointer of ours: the kernel writes only into
// the provided buffers, which `bufs` keeps allocated (see `BufRing`).
unsafe impl OpCode for RecvSelect {
    fn sqe(&mut self) -> squeue::Entry {
        opcode::Recv::new(types::Fd(self.fd), std::ptr::null_mut(), self.bufs.size())
            .buf_group(bufring::GROUP)
            .build()
            .flags(squeue::Flags::BUFFER_SELECT)
    }

    fn readiness(&self) -> Readiness {
        Readiness::Inline
    }

    /// No pool without io_uring: answered as an empty pool is.
    fn attempt(&mut self) -> i32 {
        -libc::ENOBUFS
    }

    fn release(&mut self, cqe: &Cqe, wakes: &mut Vec<Waker>) {
        let stash = self.stash.take();
        // Releases the buffer the completion names, if any.
        let kept = self.take(cqe, |bytes| {
            if let Some(s) = &stash {
                s.keep(Some(bytes), wakes);
            }
        });
        if let (None, Some(s)) = (kept, &stash) {
            s.keep(None, wakes);
        }
    }
}

/// A multishot receive (`IORING_RECV_MULTISHOT`) into the loop's provided
/// buffers: armed once, it posts a completion naming a filled buffer each
/// time data arrives, with no new submission and no poll to re-arm. The
/// socket keeps it armed between reads (see `Socket::read_buf`).
pub(crate) struct RecvMulti {
    pub(crate) fd: RawFd,
    /// Keeps the pool alive while the kernel may pick one of its buffers.
    pub(crate) bufs: Rc<BufRing>,
}

impl RecvMulti {
    /// Copies the bytes a completion reported into `f` and releases its
    /// part of the buffer; `None` when the completion names no buffer.
    pub(crate) fn take<R>(&self, cqe: &Cqe, f: impl FnOnce(&[u8]) -> R) -> Option<R> {
        self.bufs.consume(cqe, f)
    }
}

// SAFETY: the SQE carries no pointer of ours: the kernel writes only into
// the provided buffers, which `bufs` keeps allocated (see `BufRing`).
unsafe impl OpCode for RecvMulti {
    fn sqe(&mut self) -> squeue::Entry {
        opcode::RecvMulti::new(types::Fd(self.fd), bufring::GROUP).build()
    }

    fn readiness(&self) -> Readiness {
        Readiness::Inline
    }

    /// No multishot without io_uring: answered as a kernel without it is.
    fn attempt(&mut self) -> i32 {
        -libc::EINVAL
    }

    fn release(&mut self, cqe: &Cqe, _wakes: &mut Vec<Waker>) {
        // The socket is gone (or its reads with it): the bytes go too.
        self.bufs.release(cqe);
    }
}
