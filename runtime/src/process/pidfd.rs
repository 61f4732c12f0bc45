//! A pidfd: an fd that becomes readable when its process exits.

use std::io;
use std::os::fd::AsRawFd;

use crate::context;
use crate::driver::op::poll::PollAdd;
use crate::driver::op::Op;
use crate::fd::RingFd;

/// A pidfd (`pidfd_open(2)`, Linux 5.3) owned by the ring.
#[derive(Debug)]
pub(crate) struct PidFd {
    fd: RingFd,
}

impl PidFd {
    /// Opens a pidfd for `pid`, a child of ours not reaped yet (so the pid
    /// cannot have been reused).
    pub(crate) fn open(pid: u32) -> io::Result<PidFd> {
        // SAFETY: plain system call with integer arguments.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, 0) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(PidFd {
            fd: RingFd::new(fd as i32),
        })
    }

    /// Waits on the ring until the process has exited.
    pub(crate) async fn exited(&self) -> io::Result<()> {
        let op = PollAdd {
            fd: self.fd.as_raw_fd(),
            events: libc::POLLIN as u32,
            multi: false,
        };
        Op::submit(context::driver(), op).await.result.map(drop)
    }
}
