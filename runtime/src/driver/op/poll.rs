//! `IORING_OP_POLL_ADD`, single-shot or multishot (`IORING_POLL_ADD_MULTI`).

use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::OpCode;

/// Waits for `events` (`libc::POLLIN`, ...) on `fd`.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct PollAdd {
    pub(crate) fd: RawFd,
    pub(crate) events: u32,
    pub(crate) multi: bool,
}

// SAFETY: the SQE points to no memory.
unsafe impl OpCode for PollAdd {
    fn sqe(&mut self) -> squeue::Entry {
        opcode::PollAdd::new(types::Fd(self.fd), self.events)
            .multi(self.multi)
            .build()
    }
}
