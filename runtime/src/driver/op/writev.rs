//! `IORING_OP_WRITEV` from several owned buffers (gathered write).

use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::OpCode;
use crate::buf::IoBuf;

/// Writes the initialised bytes of every buffer in `bufs`, in order.
pub(crate) struct Writev<B> {
    pub(crate) fd: RawFd,
    pub(crate) bufs: Vec<B>,
    /// Built by `sqe`; a Vec whose heap block the SQE points at.
    pub(crate) iovecs: Vec<libc::iovec>,
}

impl<B: IoBuf> Writev<B> {
    pub(crate) fn new(fd: RawFd, bufs: Vec<B>) -> Writev<B> {
        Writev {
            fd,
            bufs,
            iovecs: Vec::new(),
        }
    }
}

// SAFETY: the SQE points into `iovecs`' heap block (not resized after
// `sqe`), whose entries point into the buffers' stable memory.
unsafe impl<B: IoBuf> OpCode for Writev<B> {
    fn sqe(&mut self) -> squeue::Entry {
        self.iovecs = self
            .bufs
            .iter()
            .map(|b| libc::iovec {
                iov_base: b.stable_ptr() as *mut libc::c_void,
                iov_len: b.bytes_init(),
            })
            .collect();
        let n = self.iovecs.len().min(libc::UIO_MAXIOV as usize) as u32;
        opcode::Writev::new(types::Fd(self.fd), self.iovecs.as_ptr(), n)
            .offset(u64::MAX)
            .build()
    }
}
