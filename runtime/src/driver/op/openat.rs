//! `IORING_OP_OPENAT`.

use std::ffi::CString;
use std::task::Waker;

use io_uring::{opcode, squeue, types};

use super::{syscall_result, BlockingCall, OpCode, Readiness, SendPtr};
use crate::driver::Cqe;

/// Opens `path` (relative to the working directory) with `flags`/`mode`.
pub(crate) struct OpenAt {
    /// A CString's heap bytes do not move with it.
    pub(crate) path: CString,
    pub(crate) flags: i32,
    pub(crate) mode: libc::mode_t,
}

// SAFETY: the SQE points into the CString's heap memory.
unsafe impl OpCode for OpenAt {
    fn sqe(&mut self) -> squeue::Entry {
        opcode::OpenAt::new(types::Fd(libc::AT_FDCWD), self.path.as_ptr())
            .flags(self.flags | libc::O_CLOEXEC)
            .mode(self.mode)
            .build()
    }

    fn readiness(&self) -> Readiness {
        Readiness::Blocking
    }

    fn blocking(&mut self) -> BlockingCall {
        let path = SendPtr(self.path.as_ptr().cast_mut());
        let (flags, mode) = (self.flags | libc::O_CLOEXEC, self.mode);
        BlockingCall::new(move || {
            let (path, mode) = (path.get(), mode as libc::c_uint);
            // SAFETY: `path` is the op's C string, alive until this returns.
            let fd = unsafe { libc::openat(libc::AT_FDCWD, path, flags, mode) };
            syscall_result(fd as isize)
        })
    }

    /// A file opened for a future that is gone: close it.
    fn release(&mut self, cqe: &Cqe, _wakes: &mut Vec<Waker>) {
        if cqe.result >= 0 {
            // SAFETY: the kernel just opened this fd for us; nobody else has it.
            unsafe { libc::close(cqe.result) };
        }
    }
}
