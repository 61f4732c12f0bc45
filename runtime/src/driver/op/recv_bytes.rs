//! A receive into the spare room of a `BytesMut`, reserved only when the
//! call is made: the readiness backend's `read_buf` (no provided-buffer
//! pool there), which holds no buffer while the socket waits.

use std::os::fd::RawFd;

use bytes::BytesMut;
use io_uring::{opcode, squeue, types};

use super::{short, syscall_result, Interest, OpCode, Readiness};

/// Receives at most `want` bytes into `buf`'s spare room (after its
/// length); the caller adds the received count to the length.
pub(crate) struct RecvBytes {
    pub(crate) fd: RawFd,
    pub(crate) buf: BytesMut,
    pub(crate) want: usize,
}

impl RecvBytes {
    /// Reserves `want` bytes; returns where they start.
    fn room(&mut self) -> *mut u8 {
        self.buf.reserve(self.want);
        self.buf.spare_capacity_mut().as_mut_ptr().cast()
    }
}

// SAFETY: the SQE points into `buf`'s heap allocation, which moving the op
// does not move and which is not resized until the completion.
unsafe impl OpCode for RecvBytes {
    fn sqe(&mut self) -> squeue::Entry {
        let len = self.want.min(u32::MAX as usize) as u32;
        opcode::Recv::new(types::Fd(self.fd), self.room(), len).build()
    }

    /// Without building the SQE, which would reserve the room now.
    fn opcode(&mut self) -> u32 {
        u32::from(opcode::Recv::CODE)
    }

    fn readiness(&self) -> Readiness {
        Readiness::Fd(self.fd, Interest::Read)
    }

    /// Reserves the room only now, when the socket is likely readable; a
    /// buffer of its own that found nothing is given back, so a socket
    /// waiting for data holds none.
    fn attempt(&mut self) -> i32 {
        let fresh = self.buf.capacity() == 0;
        let room = self.room();
        // SAFETY: `room` starts `want` reserved bytes of `buf`'s allocation.
        let n = unsafe { libc::recv(self.fd, room.cast(), self.want, libc::MSG_DONTWAIT) };
        let result = syscall_result(n);
        if result == -libc::EAGAIN && fresh {
            self.buf = BytesMut::new();
        }
        result
    }

    /// A stream socket: a short receive emptied its queue.
    fn drained(&self, result: i32) -> bool {
        short(result, self.want)
    }
}
