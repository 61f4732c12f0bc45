//! `IORING_OP_FSYNC`, full or data-only.

use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::{syscall_result, BlockingCall, OpCode, Readiness};

/// Flushes `fd` to its device; `datasync` skips metadata not needed to
/// read the data back (`fdatasync`).
pub(crate) struct Fsync {
    pub(crate) fd: RawFd,
    pub(crate) datasync: bool,
}

// SAFETY: the SQE points to no memory.
unsafe impl OpCode for Fsync {
    fn sqe(&mut self) -> squeue::Entry {
        let flags = if self.datasync {
            types::FsyncFlags::DATASYNC
        } else {
            types::FsyncFlags::empty()
        };
        opcode::Fsync::new(types::Fd(self.fd)).flags(flags).build()
    }

    fn readiness(&self) -> Readiness {
        Readiness::Blocking
    }

    fn blocking(&mut self) -> BlockingCall {
        let (fd, datasync) = (self.fd, self.datasync);
        BlockingCall::new(move || {
            // SAFETY: plain system calls with an integer argument.
            let r = unsafe {
                if datasync {
                    libc::fdatasync(fd)
                } else {
                    libc::fsync(fd)
                }
            };
            syscall_result(r as isize)
        })
    }
}
