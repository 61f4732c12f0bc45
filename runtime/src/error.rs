//! Errors of starting and running an event loop.

use std::fmt;
use std::io;

/// Why io_uring cannot be used on this machine.
///
/// Found by [`Runtime::new`](crate::Runtime::new) from the errno of
/// `io_uring_setup(2)` and, for `EPERM`, from `/proc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unavailable {
    /// `ENOSYS`: the kernel has no io_uring (older than 5.1, or built without it),
    /// or a seccomp filter answers `ENOSYS` for it.
    KernelTooOld,
    /// `EPERM` with `kernel.io_uring_disabled` set to 1 or 2.
    DisabledBySysctl {
        /// The value of `/proc/sys/kernel/io_uring_disabled`.
        value: u8,
    },
    /// `EPERM` under a seccomp filter (Docker's default profile blocks io_uring).
    BlockedBySeccomp,
    /// `EPERM` for another reason (an LSM such as SELinux, or a container runtime).
    PermissionDenied,
    /// `ENOMEM`: the ring could not be allocated, usually the locked-memory limit.
    OutOfLockedMemory,
    /// The kernel has io_uring but lacks a feature ringio needs.
    MissingFeature {
        /// The missing feature, as the kernel names it.
        feature: &'static str,
    },
}

impl Unavailable {
    /// The remedy, in one sentence, for this cause.
    pub fn remedy(&self) -> &'static str {
        match self {
            Unavailable::KernelTooOld => {
                "run on Linux 5.11 or newer built with CONFIG_IO_URING=y"
            }
            Unavailable::DisabledBySysctl { .. } => {
                "set `sysctl kernel.io_uring_disabled=0` (or add this user to kernel.io_uring_group when it is 1)"
            }
            Unavailable::BlockedBySeccomp => {
                "allow io_uring_setup, io_uring_enter and io_uring_register in the seccomp profile (for Docker: --security-opt seccomp=<profile allowing them>, or seccomp=unconfined)"
            }
            Unavailable::PermissionDenied => {
                "check the security policy (SELinux, AppArmor, container runtime) that denies io_uring to this process"
            }
            Unavailable::OutOfLockedMemory => {
                "raise the locked-memory limit (`ulimit -l`, LimitMEMLOCK= in systemd) or build the runtime with fewer ring entries"
            }
            Unavailable::MissingFeature { .. } => "run on Linux 5.11 or newer",
        }
    }
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unavailable::KernelTooOld => {
                write!(f, "io_uring_setup failed with ENOSYS: the kernel is too old or has no io_uring")
            }
            Unavailable::DisabledBySysctl { value } => write!(
                f,
                "io_uring_setup failed with EPERM: io_uring is disabled by sysctl kernel.io_uring_disabled={value}"
            ),
            Unavailable::BlockedBySeccomp => write!(
                f,
                "io_uring_setup failed with EPERM: a seccomp filter (such as Docker's default profile) blocks io_uring"
            ),
            Unavailable::PermissionDenied => {
                write!(f, "io_uring_setup failed with EPERM: permission denied")
            }
            Unavailable::OutOfLockedMemory => write!(
                f,
                "io_uring_setup failed with ENOMEM: not enough locked memory for the ring (RLIMIT_MEMLOCK)"
            ),
            Unavailable::MissingFeature { feature } => {
                write!(f, "io_uring lacks {feature}, which ringio needs")
            }
        }?;
        write!(f, "; to fix: {}", self.remedy())
    }
}

/// An error from starting or entering a ringio event loop.
#[derive(Debug)]
#[non_exhaustive]
pub enum RuntimeError {
    /// io_uring cannot be used here; the value says why and what to do.
    Unavailable(Unavailable),
    /// `run`/`block_on` was called on a thread whose event loop is already running
    /// (asyncio's "cannot be called from a running event loop").
    AlreadyRunning,
    /// Another system call needed by the loop failed (eventfd, thread spawn, ...).
    Io(io::Error),
}

impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuntimeError::Unavailable(u) => write!(f, "ringio cannot start: {u}"),
            RuntimeError::AlreadyRunning => write!(
                f,
                "cannot run an event loop from inside a running one: await the future instead, \
                 or use ringio::spawn"
            ),
            RuntimeError::Io(e) => write!(f, "ringio event loop failed: {e}"),
        }
    }
}

impl std::error::Error for RuntimeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RuntimeError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for RuntimeError {
    fn from(e: io::Error) -> Self {
        RuntimeError::Io(e)
    }
}

impl From<RuntimeError> for io::Error {
    fn from(e: RuntimeError) -> Self {
        let kind = match &e {
            RuntimeError::Unavailable(Unavailable::KernelTooOld)
            | RuntimeError::Unavailable(Unavailable::MissingFeature { .. }) => {
                io::ErrorKind::Unsupported
            }
            RuntimeError::Unavailable(Unavailable::OutOfLockedMemory) => io::ErrorKind::OutOfMemory,
            RuntimeError::Unavailable(_) => io::ErrorKind::PermissionDenied,
            RuntimeError::AlreadyRunning => io::ErrorKind::WouldBlock,
            RuntimeError::Io(e) => e.kind(),
        };
        match e {
            RuntimeError::Io(e) => e,
            other => io::Error::new(kind, other),
        }
    }
}

/// The error for using the runtime from a thread where no ringio loop is running.
pub(crate) fn no_runtime() -> io::Error {
    io::Error::other(
        "no ringio event loop is running on this thread: call this inside ringio::run, \
         Runtime::block_on or a task spawned on one",
    )
}
