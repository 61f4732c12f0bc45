//! The driver: the bottom of the loop, where operations are carried out.
//!
//! # The seam
//!
//! An operation says what to do; a backend carries it out. Each operation
//! is one file of [`op`], one [`op::OpCode`] with both ways beside each
//! other: an SQE for io_uring, and a system call for readiness (with how it
//! waits: an fd's readiness, at once, or the blocking pool). The futures
//! ([`op::Op`], [`op::MultiOp`]) are given the driver to run on
//! ([`op::DriverRef`]) by their callers, which take it from the loop's
//! context; what a dropped read got goes back through a trait its reader
//! implements ([`op::KeepBytes`], [`op::KeepDatagram`]). So the driver
//! depends on neither the loop nor the sockets: they use it, never the
//! other way round. [`backend`] alone decides which backend runs: io_uring
//! ([`Uring`], this file) or epoll (`epoll`, whose module docs are the spec
//! of its parts), both with the same slab of entries and the same
//! lifecycle (`lifecycle`), so a dropped operation loses nothing and leaks
//! nothing on either.
//!
//! # The io_uring backend (the spec of the unsafe parts)
//!
//! **Entries.** Every operation is an entry in `ops` (a `Slab<Lifecycle>`);
//! its key is the SQE's `user_data`. Two keys are reserved: [`IGNORE_KEY`]
//! for fire-and-forget requests (cancels, closes) whose CQEs carry nothing to
//! deliver, and [`EVENTFD_KEY`] for the read armed on the loop's eventfd.
//!
//! **Ownership of what the kernel touches.** An operation's data (`T:
//! OpCode`: the buffer, the sockaddr, the iovecs) is owned by the op future
//! [`op::Op`] while it is alive; the SQE points only into memory that does
//! not move when `T` moves (heap memory owned by `T`; see the `# Safety` of
//! [`op::OpCode`]). If the future is dropped before its CQE, the data moves
//! into the entry (`Lifecycle::Ignored`) and an `ASYNC_CANCEL` is queued; the
//! data is freed only when the CQE arrives, after `OpCode::release` has freed
//! any resource the racing completion produced (an accepted fd, a provided
//! buffer). So memory the kernel may write is never freed early.
//!
//! **Submission.** SQEs are batched; they are flushed when the loop parks or
//! polls, and when the SQ is full (the push is then retried, never dropped).
//! A flush refused with `EBUSY`/`EAGAIN` (completions backed up) reaps the CQ
//! first and tries again.
//!
//! **Completion.** The CQ is drained into the entries; wakers are collected
//! and woken by the loop after the driver is released, so a waker never runs
//! while the driver is borrowed. That holds for `OpCode::release` too (a
//! dropped read's completion ends its stash turn and wakes the next read):
//! it puts wakers in the same list, `drop_op` hands them to its caller, and
//! the loop does not park while the list is not empty. A CQE with
//! `IORING_CQE_F_MORE` keeps its entry. When the kernel reports CQ overflow
//! (`IORING_SQ_CQ_OVERFLOW`, completions kept aside with
//! `IORING_FEAT_NODROP`), the driver enters the kernel with `GETEVENTS` to
//! flush them and drains again.
//!
//! **Closing fds.** An fd that ring operations used is closed through the
//! ring (`IORING_OP_CLOSE`), queued after every SQE already queued for it,
//! so no queued SQE can reach a reused fd number. When its owner is dropped
//! while the driver is borrowed (user code inside the driver: a waker or an
//! op's buffer dropped during a poll or a completion), the fd goes to the
//! [`DeferredCloses`] list instead, and the driver queues its close before
//! it next hands SQEs to the kernel. It is never closed directly while the
//! loop runs.
//!
//! **Shutdown.** Dropping the runtime cancels every entry still in the
//! kernel and waits for all their CQEs before the ring is unmapped. If the
//! kernel does not answer within the grace period ([`SHUTDOWN_GRACE`] by
//! default), the driver *gives up*: from then on nothing the kernel may
//! still write is ever freed. The data of entries ignored at that moment is
//! leaked; an op future still alive then (returned out of `block_on`) that
//! is dropped later leaks its data instead of moving it into the slab; the
//! slab itself, the eventfd buffer (if its read is still armed), the
//! provided-buffer pool and the ring are never freed.

mod backend;
pub(crate) mod bufring;
mod epoll;
mod lifecycle;
pub(crate) mod op;
mod op_counts;
mod setup;

pub use backend::{Backend, BACKEND_ENV};
pub use setup::RingFeatures;

pub(crate) use backend::{Driver, DriverConfig};
pub(crate) use epoll::{DirectWait, Spawner};

pub(crate) use lifecycle::Cqe;
pub(crate) use setup::build_ring;

use std::cell::RefCell;
use std::io;
use std::mem::ManuallyDrop;
use std::os::fd::RawFd;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use io_uring::{cqueue, opcode, squeue, types, IoUring};
use slab::Slab;

use bufring::BufRing;
use lifecycle::{leak_ignored, Lifecycle, Multi};
use op::OpCode;
pub(crate) use op_counts::OpCounts;

/// `user_data` of requests whose completion nobody waits for.
pub(crate) const IGNORE_KEY: u64 = u64::MAX;
/// `user_data` of the read armed on the loop's eventfd.
pub(crate) const EVENTFD_KEY: u64 = u64::MAX - 1;
/// The key the epoll backend gives a single-shot operation it carries
/// out on its readiness path, without a slab entry (see its module docs).
/// No slab grows this large.
pub(crate) const DIRECT: usize = usize::MAX - 1;
/// How long shutdown waits for cancelled operations before leaking them.
pub(crate) const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// `IORING_ENTER_GETEVENTS`.
const ENTER_GETEVENTS: u32 = 1;

/// Fds whose owners were dropped while the driver was borrowed; the driver
/// closes them through the ring before it next submits (see the module
/// docs). Shared (`Rc`) by the driver and the loop's handle.
#[derive(Debug, Default)]
pub(crate) struct DeferredCloses(RefCell<Vec<RawFd>>);

impl DeferredCloses {
    /// Queues `fd`, which the caller owns and gives up, for closing.
    pub(crate) fn push(&self, fd: RawFd) {
        self.0.borrow_mut().push(fd);
    }

    fn take(&self) -> Vec<RawFd> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}

/// Counters of the driver's rarer paths, for tests and diagnostics.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DriverStats {
    /// Times a push found the SQ full and flushed it.
    pub sq_full_flushes: u64,
    /// Times the kernel reported CQ overflow and the backlog was flushed.
    pub cq_overflows: u64,
    /// Operations submitted.
    pub submitted: u64,
    /// Receives that got their bytes in a buffer of the provided pool.
    pub pool_reads: u64,
    /// Receives that found the provided pool empty (`ENOBUFS`) and fell
    /// back to a buffer of their own.
    pub pool_empty: u64,
    /// Multishot receives stopped because their completions waited unread
    /// (a reader that stopped reading); the next read re-arms them.
    pub multishot_capped: u64,
    /// Multishot receives armed by reads: once per socket, and again each
    /// time the previous one ended (`ENOBUFS`, the cap, an error).
    pub multishot_armed: u64,
    /// Buffers in the provided pool (0 until first used).
    pub pool_buffers: u16,
    /// Times the pool doubled because receives found it empty.
    pub pool_grown: u32,
    /// The pool consumes buffers incrementally (`IOU_PBUF_RING_INC`,
    /// Linux 6.12): one buffer serves many small receives.
    pub pool_incremental: bool,
}

/// The io_uring backend.
pub(crate) struct Uring {
    ring: ManuallyDrop<IoUring>,
    ops: Slab<Lifecycle>,
    /// User operations whose final CQE has not arrived.
    in_flight: usize,
    /// Wakers of completed operations, woken by the loop after the borrow.
    wakes: Vec<Waker>,
    eventfd: RawFd,
    /// 8 bytes the eventfd read writes into; boxed so its address is stable.
    eventfd_buf: Box<u64>,
    eventfd_armed: bool,
    features: RingFeatures,
    stats: DriverStats,
    op_counts: OpCounts,
    closed: bool,
    /// Set when shutdown gave up waiting: the ring must never be unmapped.
    leaked: bool,
    /// The provided-buffer pool for receives, registered on first use.
    read_bufs: ReadBufs,
    /// Fds to close through the ring before the next submission.
    deferred: Rc<DeferredCloses>,
    /// How long shutdown waits for cancelled operations before giving up.
    shutdown_grace: Duration,
    /// Tests: cancels are not sent, as if the kernel ignored them.
    #[cfg(test)]
    pub(crate) ignore_cancels: bool,
}

/// The state of the driver's provided-buffer pool.
enum ReadBufs {
    /// Not registered yet: `count` buffers of `size` bytes when first needed.
    Unused {
        count: u16,
        size: u32,
    },
    Ready(Rc<BufRing>),
    /// Disabled by configuration, or refused by the kernel.
    Off,
}

/// Default provided receive buffers: 128 of 16 KiB (2 MiB per loop, pages
/// touched only as the kernel fills them).
pub(crate) const DEFAULT_READ_BUFS: (u16, u32) = (128, 16 * 1024);

impl Uring {
    pub(crate) fn new(ring: IoUring, features: RingFeatures, eventfd: RawFd) -> Uring {
        Uring {
            ring: ManuallyDrop::new(ring),
            ops: Slab::with_capacity(64),
            in_flight: 0,
            wakes: Vec::with_capacity(64),
            eventfd,
            eventfd_buf: Box::new(0),
            eventfd_armed: false,
            features,
            stats: DriverStats::default(),
            op_counts: OpCounts::default(),
            closed: false,
            leaked: false,
            read_bufs: ReadBufs::Unused {
                count: DEFAULT_READ_BUFS.0,
                size: DEFAULT_READ_BUFS.1,
            },
            deferred: Rc::default(),
            shutdown_grace: SHUTDOWN_GRACE,
            #[cfg(test)]
            ignore_cancels: false,
        }
    }

    /// The list where fds dropped during a borrow of the driver wait.
    pub(crate) fn deferred_closes(&self) -> Rc<DeferredCloses> {
        self.deferred.clone()
    }

    /// Sets how long shutdown waits for cancelled operations.
    pub(crate) fn set_shutdown_grace(&mut self, grace: Duration) {
        self.shutdown_grace = grace;
    }

    /// Queues the closes deferred during borrows (see [`DeferredCloses`]).
    fn close_deferred(&mut self) {
        for fd in self.deferred.take() {
            self.close_fd(fd);
        }
    }

    /// Counts a receive from the provided pool (`empty`: it ran dry).
    pub(crate) fn count_pool_read(&mut self, empty: bool) {
        if empty {
            self.stats.pool_empty += 1;
        } else {
            self.stats.pool_reads += 1;
        }
    }

    /// Sets the provided-buffer pool's shape before first use; a count of
    /// zero turns it off (receives then use a buffer of their own).
    pub(crate) fn set_read_buffers(&mut self, count: u16, size: u32) {
        if let ReadBufs::Unused { .. } = self.read_bufs {
            self.read_bufs = if count == 0 {
                ReadBufs::Off
            } else {
                ReadBufs::Unused { count, size }
            };
        }
    }

    /// The provided-buffer pool, registered on first call; `None` where the
    /// kernel refuses it (before 5.19) or it is turned off.
    pub(crate) fn read_buffers(&mut self) -> Option<Rc<BufRing>> {
        match &self.read_bufs {
            ReadBufs::Ready(r) => Some(r.clone()),
            ReadBufs::Off => None,
            ReadBufs::Unused { .. } if self.closed => None,
            &ReadBufs::Unused { count, size } => match BufRing::register(&self.ring, count, size) {
                Ok(r) => {
                    let r = Rc::new(r);
                    self.read_bufs = ReadBufs::Ready(r.clone());
                    Some(r)
                }
                Err(e) => {
                    tracing::debug!(error = %e, "no provided-buffer ring; receives use their own buffers");
                    self.read_bufs = ReadBufs::Off;
                    None
                }
            },
        }
    }

    pub(crate) fn features(&self) -> RingFeatures {
        self.features
    }

    pub(crate) fn stats(&self) -> DriverStats {
        let mut s = self.stats;
        if let ReadBufs::Ready(r) = &self.read_bufs {
            s.pool_buffers = r.buffers();
            s.pool_grown = r.times_grown();
            s.pool_incremental = r.incremental();
        }
        s
    }

    /// Counts a multishot receive armed by a read (the first, or again
    /// after the kernel or the cap ended the previous one).
    pub(crate) fn count_multishot_armed(&mut self) {
        self.stats.multishot_armed += 1;
    }

    /// Operations per opcode.
    pub(crate) fn op_counts(&self) -> &OpCounts {
        &self.op_counts
    }

    /// Debug mode: the counters also keep each operation's start and task.
    pub(crate) fn op_counts_mut(&mut self) -> &mut OpCounts {
        &mut self.op_counts
    }

    /// Operations started by users that have not completed.
    pub(crate) fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// Starts an operation; returns its key. A push failure is recorded as
    /// the operation's completion, so the future reports it with its data.
    /// A multishot operation with a non-zero `cap` is cancelled when `cap`
    /// of its CQEs wait unread (see [`Multi::cap`]).
    pub(crate) fn submit_capped(
        &mut self,
        sqe: squeue::Entry,
        multishot: bool,
        cap: usize,
    ) -> usize {
        if self.closed {
            return self.ops.insert(Lifecycle::Completed(Cqe {
                result: -libc::ECANCELED,
                flags: 0,
                buf_off: 0,
            }));
        }
        let entry = if multishot {
            Lifecycle::Multi(Multi {
                queue: Default::default(),
                waker: None,
                done: false,
                cap,
                capped: false,
            })
        } else {
            Lifecycle::Submitted
        };
        let key = self.ops.insert(entry);
        let opcode = sqe.get_opcode();
        match self.push(sqe.user_data(key as u64)) {
            Ok(()) => {
                self.in_flight += 1;
                self.stats.submitted += 1;
                self.op_counts.submitted(key, opcode);
            }
            Err(e) => {
                let errno = e.raw_os_error().unwrap_or(libc::EIO);
                let cqe = Cqe {
                    result: -errno,
                    flags: 0,
                    buf_off: 0,
                };
                match &mut self.ops[key] {
                    Lifecycle::Multi(m) => {
                        m.queue.push_back(cqe);
                        m.done = true;
                    }
                    other => *other = Lifecycle::Completed(cqe),
                }
            }
        }
        key
    }

    /// Queues an SQE; a full SQ is flushed and the push retried.
    fn push(&mut self, sqe: squeue::Entry) -> io::Result<()> {
        loop {
            // SAFETY: every SQE pushed here points only into memory that
            // stays alive until its CQE: op data owned by the op future or
            // its slab entry (see the module docs), the driver's boxed
            // eventfd buffer, or nothing (cancel, close, nop).
            if unsafe { self.ring.submission().push(&sqe) }.is_ok() {
                return Ok(());
            }
            self.stats.sq_full_flushes += 1;
            self.flush()?;
        }
    }

    /// Hands queued SQEs to the kernel without waiting.
    fn flush(&mut self) -> io::Result<()> {
        loop {
            match self.ring.submit() {
                Ok(_) => return Ok(()),
                Err(e) => match e.raw_os_error() {
                    Some(libc::EINTR) => continue,
                    Some(libc::EBUSY) | Some(libc::EAGAIN) => {
                        // Completions are backed up: make room, then retry.
                        self.reap();
                        self.enter_getevents()?;
                        self.reap();
                    }
                    _ => return Err(e),
                },
            }
        }
    }

    /// `io_uring_enter(to_submit, 0, GETEVENTS)`: submits and lets the
    /// kernel post completions (needed with DEFER_TASKRUN) without waiting.
    fn enter_getevents(&mut self) -> io::Result<()> {
        let to_submit = self.ring.submission().len() as u32;
        // SAFETY: no argument pointer is passed (None); flags are a valid
        // enter flag; the SQEs being submitted uphold `push`'s guarantee.
        let res = unsafe {
            self.ring
                .submitter()
                .enter::<libc::sigset_t>(to_submit, 0, ENTER_GETEVENTS, None)
        };
        match res {
            Ok(_) => Ok(()),
            Err(e) => match e.raw_os_error() {
                Some(libc::EINTR) | Some(libc::EBUSY) | Some(libc::EAGAIN) | Some(libc::ETIME) => {
                    Ok(())
                }
                _ => Err(e),
            },
        }
    }

    /// Submits what is queued and collects completions, without blocking.
    pub(crate) fn poll_nonblocking(&mut self) -> io::Result<()> {
        self.close_deferred();
        let pending = !self.ring.submission().is_empty();
        if pending || self.in_flight > 0 {
            self.enter_getevents()?;
        }
        self.reap();
        Ok(())
    }

    /// Parks the loop in one `io_uring_enter`: submits what is queued and
    /// waits for a completion, a remote wake (eventfd) or `timeout`.
    pub(crate) fn park(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        self.close_deferred();
        self.arm_eventfd()?;
        // Wakers collected outside a park (completions reaped by a flush)
        // must not wait for the next event.
        let timeout = if self.wakes.is_empty() {
            timeout
        } else {
            Some(Duration::ZERO)
        };
        let res = match timeout {
            Some(d) if d.is_zero() => return self.poll_nonblocking(),
            Some(d) => {
                let ts = types::Timespec::from(d);
                let args = types::SubmitArgs::new().timespec(&ts);
                self.ring.submitter().submit_with_args(1, &args)
            }
            None => self.ring.submit_and_wait(1),
        };
        if let Err(e) = res {
            match e.raw_os_error() {
                Some(libc::ETIME) | Some(libc::EINTR) | Some(libc::EBUSY) | Some(libc::EAGAIN) => {}
                _ => return Err(e),
            }
        }
        self.reap();
        Ok(())
    }

    fn arm_eventfd(&mut self) -> io::Result<()> {
        if self.eventfd_armed || self.closed {
            return Ok(());
        }
        let buf: *mut u64 = &mut *self.eventfd_buf;
        let sqe = opcode::Read::new(types::Fd(self.eventfd), buf.cast(), 8)
            .build()
            .user_data(EVENTFD_KEY);
        self.push(sqe)?;
        self.eventfd_armed = true;
        Ok(())
    }

    /// Drains the CQ into the entries, including an overflow backlog.
    fn reap(&mut self) {
        let mut over_cap = Vec::new();
        loop {
            let mut cq = self.ring.completion();
            cq.sync();
            for cqe in &mut cq {
                let mut c = Cqe {
                    result: cqe.result(),
                    flags: cqe.flags(),
                    buf_off: 0,
                };
                if let ReadBufs::Ready(r) = &self.read_bufs {
                    // In completion order: the pool's offsets depend on it.
                    r.observe(&mut c);
                }
                match cqe.user_data() {
                    IGNORE_KEY => {}
                    EVENTFD_KEY => self.eventfd_armed = false,
                    key => {
                        if !cqueue::more(c.flags) && self.ops.contains(key as usize) {
                            self.op_counts.completed(key as usize, c.result);
                        }
                        dispatch(
                            &mut self.ops,
                            &mut self.wakes,
                            &mut self.in_flight,
                            &mut over_cap,
                            key as usize,
                            c,
                        )
                    }
                }
            }
            drop(cq);
            if !self.ring.submission().cq_overflow() {
                break;
            }
            self.stats.cq_overflows += 1;
            // SAFETY: as in enter_getevents: no argument pointer, valid flag.
            let res = unsafe {
                self.ring
                    .submitter()
                    .enter::<libc::sigset_t>(0, 0, ENTER_GETEVENTS, None)
            };
            if let Err(e) = res {
                if e.raw_os_error() != Some(libc::EINTR) {
                    tracing::warn!(error = %e, "flushing the CQ overflow backlog failed");
                    break;
                }
            }
        }
        for key in over_cap {
            self.stats.multishot_capped += 1;
            self.cancel(key);
        }
        if let ReadBufs::Ready(r) = &self.read_bufs {
            r.end_batch();
        }
    }

    /// Moves out the wakers of completed operations (to wake them after
    /// releasing the driver). `into` must be empty; it comes back cleared.
    pub(crate) fn take_wakes(&mut self, into: &mut Vec<Waker>) {
        std::mem::swap(&mut self.wakes, into);
    }

    /// Tests: the list of wakers the loop wakes after the borrow.
    #[cfg(test)]
    pub(crate) fn wakes_mut(&mut self) -> &mut Vec<Waker> {
        &mut self.wakes
    }

    /// Polls a single-shot operation.
    pub(crate) fn poll_op(&mut self, key: usize, cx: &mut Context<'_>) -> Poll<Cqe> {
        let Some(entry) = self.ops.get_mut(key) else {
            return Poll::Ready(Cqe {
                result: -libc::ECANCELED,
                flags: 0,
                buf_off: 0,
            });
        };
        match entry {
            Lifecycle::Completed(c) => {
                let c = *c;
                self.ops.remove(key);
                Poll::Ready(c)
            }
            Lifecycle::Waiting(w) if w.will_wake(cx.waker()) => Poll::Pending,
            Lifecycle::Submitted | Lifecycle::Waiting(_) => {
                *entry = Lifecycle::Waiting(cx.waker().clone());
                Poll::Pending
            }
            Lifecycle::Ignored(_) | Lifecycle::Multi(_) | Lifecycle::Ready => Poll::Ready(Cqe {
                result: -libc::EINVAL,
                flags: 0,
                buf_off: 0,
            }),
        }
    }

    /// Polls a multishot operation: `Ready(None)` after its last CQE.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn poll_multi(&mut self, key: usize, cx: &mut Context<'_>) -> Poll<Option<Cqe>> {
        let Some(Lifecycle::Multi(m)) = self.ops.get_mut(key) else {
            return Poll::Ready(None);
        };
        if let Some(c) = m.queue.pop_front() {
            return Poll::Ready(Some(c));
        }
        if m.done {
            self.ops.remove(key);
            return Poll::Ready(None);
        }
        match &m.waker {
            Some(w) if w.will_wake(cx.waker()) => {}
            _ => m.waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }

    /// Asks the kernel to end multishot operation `key`; its completions
    /// so far stay queued for the consumer, which then sees its end (not
    /// `ECANCELED`).
    pub(crate) fn stop_multi(&mut self, key: usize) {
        let Some(Lifecycle::Multi(m)) = self.ops.get_mut(key) else {
            return;
        };
        if m.done || m.capped {
            return;
        }
        m.capped = true;
        self.cancel(key);
    }

    /// The next completion of multishot operation `key`, if one is
    /// queued, left in the queue.
    pub(crate) fn peek_multi(&self, key: usize) -> Option<Cqe> {
        match self.ops.get(key) {
            Some(Lifecycle::Multi(m)) => m.queue.front().copied(),
            _ => None,
        }
    }

    /// The future of entry `key` was dropped with its data. If the kernel
    /// may still touch the data, the entry keeps it and the operation is
    /// cancelled; otherwise what its completions produced is released.
    /// Wakers that releasing them woke go to `wakes`, for the caller to wake
    /// after the borrow.
    pub(crate) fn drop_op(
        &mut self,
        key: usize,
        mut data: Box<dyn OpCode>,
        wakes: &mut Vec<Waker>,
    ) {
        let Some(entry) = self.ops.get_mut(key) else {
            return;
        };
        if self.leaked && entry.in_kernel() {
            // Shutdown gave up on this operation: the kernel may still write
            // the data, and nobody reaps its CQE any more. Never free it.
            std::mem::forget(data);
            return;
        }
        match entry {
            Lifecycle::Completed(c) => {
                let c = *c;
                self.ops.remove(key);
                data.release(&c, wakes);
            }
            Lifecycle::Multi(m) if m.done => {
                for c in m.queue.drain(..) {
                    data.release(&c, wakes);
                }
                self.ops.remove(key);
            }
            Lifecycle::Multi(m) => {
                for c in m.queue.drain(..) {
                    data.release(&c, wakes);
                }
                *entry = Lifecycle::Ignored(data);
                self.cancel(key);
            }
            Lifecycle::Submitted | Lifecycle::Waiting(_) => {
                *entry = Lifecycle::Ignored(data);
                self.cancel(key);
            }
            Lifecycle::Ignored(_) | Lifecycle::Ready => {}
        }
    }

    /// Tests: the kernel is made to look as if it ignored cancels.
    fn cancels_ignored(&self) -> bool {
        #[cfg(test)]
        return self.ignore_cancels;
        #[cfg(not(test))]
        false
    }

    fn cancel(&mut self, key: usize) {
        if self.closed {
            return;
        }
        if self.cancels_ignored() {
            return;
        }
        let sqe = opcode::AsyncCancel::new(key as u64)
            .build()
            .user_data(IGNORE_KEY);
        if let Err(e) = self.push(sqe) {
            // The operation still completes on its own; its entry keeps the
            // data until then.
            tracing::warn!(error = %e, "could not queue ASYNC_CANCEL");
        }
    }

    /// Closes `fd` through the ring, ordered after every SQE already queued
    /// for it (closing it directly could let an unsubmitted SQE reach a
    /// reused fd number). Falls back to close(2) after a flush.
    pub(crate) fn close_fd(&mut self, fd: RawFd) {
        if !self.closed {
            let sqe = opcode::Close::new(types::Fd(fd))
                .build()
                .user_data(IGNORE_KEY);
            if self.push(sqe).is_ok() {
                return;
            }
            let _ = self.flush();
        }
        // SAFETY: the caller owns `fd` and gives it up.
        unsafe { libc::close(fd) };
    }

    /// Hands every queued SQE to the kernel (before the loop stops running,
    /// so that nothing queued can outlive the fds it names).
    pub(crate) fn submit_pending(&mut self) -> io::Result<()> {
        self.close_deferred();
        if self.ring.submission().is_empty() {
            return Ok(());
        }
        self.flush()
    }

    /// Cancels everything in the kernel and waits for every CQE.
    pub(crate) fn shutdown(&mut self) {
        if self.closed {
            return;
        }
        let keys: Vec<usize> = self
            .ops
            .iter()
            .filter(|(_, e)| e.in_kernel())
            .map(|(k, _)| k)
            .collect();
        for key in keys {
            self.cancel(key);
        }
        if self.eventfd_armed && !self.cancels_ignored() {
            let sqe = opcode::AsyncCancel::new(EVENTFD_KEY)
                .build()
                .user_data(IGNORE_KEY);
            let _ = self.push(sqe);
        }
        // Closes deferred until now go after everything queued.
        self.close_deferred();
        self.closed = true;
        let deadline = Instant::now() + self.shutdown_grace;
        while self.in_flight > 0 || self.eventfd_armed {
            if Instant::now() >= deadline {
                tracing::error!(
                    in_flight = self.in_flight,
                    "io_uring operations did not finish after cancellation; \
                     leaking their buffers and the ring rather than freeing memory the kernel may write"
                );
                self.leaked = true;
                leak_ignored(&mut self.ops);
                break;
            }
            let ts = types::Timespec::from(Duration::from_millis(100));
            let args = types::SubmitArgs::new().timespec(&ts);
            if let Err(e) = self.ring.submitter().submit_with_args(1, &args) {
                match e.raw_os_error() {
                    Some(libc::ETIME) | Some(libc::EINTR) | Some(libc::EBUSY)
                    | Some(libc::EAGAIN) => {}
                    _ => {
                        tracing::error!(error = %e, "io_uring_enter failed during shutdown");
                        std::thread::sleep(Duration::from_millis(10));
                    }
                }
            }
            self.reap();
        }
    }
}

/// Delivers one CQE to its entry.
fn dispatch(
    ops: &mut Slab<Lifecycle>,
    wakes: &mut Vec<Waker>,
    in_flight: &mut usize,
    over_cap: &mut Vec<usize>,
    key: usize,
    c: Cqe,
) {
    let more = cqueue::more(c.flags);
    let Some(entry) = ops.get_mut(key) else {
        tracing::warn!(key, "completion for an unknown operation");
        return;
    };
    if !more {
        *in_flight = in_flight.saturating_sub(1);
    }
    match entry {
        Lifecycle::Submitted => *entry = Lifecycle::Completed(c),
        Lifecycle::Waiting(_) => {
            if let Lifecycle::Waiting(w) = std::mem::replace(entry, Lifecycle::Completed(c)) {
                wakes.push(w);
            }
        }
        Lifecycle::Ignored(data) => {
            // Released inside the driver: whom it wakes waits in `wakes`.
            data.release(&c, wakes);
            if !more {
                ops.remove(key);
            }
        }
        Lifecycle::Multi(m) => {
            if more || !m.capped || c.result != -libc::ECANCELED {
                m.queue.push_back(c);
            }
            if !more {
                m.done = true;
            } else if m.cap > 0 && !m.capped && m.queue.len() >= m.cap {
                m.capped = true;
                over_cap.push(key);
            }
            if let Some(w) = m.waker.take() {
                wakes.push(w);
            }
        }
        Lifecycle::Completed(_) | Lifecycle::Ready => {
            tracing::warn!(key, "a second completion for a single-shot operation");
        }
    }
}

impl Drop for Uring {
    fn drop(&mut self) {
        self.shutdown();
        // Every SQE went to the kernel and completed (or was given up on):
        // closing directly cannot race a queued one any more.
        for fd in self.deferred.take() {
            // SAFETY: the owner gave `fd` up to the list; closed once, here.
            unsafe { libc::close(fd) };
        }
        if !self.leaked {
            // SAFETY: shutdown saw every CQE, so the kernel touches no memory
            // of ours any more; the ring is dropped exactly once, here.
            unsafe { ManuallyDrop::drop(&mut self.ring) };
            return;
        }
        // Shutdown gave up: the kernel may still write into anything an
        // unanswered operation named. Never free any of it.
        std::mem::forget(std::mem::take(&mut self.ops));
        if self.eventfd_armed {
            std::mem::forget(std::mem::replace(&mut self.eventfd_buf, Box::new(0)));
        }
        if let ReadBufs::Ready(r) = std::mem::replace(&mut self.read_bufs, ReadBufs::Off) {
            std::mem::forget(r);
        }
    }
}

#[cfg(test)]
mod shutdown_tests;
#[cfg(test)]
mod tests;
