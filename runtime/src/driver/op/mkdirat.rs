//! `IORING_OP_MKDIRAT`.

use std::ffi::CString;

use io_uring::{opcode, squeue, types};

use super::OpCode;

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
}
