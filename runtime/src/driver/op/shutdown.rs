//! `IORING_OP_SHUTDOWN`.

use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::{syscall_result, OpCode, Readiness};

/// Shuts down the read side, write side or both (`libc::SHUT_*`) of `fd`.
pub(crate) struct Shutdown {
    pub(crate) fd: RawFd,
    pub(crate) how: i32,
}

// SAFETY: the SQE points to no memory.
unsafe impl OpCode for Shutdown {
    fn sqe(&mut self) -> squeue::Entry {
        opcode::Shutdown::new(types::Fd(self.fd), self.how).build()
    }

    fn readiness(&self) -> Readiness {
        Readiness::Inline
    }

    fn attempt(&mut self) -> i32 {
        // SAFETY: plain system call with integer arguments.
        syscall_result(unsafe { libc::shutdown(self.fd, self.how) } as isize)
    }
}
