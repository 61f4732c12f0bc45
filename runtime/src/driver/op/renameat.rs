//! `IORING_OP_RENAMEAT`.

use std::ffi::CString;

use io_uring::{opcode, squeue, types};

use super::OpCode;

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
}
