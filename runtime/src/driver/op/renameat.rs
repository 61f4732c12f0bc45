//! `IORING_OP_RENAMEAT`.

use std::ffi::CString;

use io_uring::{opcode, squeue, types};

use super::{syscall_result, BlockingCall, OpCode, Readiness, SendPtr};

/// Renames `from` to `to`, replacing `to` if it exists.
pub(crate) struct RenameAt {
    pub(crate) from: CString,
    pub(crate) to: CString,
}

// SAFETY: the SQE points into the two CStrings' heap memory.
unsafe impl OpCode for RenameAt {
    fn sqe(&mut self) -> squeue::Entry {
        opcode::RenameAt::new(
            types::Fd(libc::AT_FDCWD),
            self.from.as_ptr(),
            types::Fd(libc::AT_FDCWD),
            self.to.as_ptr(),
        )
        .build()
    }

    fn readiness(&self) -> Readiness {
        Readiness::Blocking
    }

    fn blocking(&mut self) -> BlockingCall {
        let from = SendPtr(self.from.as_ptr().cast_mut());
        let to = SendPtr(self.to.as_ptr().cast_mut());
        BlockingCall::new(move || {
            // SAFETY: both are the op's C strings, alive until this returns.
            let r = unsafe { libc::renameat(libc::AT_FDCWD, from.get(), libc::AT_FDCWD, to.get()) };
            syscall_result(r as isize)
        })
    }
}
