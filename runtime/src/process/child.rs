//! `Child`: a running program, waited for on the ring.

use std::io;
use std::os::fd::OwnedFd;
use std::process::ExitStatus;

use super::pidfd::PidFd;
use super::{ChildStderr, ChildStdin, ChildStdout};
use crate::context;
use crate::pipe::{PipeReader, PipeWriter};

/// A started child process (asyncio's `Process`).
///
/// Its piped stdio are the public fields, taken out with `Option::take` to
/// hand them to other tasks. [`wait`](Child::wait) observes the exit on the
/// ring (pidfd) and reaps the child.
#[derive(Debug)]
pub struct Child {
    /// The write end of the child's stdin, when piped.
    pub stdin: Option<ChildStdin>,
    /// The read end of the child's stdout, when piped.
    pub stdout: Option<ChildStdout>,
    /// The read end of the child's stderr, when piped.
    pub stderr: Option<ChildStderr>,
    /// `None` once reaped.
    inner: Option<std::process::Child>,
    pidfd: Option<PidFd>,
    status: Option<ExitStatus>,
}

impl Child {
    pub(crate) fn spawn(cmd: &mut std::process::Command) -> io::Result<Child> {
        if !context::is_running() {
            return Err(crate::error::no_runtime());
        }
        let mut inner = cmd.spawn()?;
        let pidfd = match PidFd::open(inner.id()) {
            Ok(p) => p,
            Err(e) => {
                // Without a pidfd the exit cannot be watched: do not leave
                // a child nobody waits for.
                let _ = inner.kill();
                let _ = inner.wait();
                return Err(e);
            }
        };
        Ok(Child {
            stdin: inner
                .stdin
                .take()
                .map(|p| PipeWriter::from_owned_fd(OwnedFd::from(p))),
            stdout: inner
                .stdout
                .take()
                .map(|p| PipeReader::from_owned_fd(OwnedFd::from(p))),
            stderr: inner
                .stderr
                .take()
                .map(|p| PipeReader::from_owned_fd(OwnedFd::from(p))),
            inner: Some(inner),
            pidfd: Some(pidfd),
            status: None,
        })
    }

    /// The process id, until the child has been reaped.
    pub fn id(&self) -> Option<u32> {
        self.inner.as_ref().map(std::process::Child::id)
    }

    /// Waits for the child to exit and reaps it. Closes the child's stdin
    /// first (so a child reading it to its end can finish). Dropping the
    /// future is safe: the child is still waited for later.
    pub async fn wait(&mut self) -> io::Result<ExitStatus> {
        drop(self.stdin.take());
        loop {
            if let Some(status) = self.try_wait()? {
                return Ok(status);
            }
            match &self.pidfd {
                Some(p) => p.exited().await?,
                None => return Err(io::Error::other("the child has no pidfd to wait on")),
            }
        }
    }

    /// The exit status if the child has exited (reaping it), without
    /// waiting.
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        if let Some(s) = self.status {
            return Ok(Some(s));
        }
        let Some(inner) = self.inner.as_mut() else {
            return Err(io::Error::other("the child was already reaped"));
        };
        let status = inner.try_wait()?;
        if let Some(s) = status {
            self.status = Some(s);
            self.inner = None;
            self.pidfd = None;
        }
        Ok(status)
    }

    /// Sends SIGKILL (asyncio's `kill()`); [`wait`](Child::wait) for the
    /// exit. Does nothing once the child has been reaped.
    pub fn kill(&mut self) -> io::Result<()> {
        match self.inner.as_mut() {
            Some(c) => c.kill(),
            None => Ok(()),
        }
    }

    /// Sends `signal` (`libc::SIGTERM`, ...), as asyncio's
    /// `send_signal()`. Does nothing once the child has been reaped.
    pub fn send_signal(&mut self, signal: i32) -> io::Result<()> {
        let Some(c) = self.inner.as_ref() else {
            return Ok(());
        };
        // SAFETY: plain system call; the pid is our unreaped child, so it
        // cannot have been reused.
        if unsafe { libc::kill(c.id() as libc::pid_t, signal) } < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        if matches!(self.try_wait(), Ok(Some(_))) {
            return;
        }
        let (Some(inner), pidfd) = (self.inner.take(), self.pidfd.take()) else {
            return;
        };
        let mut orphan = Orphan(Some(inner));
        match (context::current(), pidfd) {
            (Some(handle), Some(pidfd)) => {
                // Reaped by a task once the pidfd says the child exited.
                drop(handle.spawn(
                    async move {
                        let _ = pidfd.exited().await;
                        orphan.reap_now();
                    },
                    None,
                ));
            }
            _ => drop(orphan),
        }
    }
}

/// A child nobody waits for any more. If it is dropped before it could be
/// reaped on the loop (the loop shut down), a thread waits for it.
struct Orphan(Option<std::process::Child>);

impl Orphan {
    fn reap_now(&mut self) {
        if let Some(c) = self.0.as_mut() {
            if let Ok(Some(_)) = c.try_wait() {
                self.0 = None;
            }
        }
    }
}

impl Drop for Orphan {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            if let Ok(Some(_)) = c.try_wait() {
                return;
            }
            let spawned = std::thread::Builder::new()
                .name("ringio-reaper".into())
                .spawn(move || {
                    let _ = c.wait();
                });
            if let Err(e) = spawned {
                tracing::warn!(error = %e, "could not start a thread to reap a child process");
            }
        }
    }
}
