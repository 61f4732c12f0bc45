//! `IORING_OP_CONNECT`.

use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::OpCode;
use crate::net::sockaddr::SockAddr;

/// Connects the socket `fd` to `addr`.
pub(crate) struct Connect {
    pub(crate) fd: RawFd,
    /// Boxed: the SQE points at it.
    pub(crate) addr: Box<SockAddr>,
}

// SAFETY: the SQE points into the boxed address, whose heap memory does not
// move when the op moves.
unsafe impl OpCode for Connect {
    fn sqe(&mut self) -> squeue::Entry {
        opcode::Connect::new(types::Fd(self.fd), self.addr.as_ptr(), self.addr.len()).build()
    }
}
