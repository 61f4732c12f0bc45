//! The seam: which backend carries the operations out, decided here and
//! nowhere else.
//!
//! [`Driver`] is what the loop, the operation futures and the fds hold; it
//! hands each call to the backend it was built with: [`Uring`] (io_uring,
//! the default) or [`Epoll`] (readiness, where io_uring is refused). Both
//! run the same [`OpCode`]s with the same entry lifecycle, so nothing above
//! the driver knows which one runs, except through [`Driver::backend`].

use std::io;
use std::os::fd::RawFd;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use super::bufring::BufRing;
use super::epoll::{DirectWait, Epoll, Spawner};
use super::op::{Interest, OpCode};
use super::{build_ring, Cqe, DeferredCloses, DriverStats, RingFeatures, Uring};
use crate::error::RuntimeError;

/// Which backend a loop uses to carry out its I/O.
///
/// Chosen with [`Builder::backend`](crate::Builder::backend); when the
/// program does not choose, the `RINGIO_BACKEND` environment variable
/// (`auto`, `io_uring` or `epoll`) chooses, and otherwise it is
/// [`Backend::Auto`]. [`Runtime::backend`](crate::Runtime::backend) says
/// which one runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// io_uring where the kernel allows it, otherwise epoll, with one
    /// `tracing` info event naming why io_uring was refused.
    Auto,
    /// io_uring only: where it is refused, building the loop fails with
    /// [`RuntimeError::Unavailable`], which says why and what to do.
    IoUring,
    /// epoll readiness: sockets and pipes non-blocking, retried when
    /// ready; files and paths on the blocking pool.
    Epoll,
}

/// The environment variable that chooses the backend when the program
/// does not.
pub const BACKEND_ENV: &str = "RINGIO_BACKEND";

impl Backend {
    /// The backend `RINGIO_BACKEND` names, `None` when it is unset or empty.
    fn from_env() -> Result<Option<Backend>, RuntimeError> {
        let Some(v) = std::env::var_os(BACKEND_ENV) else {
            return Ok(None);
        };
        match v.to_str().map(str::trim) {
            Some("") => Ok(None),
            Some("auto") => Ok(Some(Backend::Auto)),
            Some("io_uring") | Some("iouring") | Some("uring") => Ok(Some(Backend::IoUring)),
            Some("epoll") => Ok(Some(Backend::Epoll)),
            _ => Err(RuntimeError::Io(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{BACKEND_ENV}={} is not a backend: use auto, io_uring or epoll",
                    v.to_string_lossy()
                ),
            ))),
        }
    }

    /// The backend to use: the program's choice, else the environment's,
    /// else [`Backend::Auto`].
    pub(crate) fn resolve(chosen: Option<Backend>) -> Result<Backend, RuntimeError> {
        match chosen {
            Some(b) => Ok(b),
            None => Ok(Backend::from_env()?.unwrap_or(Backend::Auto)),
        }
    }
}

/// What building a driver needs to know.
pub(crate) struct DriverConfig {
    pub(crate) backend: Backend,
    pub(crate) entries: u32,
    pub(crate) cq_entries: Option<u32>,
    pub(crate) defer_taskrun: bool,
    pub(crate) read_buffers: (u16, u32),
    pub(crate) shutdown_grace: Duration,
    /// The loop's eventfd, which other threads write to wake it.
    pub(crate) eventfd: std::os::fd::RawFd,
}

/// The loop's driver: one backend behind one set of calls.
pub(crate) enum Driver {
    Uring(Uring),
    Epoll(Epoll),
}

/// Calls `$call` on whichever backend `$d` holds.
macro_rules! each {
    ($d:expr, $b:ident => $call:expr) => {
        match $d {
            Driver::Uring($b) => $call,
            Driver::Epoll($b) => $call,
        }
    };
}

impl Driver {
    /// Builds the backend `config` asks for ([`Backend::Auto`]: io_uring,
    /// or epoll where io_uring is unavailable). `spawner` runs blocking
    /// calls for the epoll backend.
    pub(crate) fn build(config: &DriverConfig, spawner: Spawner) -> Result<Driver, RuntimeError> {
        let epoll = |spawner| -> Result<Driver, RuntimeError> {
            let mut e = Epoll::new(config.eventfd, spawner)?;
            e.set_shutdown_grace(config.shutdown_grace);
            Ok(Driver::Epoll(e))
        };
        if config.backend == Backend::Epoll {
            return epoll(spawner);
        }
        match build_ring(config.entries, config.cq_entries, config.defer_taskrun) {
            Ok((ring, features)) => {
                let mut u = Uring::new(ring, features, config.eventfd);
                u.set_read_buffers(config.read_buffers.0, config.read_buffers.1);
                u.set_shutdown_grace(config.shutdown_grace);
                Ok(Driver::Uring(u))
            }
            Err(RuntimeError::Unavailable(cause)) if config.backend == Backend::Auto => {
                tracing::info!(
                    cause = %cause,
                    "io_uring is unavailable; this event loop uses the epoll backend"
                );
                epoll(spawner)
            }
            Err(e) => Err(e),
        }
    }

    /// The backend that runs ([`Backend::IoUring`] or [`Backend::Epoll`]).
    pub(crate) fn backend(&self) -> Backend {
        match self {
            Driver::Uring(_) => Backend::IoUring,
            Driver::Epoll(_) => Backend::Epoll,
        }
    }

    /// Starts an operation (multishot: yields completions until its last;
    /// `cap`: see [`Uring::submit_capped`]); returns its key.
    pub(crate) fn submit(&mut self, data: &mut dyn OpCode, multishot: bool, cap: usize) -> usize {
        match self {
            Driver::Uring(u) => u.submit_capped(data.sqe(), multishot, cap),
            Driver::Epoll(e) => e.submit(data, multishot),
        }
    }

    /// Polls a single-shot operation, whose data is `data`.
    pub(crate) fn poll_op(
        &mut self,
        key: usize,
        cx: &mut Context<'_>,
        data: &mut dyn OpCode,
    ) -> Poll<Cqe> {
        match self {
            Driver::Uring(u) => u.poll_op(key, cx),
            Driver::Epoll(e) => e.poll_op(key, cx, data),
        }
    }

    /// Polls an operation the epoll backend runs on its readiness path
    /// ([`Driver::submit`] gave it the key [`DIRECT`](super::DIRECT));
    /// `wait` is its waiting id, kept by its future (see
    /// [`Epoll::poll_direct`]). io_uring never gives that key.
    pub(crate) fn poll_direct(
        &mut self,
        cx: &mut Context<'_>,
        data: &mut dyn OpCode,
        wait: &mut DirectWait,
    ) -> Poll<Cqe> {
        match self {
            Driver::Uring(_) => Poll::Ready(Cqe::of(-libc::EINVAL)),
            Driver::Epoll(e) => e.poll_direct(cx, data, wait),
        }
    }

    /// Registers `fd` for calls on epoll's readiness path (nothing to do
    /// on io_uring, which has none).
    pub(crate) fn prepare_call(&mut self, fd: RawFd) {
        if let Driver::Epoll(e) = self {
            e.prepare_call(fd);
        }
    }

    /// Polls a call on epoll's readiness path (see [`Epoll::poll_call`]);
    /// on io_uring, which has no such path, it is `-EINVAL` at once.
    pub(crate) fn poll_call(
        &mut self,
        cx: &mut Context<'_>,
        fd: RawFd,
        interest: Interest,
        opcode: u32,
        wait: &mut DirectWait,
        call: &mut dyn FnMut() -> (i32, bool),
    ) -> Poll<i32> {
        match self {
            Driver::Uring(_) => Poll::Ready(-libc::EINVAL),
            Driver::Epoll(e) => e.poll_call(cx, fd, interest, opcode, wait, call),
        }
    }

    /// The future of a call on the readiness path (a
    /// [`DIRECT`](super::DIRECT) operation or a `ReadyCall`) that started
    /// (`wait`) was dropped (see [`Epoll::unwait_call`]).
    pub(crate) fn unwait_call(
        &mut self,
        fd: RawFd,
        interest: Interest,
        opcode: u32,
        wait: DirectWait,
    ) {
        if let Driver::Epoll(e) = self {
            e.unwait_call(fd, interest, opcode, wait);
        }
    }

    /// Polls a multishot operation: `Ready(None)` after its last completion.
    pub(crate) fn poll_multi(
        &mut self,
        key: usize,
        cx: &mut Context<'_>,
        data: &mut dyn OpCode,
    ) -> Poll<Option<Cqe>> {
        match self {
            Driver::Uring(u) => u.poll_multi(key, cx),
            Driver::Epoll(e) => e.poll_multi(key, cx, data),
        }
    }

    /// The future of entry `key` was dropped with its data (see
    /// [`Uring::drop_op`]).
    pub(crate) fn drop_op(&mut self, key: usize, data: Box<dyn OpCode>, wakes: &mut Vec<Waker>) {
        each!(self, d => d.drop_op(key, data, wakes))
    }

    /// Closes `fd`, which the caller owns and gives up, once nothing queued
    /// can reach it any more.
    pub(crate) fn close_fd(&mut self, fd: std::os::fd::RawFd) {
        each!(self, d => d.close_fd(fd))
    }

    /// Waits for completions, readiness, a remote wake or `timeout`.
    pub(crate) fn park(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        each!(self, d => d.park(timeout))
    }

    /// Collects completions and readiness without waiting.
    pub(crate) fn poll_nonblocking(&mut self) -> io::Result<()> {
        each!(self, d => d.poll_nonblocking())
    }

    /// Moves out the wakers of completed operations (see
    /// [`Uring::take_wakes`]).
    pub(crate) fn take_wakes(&mut self, into: &mut Vec<Waker>) {
        each!(self, d => d.take_wakes(into))
    }

    /// Hands everything queued to the kernel (before the loop stops).
    pub(crate) fn submit_pending(&mut self) -> io::Result<()> {
        each!(self, d => d.submit_pending())
    }

    /// Cancels everything in flight and waits for it (bounded by the grace).
    pub(crate) fn shutdown(&mut self) {
        each!(self, d => d.shutdown())
    }

    /// The list where fds dropped during a borrow of the driver wait.
    pub(crate) fn deferred_closes(&self) -> Rc<DeferredCloses> {
        each!(self, d => d.deferred_closes())
    }

    /// Operations started and not yet completed.
    pub(crate) fn in_flight(&self) -> usize {
        each!(self, d => d.in_flight())
    }

    /// Counters of the driver.
    pub(crate) fn stats(&self) -> DriverStats {
        each!(self, d => d.stats())
    }

    /// The io_uring setup flags (none on epoll).
    pub(crate) fn features(&self) -> RingFeatures {
        match self {
            Driver::Uring(u) => u.features(),
            Driver::Epoll(_) => RingFeatures::default(),
        }
    }

    /// The provided-buffer pool (io_uring only).
    pub(crate) fn read_buffers(&mut self) -> Option<Rc<BufRing>> {
        match self {
            Driver::Uring(u) => u.read_buffers(),
            Driver::Epoll(_) => None,
        }
    }

    /// Counts a receive from the provided pool (io_uring only).
    pub(crate) fn count_pool_read(&mut self, empty: bool) {
        if let Driver::Uring(u) = self {
            u.count_pool_read(empty);
        }
    }

    /// Counts a multishot receive armed by a read (io_uring only).
    pub(crate) fn count_multishot_armed(&mut self) {
        if let Driver::Uring(u) = self {
            u.count_multishot_armed();
        }
    }

    /// Asks the kernel to end multishot operation `key`. On epoll no
    /// receive is multishot (they answer `EINVAL` and readers fall back),
    /// so there is nothing to stop.
    pub(crate) fn stop_multi(&mut self, key: usize) {
        if let Driver::Uring(u) = self {
            u.stop_multi(key);
        }
    }

    /// The next completion of multishot operation `key` if one is queued,
    /// without taking it (io_uring; `None` on epoll, see `stop_multi`).
    pub(crate) fn peek_multi(&self, key: usize) -> Option<Cqe> {
        match self {
            Driver::Uring(u) => u.peek_multi(key),
            Driver::Epoll(_) => None,
        }
    }

    /// Operations per opcode.
    pub(crate) fn op_counts(&self) -> &super::OpCounts {
        each!(self, d => d.op_counts())
    }

    /// Operations per opcode, to switch on debug mode's ages.
    pub(crate) fn op_counts_mut(&mut self) -> &mut super::OpCounts {
        each!(self, d => d.op_counts_mut())
    }

    /// Tests: the list of wakers the loop wakes after the borrow.
    #[cfg(test)]
    pub(crate) fn wakes_mut(&mut self) -> &mut Vec<Waker> {
        match self {
            Driver::Uring(u) => u.wakes_mut(),
            Driver::Epoll(e) => e.wakes_mut(),
        }
    }

    /// Tests: the io_uring backend (panics on another).
    #[cfg(test)]
    pub(crate) fn uring(&mut self) -> &mut Uring {
        match self {
            Driver::Uring(u) => u,
            Driver::Epoll(_) => panic!("this test needs the io_uring backend"),
        }
    }
}
