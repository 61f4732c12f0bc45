//! `IORING_OP_POLL_ADD`, single-shot or multishot (`IORING_POLL_ADD_MULTI`).

use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::{syscall_result, Interest, OpCode, Readiness};

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

    fn readiness(&self) -> Readiness {
        let interest = if self.events & libc::POLLOUT as u32 != 0 {
            Interest::Write
        } else {
            Interest::Read
        };
        Readiness::Fd(self.fd, interest)
    }

    /// `poll(2)` with no wait: the ready events, or `-EAGAIN` for none.
    fn attempt(&mut self) -> i32 {
        let mut p = libc::pollfd {
            fd: self.fd,
            events: self.events as libc::c_short,
            revents: 0,
        };
        // SAFETY: one live pollfd.
        let r = unsafe { libc::poll(&mut p, 1, 0) };
        match syscall_result(r as isize) {
            0 => -libc::EAGAIN,
            r if r < 0 => r,
            _ => i32::from(p.revents as u16),
        }
    }
}
