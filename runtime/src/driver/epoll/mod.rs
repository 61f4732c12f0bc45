//! The readiness backend: epoll (through `mio`), for where io_uring is
//! refused (seccomp, gVisor, `kernel.io_uring_disabled`, old kernels).
//!
//! # Design (the spec of its unsafe parts)
//!
//! **Entries.** The same slab of [`Lifecycle`]s as the io_uring backend,
//! keyed the same way, so the futures above cannot tell the backends apart.
//! What an operation does comes from [`OpCode::readiness`]:
//!
//! - [`Readiness::Fd`]: the fd is made non-blocking and registered with
//!   epoll (edge-triggered, read and write, once per fd). The entry starts
//!   [`Lifecycle::Ready`]: the future's next poll tries the call
//!   ([`OpCode::attempt`]) with the future's own data. `-EAGAIN` parks the
//!   entry (`Waiting`) in the fd's list for that interest; the fd's next
//!   readiness event makes it `Ready` again and wakes it. Edge-triggered
//!   epoll loses nothing here: a try that saw `EAGAIN` precedes any arrival
//!   that could make the fd ready, and that arrival is an edge. As tokio
//!   does, the driver also remembers per fd and interest whether the last
//!   try drained it (`EAGAIN`, or a stream read or write shorter than asked
//!   for, [`OpCode::drained`]): the next operation then waits for the edge
//!   without a call that could only say `EAGAIN`.
//!
//!   **The readiness path.** A single-shot operation on a pollable fd
//!   needs no entry at all: [`Epoll::submit`] gives it the key
//!   [`DIRECT`] and [`Epoll::poll_direct`] does what the entry would,
//!   keeping the waiting task's waker in the fd's own slot
//!   ([`Tasks`](fd_table::Tasks)) under an id the future holds; an event
//!   wakes and forgets every waiter of its interest, and a dropped future
//!   removes its id ([`Epoll::unwait_call`]). A socket read or write then
//!   costs no slab insert and removal, no entry state, no per-key counts
//!   (tokio keeps its wakers beside the fd in the same way). Sockets'
//!   receives and sends use the same path through a
//!   [`ReadyCall`](super::op::ReadyCall), which lends its buffer to the call
//!   instead of owning an operation. A call that waits is in flight in the
//!   metrics per opcode, and debug mode records its task and age under the
//!   id of its first wait. A subscriber of the `ringio::op` events (one
//!   per submission and completion, by key) keeps owned operations in
//!   entries, where it can see them.
//! - [`Readiness::Inline`]: tried once at submission (`Completed`).
//! - [`Readiness::Blocking`]: first one try that cannot block
//!   ([`OpCode::try_nowait`]: a file read with `preadv2(RWF_NOWAIT)`,
//!   served from cached pages at submission); otherwise the call
//!   ([`OpCode::blocking`]) runs on the blocking pool; its result comes back through a queue and an eventfd
//!   of the driver's own, and is delivered as a completion is on io_uring.
//!
//! **Ownership.** A readiness call runs on the loop thread, inside a poll of
//! the future that owns the data: nothing outlives it. A blocking call
//! points into the operation's data (under `OpCode`'s contract); when its
//! future is dropped first, the data moves into the entry (`Ignored`) and is
//! released and freed only when the call's result is back, as for a CQE.
//!
//! **Cancellation is dropping**, and a dropped read loses nothing: a
//! readiness operation that has not returned its result has done nothing
//! (the call either ran and returned inside the same poll, or did not run),
//! so dropping it just removes it, releasing it with `-ECANCELED` (a stream
//! read ends its stash turn). A blocking call cannot be interrupted: its
//! result is released when it comes.
//!
//! **Multishot** (accept, poll): each poll of the consumer tries once and
//! yields the result with `IORING_CQE_F_MORE`, until `EAGAIN` parks it;
//! nothing is accepted that nobody asked for.
//!
//! **Closing fds.** There is no submission queue, so an fd is closed at
//! once: removed from epoll first (a forked child's copy of the fd would
//! otherwise keep the registration alive under a reused number). The fd
//! table lives only while it is needed: an fd whose owner was dropped
//! outside the loop (closed directly) is forgotten when the loop stops
//! running (`submit_pending`), unless an operation still waits on it.
//!
//! **Shutdown.** Waiting readiness operations complete with `-ECANCELED`;
//! blocking calls are waited for up to the grace period, after which their
//! data is leaked rather than freed under a pool thread that may still
//! write it.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::rc::Rc;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use mio::unix::SourceFd;
use mio::{Events, Token};
use slab::Slab;

mod fd_table;

use fd_table::{FdTable, Waiters};

use super::lifecycle::{leak_ignored, Lifecycle, Multi};
use super::op::{BlockingCall, Interest, OpCode, Readiness};
use super::{dispatch, Cqe, DeferredCloses, DriverStats, OpCounts, DIRECT, SHUTDOWN_GRACE};

/// Runs a job on the blocking pool (given by the loop, which owns the pool).
pub(crate) type Spawner = Box<dyn Fn(Box<dyn FnOnce() + Send>) -> io::Result<()>>;

/// `IORING_CQE_F_MORE`: more completions of a multishot operation follow.
const CQE_F_MORE: u32 = 1 << 1;
/// Token of the loop's eventfd (remote wakes).
const EVENTFD: Token = Token(usize::MAX);
/// Token of the eventfd blocking calls write when they finish.
const OFFLOADS: Token = Token(usize::MAX - 1);

/// Results of blocking calls, posted by pool threads.
struct Finished {
    results: Mutex<Vec<(usize, i32)>>,
    /// Written once per result; registered with epoll. Owned here, so a
    /// call finishing after the loop is gone writes to a live fd.
    eventfd: OwnedFd,
}

impl Finished {
    fn post(&self, key: usize, result: i32) {
        self.results
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((key, result));
        let one: u64 = 1;
        // SAFETY: writes 8 bytes from a live u64 to the eventfd we own.
        let _ = unsafe {
            libc::write(
                self.eventfd.as_raw_fd(),
                (&one as *const u64).cast(),
                std::mem::size_of::<u64>(),
            )
        };
    }
}

/// The epoll driver.
pub(crate) struct Epoll {
    poll: mio::Poll,
    events: Events,
    ops: Slab<Lifecycle>,
    /// Operations started and not completed.
    in_flight: usize,
    /// Blocking calls whose result has not come back.
    offloaded: usize,
    /// Operations of the readiness path waiting in the fd table.
    waiting: usize,
    /// The id the last waiter of the readiness path got (0: none yet).
    last_wait: u64,
    wakes: Vec<Waker>,
    fds: FdTable,
    eventfd: RawFd,
    spawner: Spawner,
    /// Where blocking calls post their results; made on first use.
    finished: Option<Arc<Finished>>,
    stats: DriverStats,
    /// Operations per opcode (the opcode io_uring would have run), for the
    /// loop's metrics and debug mode.
    op_counts: OpCounts,
    closed: bool,
    /// Shutdown gave up on blocking calls: their data is never freed.
    leaked: bool,
    deferred: Rc<DeferredCloses>,
    shutdown_grace: Duration,
}

/// Where an operation of the readiness path stands, kept by its future.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct DirectWait {
    /// The id it waits under in its fd's slot (0: not waiting).
    pub(crate) id: u64,
    /// The id of its first wait (0: it never waited): from then on it is
    /// in flight in the metrics per opcode (and, in debug mode, recorded
    /// under this id with its task and age) until it ends.
    pub(crate) first: u64,
}

impl DirectWait {
    /// Whether the driver must hear of the future's drop.
    pub(crate) fn started(&self) -> bool {
        self.id != 0 || self.first != 0
    }
}

/// Reads an eventfd's counter to zero (it is non-blocking).
fn drain_eventfd(fd: RawFd) {
    let mut buf: u64 = 0;
    // SAFETY: reads 8 bytes into a live u64.
    let _ = unsafe { libc::read(fd, (&mut buf as *mut u64).cast(), 8) };
}

/// Makes a `Waiting` entry `Ready` and queues its waker.
fn make_ready(ops: &mut Slab<Lifecycle>, wakes: &mut Vec<Waker>, key: usize) {
    if let Some(entry) = ops.get_mut(key) {
        if let Lifecycle::Waiting(_) = entry {
            if let Lifecycle::Waiting(w) = std::mem::replace(entry, Lifecycle::Ready) {
                wakes.push(w);
            }
        }
    }
}

impl Epoll {
    /// An epoll instance watching the loop's `eventfd`; `spawner` runs
    /// blocking calls.
    pub(crate) fn new(eventfd: RawFd, spawner: Spawner) -> io::Result<Epoll> {
        let poll = mio::Poll::new()?;
        poll.registry()
            .register(&mut SourceFd(&eventfd), EVENTFD, mio::Interest::READABLE)?;
        Ok(Epoll {
            poll,
            events: Events::with_capacity(256),
            ops: Slab::with_capacity(64),
            in_flight: 0,
            offloaded: 0,
            waiting: 0,
            last_wait: 0,
            wakes: Vec::with_capacity(64),
            fds: FdTable::default(),
            eventfd,
            spawner,
            finished: None,
            stats: DriverStats::default(),
            op_counts: OpCounts::default(),
            closed: false,
            leaked: false,
            deferred: Rc::default(),
            shutdown_grace: SHUTDOWN_GRACE,
        })
    }

    pub(crate) fn set_shutdown_grace(&mut self, grace: Duration) {
        self.shutdown_grace = grace;
    }

    pub(crate) fn deferred_closes(&self) -> Rc<DeferredCloses> {
        self.deferred.clone()
    }

    pub(crate) fn in_flight(&self) -> usize {
        self.in_flight + self.waiting
    }

    pub(crate) fn stats(&self) -> DriverStats {
        self.stats
    }

    /// Makes `fd` non-blocking and registers it, once.
    fn register(&mut self, fd: RawFd) {
        if self.fds.contains(fd) {
            return;
        }
        // SAFETY: fcntl on an fd the operation's owner keeps open.
        unsafe {
            let fl = libc::fcntl(fd, libc::F_GETFL);
            if fl >= 0 && fl & libc::O_NONBLOCK == 0 {
                libc::fcntl(fd, libc::F_SETFL, fl | libc::O_NONBLOCK);
            }
        }
        let both = mio::Interest::READABLE | mio::Interest::WRITABLE;
        let pollable =
            match self
                .poll
                .registry()
                .register(&mut SourceFd(&fd), Token(fd as usize), both)
            {
                Ok(()) => true,
                // Still registered from an earlier run of the loop.
                Err(e) if e.raw_os_error() == Some(libc::EEXIST) => true,
                // A regular file or a directory: always ready.
                Err(_) => false,
            };
        self.fds.insert(fd, Waiters::new(pollable));
    }

    /// Starts an operation; returns its key.
    pub(crate) fn submit(&mut self, data: &mut dyn OpCode, multishot: bool) -> usize {
        if self.closed {
            return self
                .ops
                .insert(Lifecycle::Completed(Cqe::of(-libc::ECANCELED)));
        }
        let readiness = data.readiness();
        if let (Readiness::Fd(fd, _), false) = (readiness, multishot) {
            // The readiness path: counted when it is first polled.
            self.register(fd);
            if self.op_counts.plain() {
                return DIRECT;
            }
        }
        self.stats.submitted += 1;
        let opcode = data.opcode();
        match readiness {
            Readiness::Inline => {
                let cqe = Cqe::of(data.attempt());
                let key = if multishot {
                    let mut m = Multi::default();
                    m.queue.push_back(cqe);
                    m.done = true;
                    self.ops.insert(Lifecycle::Multi(m))
                } else {
                    self.ops.insert(Lifecycle::Completed(cqe))
                };
                self.op_counts.submitted(key, opcode);
                self.op_counts.completed(key, cqe.result);
                key
            }
            Readiness::Fd(fd, _) => {
                self.register(fd);
                self.in_flight += 1;
                let key = self.ops.insert(Lifecycle::Ready);
                self.op_counts.submitted(key, opcode);
                key
            }
            Readiness::Blocking => {
                if let Some(result) = data.try_nowait() {
                    // Served on the loop thread (cached file pages).
                    let cqe = Cqe::of(result);
                    let key = self.ops.insert(Lifecycle::Completed(cqe));
                    self.op_counts.submitted(key, opcode);
                    self.op_counts.completed(key, result);
                    return key;
                }
                let key = self.ops.insert(Lifecycle::Submitted);
                self.in_flight += 1;
                self.op_counts.submitted(key, opcode);
                self.offload(key, data.blocking());
                key
            }
        }
    }

    /// Operations per opcode.
    pub(crate) fn op_counts(&self) -> &OpCounts {
        &self.op_counts
    }

    /// Operations per opcode, to switch on debug mode's ages.
    pub(crate) fn op_counts_mut(&mut self) -> &mut OpCounts {
        &mut self.op_counts
    }

    /// The queue blocking calls post to, made and registered on first use.
    fn finished(&mut self) -> io::Result<Arc<Finished>> {
        if let Some(f) = &self.finished {
            return Ok(f.clone());
        }
        // SAFETY: eventfd has no memory-safety preconditions.
        let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a fresh descriptor owned by nobody else.
        let eventfd = unsafe { OwnedFd::from_raw_fd(fd) };
        self.poll
            .registry()
            .register(&mut SourceFd(&fd), OFFLOADS, mio::Interest::READABLE)?;
        let f = Arc::new(Finished {
            results: Mutex::new(Vec::new()),
            eventfd,
        });
        self.finished = Some(f.clone());
        Ok(f)
    }

    /// Runs `call` on the blocking pool; its result comes back as `key`'s.
    /// If it cannot be queued, the operation completes with the error (the
    /// call was dropped unrun: nothing touches the data).
    fn offload(&mut self, key: usize, call: BlockingCall) {
        let errno = |e: io::Error| -e.raw_os_error().unwrap_or(libc::EAGAIN);
        let finished = match self.finished() {
            Ok(f) => f,
            Err(e) => {
                let c = Cqe::of(errno(e));
                self.ops[key] = Lifecycle::Completed(c);
                self.op_counts.completed(key, c.result);
                self.in_flight -= 1;
                return;
            }
        };
        self.offloaded += 1;
        let post = finished.clone();
        let job = Box::new(move || {
            let result = call.run();
            post.post(key, result);
        });
        if let Err(e) = (self.spawner)(job) {
            finished.post(key, errno(e));
        }
    }

    /// Delivers the results of finished blocking calls.
    fn reap_offloads(&mut self) {
        let (true, Some(finished)) = (self.offloaded > 0, &self.finished) else {
            return;
        };
        let done = std::mem::take(
            &mut *finished
                .results
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        let mut over_cap = Vec::new();
        for (key, result) in done {
            self.offloaded -= 1;
            let c = Cqe::of(result);
            self.op_counts.completed(key, result);
            dispatch(
                &mut self.ops,
                &mut self.wakes,
                &mut self.in_flight,
                &mut over_cap,
                key,
                c,
            );
        }
    }

    /// Tries the operation of the `Ready` entry `key`: its result, or
    /// `None` when it must wait (the entry then waits for readiness).
    ///
    /// An fd known to be drained for the interest (the last try said
    /// `EAGAIN`, or read less than it asked for) is not tried again before
    /// its next readiness event: that try would only say `EAGAIN`.
    fn attempt(&mut self, key: usize, cx: &mut Context<'_>, data: &mut dyn OpCode) -> Option<i32> {
        let Readiness::Fd(fd, interest) = data.readiness() else {
            return Some(data.attempt());
        };
        let Some(w) = self.fds.get_mut(fd).filter(|w| w.pollable) else {
            return Some(data.attempt());
        };
        if w.is_ready(interest) {
            let result = data.attempt();
            if result != -libc::EAGAIN {
                if data.drained(result) {
                    w.set_ready(interest, false);
                }
                return Some(result);
            }
            w.set_ready(interest, false);
        }
        w.list(interest).push(key);
        self.ops[key] = Lifecycle::Waiting(cx.waker().clone());
        None
    }

    /// Polls an operation on the readiness path (key [`DIRECT`]); `wait`
    /// says where it stands, kept by its future.
    pub(crate) fn poll_direct(
        &mut self,
        cx: &mut Context<'_>,
        data: &mut dyn OpCode,
        wait: &mut DirectWait,
    ) -> Poll<Cqe> {
        let Readiness::Fd(fd, interest) = data.readiness() else {
            return Poll::Ready(Cqe::of(-libc::EINVAL));
        };
        // Read before the call: building an SQE may rewrite what the call
        // filled in (a message header's address length).
        let opcode = data.opcode();
        let mut call = || {
            let result = data.attempt();
            (result, data.drained(result))
        };
        self.poll_call(cx, fd, interest, opcode, wait, &mut call)
            .map(Cqe::of)
    }

    /// Polls a call on the readiness path: `call` makes it (non-blocking)
    /// and says whether it drained the fd for `interest` (see
    /// [`OpCode::drained`]); `wait` says where the call stands, kept by its
    /// future; `opcode` is what io_uring would have run, for the metrics.
    ///
    /// The call is made only when the fd may be ready, and only inside
    /// this poll, so a future dropped between polls has done nothing.
    /// An fd that is not registered (closed under the call, or never
    /// pollable) is simply tried: the call says what it is.
    pub(crate) fn poll_call(
        &mut self,
        cx: &mut Context<'_>,
        fd: RawFd,
        interest: Interest,
        opcode: u32,
        wait: &mut DirectWait,
        call: &mut dyn FnMut() -> (i32, bool),
    ) -> Poll<i32> {
        if self.closed {
            // Shutdown woke and forgot every waiter.
            wait.id = 0;
            self.count_direct(opcode, wait.first);
            return Poll::Ready(-libc::ECANCELED);
        }
        let Some(w) = self.fds.get_mut(fd).filter(|w| w.pollable) else {
            wait.id = 0;
            self.count_direct(opcode, wait.first);
            return Poll::Ready(call().0);
        };
        if wait.id != 0 {
            if w.tasks(interest).refresh(wait.id, cx.waker()) {
                // No event since it started waiting: still not ready.
                return Poll::Pending;
            }
            wait.id = 0;
        }
        if w.is_ready(interest) {
            let (result, drained) = call();
            if result != -libc::EAGAIN {
                if drained {
                    w.set_ready(interest, false);
                }
                self.count_direct(opcode, wait.first);
                return Poll::Ready(result);
            }
            w.set_ready(interest, false);
        }
        self.last_wait += 1;
        w.tasks(interest).push((self.last_wait, cx.waker().clone()));
        self.waiting += 1;
        wait.id = self.last_wait;
        if wait.first == 0 {
            // In flight for the metrics from now on.
            wait.first = self.last_wait;
            self.stats.submitted += 1;
            self.op_counts.direct_waits(opcode, wait.first);
        }
        Poll::Pending
    }

    /// Counts a call of the readiness path that ended (see
    /// [`OpCounts::direct`]); one that never waited is counted as
    /// submitted here.
    fn count_direct(&mut self, opcode: u32, first: u64) {
        if first == 0 {
            self.stats.submitted += 1;
        }
        self.op_counts.direct(opcode, first);
    }

    /// Registers `fd` for a call of the readiness path
    /// ([`poll_call`](Self::poll_call)) that is about to be polled; the
    /// caller keeps `fd` open until the call's future is gone.
    pub(crate) fn prepare_call(&mut self, fd: RawFd) {
        if !self.closed {
            self.register(fd);
        }
    }

    /// The future of an operation on the readiness path was dropped: it
    /// stops waiting, and ends (cancelled) for the metrics.
    pub(crate) fn unwait_call(
        &mut self,
        fd: RawFd,
        interest: Interest,
        opcode: u32,
        wait: DirectWait,
    ) {
        if wait.id != 0 {
            if let Some(w) = self.fds.get_mut(fd) {
                if w.tasks(interest).remove(wait.id) {
                    self.waiting -= 1;
                }
            }
        }
        if wait.first != 0 {
            self.count_direct(opcode, wait.first);
        }
    }

    /// Polls a single-shot operation.
    pub(crate) fn poll_op(
        &mut self,
        key: usize,
        cx: &mut Context<'_>,
        data: &mut dyn OpCode,
    ) -> Poll<Cqe> {
        let Some(entry) = self.ops.get_mut(key) else {
            return Poll::Ready(Cqe::of(-libc::ECANCELED));
        };
        match entry {
            Lifecycle::Completed(c) => {
                let c = *c;
                self.ops.remove(key);
                Poll::Ready(c)
            }
            Lifecycle::Ready => match self.attempt(key, cx, data) {
                None => Poll::Pending,
                Some(result) => {
                    self.ops.remove(key);
                    self.op_counts.completed(key, result);
                    self.in_flight -= 1;
                    Poll::Ready(Cqe::of(result))
                }
            },
            Lifecycle::Waiting(w) if w.will_wake(cx.waker()) => Poll::Pending,
            Lifecycle::Submitted | Lifecycle::Waiting(_) => {
                *entry = Lifecycle::Waiting(cx.waker().clone());
                Poll::Pending
            }
            Lifecycle::Ignored(_) | Lifecycle::Multi(_) => Poll::Ready(Cqe::of(-libc::EINVAL)),
        }
    }

    /// Polls a multishot operation: one try per poll, `Ready(None)` after
    /// its last result.
    pub(crate) fn poll_multi(
        &mut self,
        key: usize,
        cx: &mut Context<'_>,
        data: &mut dyn OpCode,
    ) -> Poll<Option<Cqe>> {
        let Some(entry) = self.ops.get_mut(key) else {
            return Poll::Ready(None);
        };
        match entry {
            Lifecycle::Multi(m) => match m.queue.pop_front() {
                Some(c) => Poll::Ready(Some(c)),
                None => {
                    self.ops.remove(key);
                    Poll::Ready(None)
                }
            },
            Lifecycle::Ready => match self.attempt(key, cx, data) {
                None => Poll::Pending,
                Some(result) if result >= 0 => Poll::Ready(Some(Cqe {
                    result,
                    flags: CQE_F_MORE,
                    buf_off: 0,
                })),
                Some(result) => {
                    // An error ends it: the consumer sees it, then the end.
                    self.op_counts.completed(key, result);
                    self.in_flight -= 1;
                    self.ops[key] = Lifecycle::Multi(Multi {
                        done: true,
                        ..Multi::default()
                    });
                    Poll::Ready(Some(Cqe::of(result)))
                }
            },
            Lifecycle::Waiting(w) => {
                if !w.will_wake(cx.waker()) {
                    *w = cx.waker().clone();
                }
                Poll::Pending
            }
            _ => Poll::Ready(None),
        }
    }

    /// Removes `key` from the list of the fd its operation waits on.
    fn unwait(&mut self, readiness: Readiness, key: usize) {
        if let Readiness::Fd(fd, interest) = readiness {
            if let Some(w) = self.fds.get_mut(fd) {
                w.list(interest).retain(|&k| k != key);
            }
        }
    }

    /// The future of entry `key` was dropped with its data (see the module
    /// docs): a readiness operation is removed at once, a blocking call's
    /// data waits in the entry for its result.
    pub(crate) fn drop_op(
        &mut self,
        key: usize,
        mut data: Box<dyn OpCode>,
        wakes: &mut Vec<Waker>,
    ) {
        let Some(entry) = self.ops.get_mut(key) else {
            return;
        };
        let readiness = data.readiness();
        match entry {
            Lifecycle::Completed(c) => {
                let c = *c;
                self.ops.remove(key);
                data.release(&c, wakes);
            }
            Lifecycle::Multi(m) => {
                for c in m.queue.drain(..) {
                    data.release(&c, wakes);
                }
                self.ops.remove(key);
            }
            Lifecycle::Submitted | Lifecycle::Waiting(_) if readiness == Readiness::Blocking => {
                if self.leaked {
                    // Shutdown gave up on the call: a pool thread may still
                    // write the data. Never free it.
                    std::mem::forget(data);
                    return;
                }
                *entry = Lifecycle::Ignored(data);
            }
            Lifecycle::Ready | Lifecycle::Submitted | Lifecycle::Waiting(_) => {
                self.ops.remove(key);
                self.in_flight -= 1;
                self.unwait(readiness, key);
                let cancelled = Cqe::of(-libc::ECANCELED);
                self.op_counts.completed(key, cancelled.result);
                data.release(&cancelled, wakes);
            }
            Lifecycle::Ignored(_) => {}
        }
    }

    /// Deregisters and closes `fd` (see the module docs); operations still
    /// waiting on it are woken and see `EBADF`.
    pub(crate) fn close_fd(&mut self, fd: RawFd) {
        if let Some(w) = self.fds.remove(fd) {
            if w.pollable {
                let _ = self.poll.registry().deregister(&mut SourceFd(&fd));
            }
            for key in w.read.into_iter().chain(w.write) {
                make_ready(&mut self.ops, &mut self.wakes, key);
            }
            let (mut r, mut wr) = (w.read_tasks, w.write_tasks);
            self.waiting -= r.wake_into(&mut self.wakes) + wr.wake_into(&mut self.wakes);
        }
        // SAFETY: the caller owns `fd` and gives it up.
        unsafe { libc::close(fd) };
    }

    fn close_deferred(&mut self) {
        for fd in self.deferred.take() {
            self.close_fd(fd);
        }
    }

    /// One `epoll_wait` (`timeout`: `None` waits without bound), and the
    /// readiness and results it brought.
    fn wait(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        if let Err(e) = self.poll.poll(&mut self.events, timeout) {
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
        for ev in self.events.iter() {
            match ev.token() {
                EVENTFD => drain_eventfd(self.eventfd),
                OFFLOADS => {
                    if let Some(f) = &self.finished {
                        drain_eventfd(f.eventfd.as_raw_fd());
                    }
                }
                Token(fd) => {
                    let Some(w) = RawFd::try_from(fd).ok().and_then(|fd| self.fds.get_mut(fd))
                    else {
                        continue;
                    };
                    let failed = ev.is_error();
                    if ev.is_read_closed() || failed {
                        w.set_closed(Interest::Read);
                    }
                    if ev.is_write_closed() || failed {
                        w.set_closed(Interest::Write);
                    }
                    if ev.is_readable() || ev.is_read_closed() || failed {
                        w.set_ready(Interest::Read, true);
                        if !w.read.is_empty() {
                            for key in w.read.take() {
                                make_ready(&mut self.ops, &mut self.wakes, key);
                            }
                        }
                        self.waiting -= w.read_tasks.wake_into(&mut self.wakes);
                    }
                    if ev.is_writable() || ev.is_write_closed() || failed {
                        w.set_ready(Interest::Write, true);
                        if !w.write.is_empty() {
                            for key in w.write.take() {
                                make_ready(&mut self.ops, &mut self.wakes, key);
                            }
                        }
                        self.waiting -= w.write_tasks.wake_into(&mut self.wakes);
                    }
                }
            }
        }
        self.reap_offloads();
        Ok(())
    }

    /// Collects readiness and results without waiting.
    pub(crate) fn poll_nonblocking(&mut self) -> io::Result<()> {
        self.close_deferred();
        if self.in_flight > 0 || self.waiting > 0 {
            self.wait(Some(Duration::ZERO))?;
        }
        Ok(())
    }

    /// Parks the loop in `epoll_wait` until readiness, a result, a remote
    /// wake (the loop's eventfd) or `timeout`.
    pub(crate) fn park(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        self.close_deferred();
        self.reap_offloads();
        let timeout = if self.wakes.is_empty() {
            timeout
        } else {
            Some(Duration::ZERO)
        };
        self.wait(timeout)
    }

    /// Tests: the list of wakers the loop wakes after the borrow.
    #[cfg(test)]
    pub(crate) fn wakes_mut(&mut self) -> &mut Vec<Waker> {
        &mut self.wakes
    }

    /// Moves out the wakers of ready and completed operations.
    pub(crate) fn take_wakes(&mut self, into: &mut Vec<Waker>) {
        std::mem::swap(&mut self.wakes, into);
    }

    /// The loop stops running: closes deferred fds and forgets the fds no
    /// operation waits on (an owner dropped outside the loop closes its fd
    /// directly; its number may come back as another fd).
    pub(crate) fn submit_pending(&mut self) -> io::Result<()> {
        self.close_deferred();
        self.fds.retain(|w| w.has_waiters());
        Ok(())
    }

    /// Completes waiting operations with `-ECANCELED` and waits for the
    /// blocking calls (at most the grace period; see the module docs).
    pub(crate) fn shutdown(&mut self) {
        if self.closed {
            return;
        }
        self.close_deferred();
        self.closed = true;
        let cancelled = || Lifecycle::Completed(Cqe::of(-libc::ECANCELED));
        let mut waiting: Vec<usize> = Vec::new();
        for mut w in self.fds.drain() {
            w.read_tasks.wake_into(&mut self.wakes);
            w.write_tasks.wake_into(&mut self.wakes);
            waiting.extend(w.read.into_iter().chain(w.write));
        }
        self.waiting = 0;
        let ready: Vec<usize> = self
            .ops
            .iter()
            .filter(|(_, e)| matches!(e, Lifecycle::Ready))
            .map(|(k, _)| k)
            .collect();
        for key in waiting.into_iter().chain(ready) {
            let Some(entry) = self.ops.get_mut(key) else {
                continue;
            };
            match std::mem::replace(entry, cancelled()) {
                Lifecycle::Waiting(w) => self.wakes.push(w),
                Lifecycle::Ready => {}
                other => {
                    *entry = other;
                    continue;
                }
            }
            self.in_flight -= 1;
        }
        let deadline = Instant::now() + self.shutdown_grace;
        while self.offloaded > 0 {
            if Instant::now() >= deadline {
                tracing::error!(
                    in_flight = self.offloaded,
                    "blocking calls did not finish within the shutdown grace; \
                     leaking their buffers rather than freeing memory a pool thread may write"
                );
                self.leaked = true;
                leak_ignored(&mut self.ops);
                break;
            }
            if let Err(e) = self.wait(Some(Duration::from_millis(100))) {
                tracing::error!(error = %e, "epoll_wait failed during shutdown");
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
}

impl Drop for Epoll {
    fn drop(&mut self) {
        self.shutdown();
        for fd in self.deferred.take() {
            // SAFETY: the owner gave `fd` up to the list; closed once, here.
            unsafe { libc::close(fd) };
        }
        if self.leaked {
            // Pool threads may still write into what these entries own.
            std::mem::forget(std::mem::take(&mut self.ops));
        }
    }
}
