//! `IORING_OP_MKDIRAT`.

use std::ffi::CString;

use io_uring::{opcode, squeue, types};

use super::{syscall_result, BlockingCall, OpCode, Readiness, SendPtr};

/// Creates the directory `path` with `mode` (less the umask).
pub(crate) struct MkDirAt {
    pub(crate) path: CString,
    pub(crate) mode: libc::mode_t,
}

// SAFETY: the SQE points into the CString's heap memory.
unsafe impl OpCode for MkDirAt {
    fn sqe(&mut self) -> squeue::Entry {
        opcode::MkDirAt::new(types::Fd(libc::AT_FDCWD), self.path.as_ptr())
            .mode(self.mode)
            .build()
    }

    fn readiness(&self) -> Readiness {
        Readiness::Blocking
    }

    fn blocking(&mut self) -> BlockingCall {
        let (path, mode) = (SendPtr(self.path.as_ptr().cast_mut()), self.mode);
        BlockingCall::new(move || {
            // SAFETY: `path` is the op's C string, alive until this returns.
            let r = unsafe { libc::mkdirat(libc::AT_FDCWD, path.get(), mode) };
            syscall_result(r as isize)
        })
    }
}
