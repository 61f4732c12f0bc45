//! `IORING_OP_UNLINKAT`: removes a file or an empty directory.

use std::ffi::CString;

use io_uring::{opcode, squeue, types};

use super::{syscall_result, BlockingCall, OpCode, Readiness, SendPtr};

/// Removes `path`; a directory when `dir` (`AT_REMOVEDIR`).
pub(crate) struct UnlinkAt {
    pub(crate) path: CString,
    pub(crate) dir: bool,
}

// SAFETY: the SQE points into the CString's heap memory.
unsafe impl OpCode for UnlinkAt {
    fn sqe(&mut self) -> squeue::Entry {
        let flags = if self.dir { libc::AT_REMOVEDIR } else { 0 };
        opcode::UnlinkAt::new(types::Fd(libc::AT_FDCWD), self.path.as_ptr())
            .flags(flags)
            .build()
    }

    fn readiness(&self) -> Readiness {
        Readiness::Blocking
    }

    fn blocking(&mut self) -> BlockingCall {
        let path = SendPtr(self.path.as_ptr().cast_mut());
        let flags = if self.dir { libc::AT_REMOVEDIR } else { 0 };
        BlockingCall::new(move || {
            // SAFETY: `path` is the op's C string, alive until this returns.
            let r = unsafe { libc::unlinkat(libc::AT_FDCWD, path.get(), flags) };
            syscall_result(r as isize)
        })
    }
}
