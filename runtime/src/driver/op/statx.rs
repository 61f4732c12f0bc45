//! `IORING_OP_STATX`: metadata of an open fd or of a path.

use std::ffi::CString;
use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::{syscall_result, BlockingCall, OpCode, Readiness, SendPtr};

/// Fills `out` with the metadata of `fd` (with an empty path and
/// `AT_EMPTY_PATH`) or of `path` relative to the working directory.
pub(crate) struct Statx {
    pub(crate) fd: RawFd,
    pub(crate) path: CString,
    pub(crate) flags: i32,
    /// Boxed: the kernel writes into it.
    pub(crate) out: Box<libc::statx>,
}

impl Statx {
    /// Metadata of the open file `fd`.
    pub(crate) fn fd(fd: RawFd) -> Statx {
        Statx {
            fd,
            path: CString::default(),
            flags: libc::AT_EMPTY_PATH,
            // SAFETY: statx is plain data; all-zero is a valid value.
            out: Box::new(unsafe { std::mem::zeroed() }),
        }
    }

    /// Metadata of `path`, following symlinks unless `nofollow`.
    pub(crate) fn path(path: CString, nofollow: bool) -> Statx {
        Statx {
            fd: libc::AT_FDCWD,
            path,
            flags: if nofollow {
                libc::AT_SYMLINK_NOFOLLOW
            } else {
                0
            },
            // SAFETY: statx is plain data; all-zero is a valid value.
            out: Box::new(unsafe { std::mem::zeroed() }),
        }
    }
}

// SAFETY: the SQE points into the CString's and the Box's heap memory.
unsafe impl OpCode for Statx {
    fn sqe(&mut self) -> squeue::Entry {
        let out: *mut libc::statx = &mut *self.out;
        opcode::Statx::new(types::Fd(self.fd), self.path.as_ptr(), out.cast())
            .flags(self.flags)
            .mask(libc::STATX_BASIC_STATS | libc::STATX_BTIME)
            .build()
    }

    fn readiness(&self) -> Readiness {
        Readiness::Blocking
    }

    fn blocking(&mut self) -> BlockingCall {
        let (fd, flags) = (self.fd, self.flags);
        let path = SendPtr(self.path.as_ptr().cast_mut());
        let out: SendPtr<libc::statx> = SendPtr(&mut *self.out);
        BlockingCall::new(move || {
            let mask = libc::STATX_BASIC_STATS | libc::STATX_BTIME;
            // SAFETY: `path` is the op's C string and `out` its boxed statx,
            // both alive until this returns.
            let r = unsafe { libc::statx(fd, path.get(), flags, mask, out.get()) };
            syscall_result(r as isize)
        })
    }
}
