//! `Runtime`, its `Builder`, and `run`: asyncio's event loop and `asyncio.run`.

use std::cell::Cell;
use std::future::Future;
use std::io;
use std::pin::pin;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use crate::blocking::Pool;
use crate::context;
use crate::debug::{self, DebugState};
use crate::driver::{
    Backend, Driver, DriverConfig, DriverStats, RingFeatures, Spawner, DEFAULT_READ_BUFS,
    SHUTDOWN_GRACE,
};
use crate::error::RuntimeError;
use crate::handle::Handle;
use crate::loop_handle::LoopHandle;
use crate::metrics::{self, RuntimeMetrics};
use crate::shared::Shared;
use crate::task::main_task::MainTask;
use crate::task::{JoinHandle, TaskInfo};
use crate::unhandled::{Hook, UnhandledError};

/// Runs `future` to completion on a new event loop, as `asyncio.run(main())`.
///
/// When the future returns, the loop finishes that turn as asyncio's does
/// (tasks already woken take their step), then the tasks still running are
/// cancelled (dropped, their destructors run), in-flight I/O is cancelled
/// and drained, and the loop closes. Calling `run` from inside a running loop returns
/// [`RuntimeError::AlreadyRunning`] instead of deadlocking.
///
/// ```
/// let answer = ringio::run(async { 6 * 7 }).unwrap();
/// assert_eq!(answer, 42);
/// ```
#[track_caller]
pub fn run<F: Future>(future: F) -> Result<F::Output, RuntimeError> {
    if context::is_running() {
        return Err(RuntimeError::AlreadyRunning);
    }
    Runtime::new()?.block_on(future)
}

/// Configures a [`Runtime`]: ring size and the other knobs.
#[derive(Debug, Clone)]
pub struct Builder {
    entries: u32,
    cq_entries: Option<u32>,
    defer_taskrun: bool,
    event_interval: u32,
    max_blocking_threads: usize,
    blocking_keep_alive: Duration,
    blocking_thread_name: String,
    read_buffers: (u16, u32),
    shutdown_grace: Duration,
    unhandled: Option<DebugHook>,
    debug: bool,
    slow_poll: Duration,
    op_age: Duration,
    backend: Option<Backend>,
}

/// The unhandled-error hook, shown by `Builder`'s `Debug` as set.
#[derive(Clone)]
struct DebugHook(Hook);

impl std::fmt::Debug for DebugHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<hook>")
    }
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            entries: 256,
            cq_entries: None,
            defer_taskrun: true,
            event_interval: 61,
            max_blocking_threads: 64,
            blocking_keep_alive: Duration::from_secs(10),
            blocking_thread_name: "ringio-blocking".into(),
            read_buffers: DEFAULT_READ_BUFS,
            shutdown_grace: SHUTDOWN_GRACE,
            unhandled: None,
            debug: false,
            slow_poll: debug::SLOW_POLL,
            op_age: debug::OP_AGE,
            backend: None,
        }
    }
}

impl Builder {
    /// The default configuration: 256 SQ entries, CQ twice that.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Submission queue entries (1..=32768, rounded up to a power of two by
    /// the kernel). More entries batch more operations per system call.
    pub fn entries(mut self, entries: u32) -> Builder {
        self.entries = entries;
        self
    }

    /// Completion queue entries (default: twice `entries`). A small CQ is
    /// safe: overflowing completions are kept by the kernel and drained.
    pub fn cq_entries(mut self, cq_entries: u32) -> Builder {
        self.cq_entries = Some(cq_entries);
        self
    }

    /// Whether to ask for `IORING_SETUP_DEFER_TASKRUN` (default true; used
    /// only where the kernel has it).
    pub fn defer_taskrun(mut self, enabled: bool) -> Builder {
        self.defer_taskrun = enabled;
        self
    }

    /// How many tasks run between two looks at the ring while tasks are
    /// ready (default 61). Lower favours I/O latency, higher throughput.
    pub fn event_interval(mut self, tasks: u32) -> Builder {
        self.event_interval = tasks;
        self
    }

    /// Upper bound of blocking-pool threads (default 64).
    pub fn max_blocking_threads(mut self, n: usize) -> Builder {
        self.max_blocking_threads = n;
        self
    }

    /// How long an idle blocking thread waits for work before exiting
    /// (default 10 s).
    pub fn blocking_keep_alive(mut self, d: Duration) -> Builder {
        self.blocking_keep_alive = d;
        self
    }

    /// Name of blocking-pool threads.
    pub fn blocking_thread_name(mut self, name: impl Into<String>) -> Builder {
        self.blocking_thread_name = name.into();
        self
    }

    /// The pool of receive buffers shared by the loop's sockets (default
    /// 128 buffers of 16 KiB): `read_buf` on a stream lets the kernel pick
    /// one only when data arrives, so idle connections hold none. On Linux
    /// 6.12 and later a receive takes only the part of a buffer it needs
    /// (incremental consumption), so one buffer serves many small messages.
    /// When receives find the pool empty it doubles, up to 8 times `count`
    /// buffers. `count` must be a power of two up to 32768, or 0 to turn the
    /// pool off (each receive then uses a buffer of its own); `size` is the
    /// most one receive from the pool returns.
    pub fn read_buffers(mut self, count: u16, size: u32) -> Builder {
        self.read_buffers = (count, size);
        self
    }

    /// How long dropping the runtime waits for the kernel to finish the
    /// operations it cancelled (default 10 s). An operation the kernel does
    /// not give up (a read from a hung FUSE or network file system, say)
    /// would otherwise hold the drop forever; past this grace the loop
    /// leaks the ring and every buffer such an operation may still write,
    /// rather than free memory under the kernel, logs an error, and returns.
    pub fn shutdown_grace(mut self, grace: Duration) -> Builder {
        self.shutdown_grace = grace;
        self
    }

    /// Replaces the default report of errors nobody can retrieve (a task's
    /// panic whose `JoinHandle` was dropped, a `start_server` handler's
    /// error or panic; see [`unhandled`](crate::unhandled)). The default
    /// goes to `tracing` when a subscriber is installed, else to stderr.
    /// `hook` runs on the loop's thread, once per error; pass `|_| {}` to
    /// turn the reports off. A panic in `hook` is contained.
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use ringio::Runtime;
    ///
    /// let seen = Arc::new(Mutex::new(Vec::new()));
    /// let sink = seen.clone();
    /// let rt = Runtime::builder()
    ///     .on_unhandled_error(move |e| sink.lock().unwrap().push(e.to_string()))
    ///     .build()
    ///     .unwrap();
    /// rt.block_on(async {
    ///     drop(ringio::spawn(async { panic!("boom") }));
    ///     ringio::time::sleep(std::time::Duration::from_millis(5)).await;
    /// })
    /// .unwrap();
    /// let seen = seen.lock().unwrap();
    /// assert_eq!(seen.len(), 1);
    /// assert!(seen[0].ends_with("boom"), "{}", seen[0]);
    /// ```
    pub fn on_unhandled_error(
        mut self,
        hook: impl Fn(&UnhandledError) + Send + Sync + 'static,
    ) -> Builder {
        self.unhandled = Some(DebugHook(Arc::new(hook)));
        self
    }

    /// Debug mode, as asyncio's `loop.set_debug(True)` (default off; the
    /// environment variable `RINGIO_DEBUG=1` turns it on too): slow-poll
    /// and slow-operation warnings naming the task, the list of tasks
    /// cancelled when the loop closes, and a task dump (see
    /// [`task::dump`](crate::task::dump)) on SIGUSR1, printed by a task
    /// named `ringio-debug-sigusr1` (send the signal to the loop's thread,
    /// or block SIGUSR1 in the process's other threads, as for any
    /// [`signal`](crate::signal)). Reports go to `tracing` (target
    /// `ringio`) when a subscriber is installed, else to stderr. Off, it
    /// costs one predictable branch per poll.
    pub fn debug(mut self, enabled: bool) -> Builder {
        self.debug = enabled;
        self
    }

    /// In debug mode, the time one poll of a task may hold the loop before
    /// it is reported (asyncio's `slow_callback_duration`; default 100 ms).
    pub fn slow_poll_threshold(mut self, threshold: Duration) -> Builder {
        self.slow_poll = threshold;
        self
    }

    /// In debug mode, the time an operation may stay in the kernel before
    /// it is reported, once (default 10 s).
    pub fn op_age_warning(mut self, age: Duration) -> Builder {
        self.op_age = age;
        self
    }

    /// Which backend carries the loop's I/O (default: the `RINGIO_BACKEND`
    /// environment variable, `auto`, `io_uring` or `epoll`, and without it
    /// [`Backend::Auto`]: io_uring where the kernel allows it, otherwise
    /// epoll). A choice made here wins over the environment.
    ///
    /// ```
    /// use ringio::{Backend, Runtime};
    ///
    /// let rt = Runtime::builder().backend(Backend::Epoll).build().unwrap();
    /// assert_eq!(rt.backend(), Backend::Epoll);
    /// assert_eq!(rt.block_on(async { 6 * 7 }).unwrap(), 42);
    /// ```
    pub fn backend(mut self, backend: Backend) -> Builder {
        self.backend = Some(backend);
        self
    }

    /// Creates the loop: the ring (or epoll), its eventfd and the blocking
    /// pool.
    ///
    /// With [`Backend::IoUring`], fails with [`RuntimeError::Unavailable`]
    /// naming the cause and remedy when io_uring cannot be used (with
    /// [`Backend::Auto`] the loop uses epoll there instead); fails with
    /// `InvalidInput` for bad sizes or an unknown `RINGIO_BACKEND`.
    pub fn build(&self) -> Result<Runtime, RuntimeError> {
        if self.entries == 0 || self.entries > 32768 {
            return Err(RuntimeError::Io(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("ring entries must be 1..=32768, got {}", self.entries),
            )));
        }
        if let Some(cq) = self.cq_entries {
            if cq < self.entries || cq > 65536 {
                return Err(RuntimeError::Io(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "cq_entries must be between entries ({}) and 65536, got {cq}",
                        self.entries
                    ),
                )));
            }
        }
        if self.max_blocking_threads == 0 {
            return Err(RuntimeError::Io(io::Error::new(
                io::ErrorKind::InvalidInput,
                "max_blocking_threads must be at least 1",
            )));
        }
        let (count, size) = self.read_buffers;
        if count != 0 && (!count.is_power_of_two() || count > 32768 || size == 0) {
            return Err(RuntimeError::Io(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "read_buffers needs a power-of-two count up to 32768 (or 0 for none) \
                     and a non-zero size, got {count} buffers of {size} bytes"
                ),
            )));
        }
        let backend = Backend::resolve(self.backend)?;
        let mut shared = Shared::new()?;
        shared.unhandled = self.unhandled.as_ref().map(|h| h.0.clone());
        let shared = Arc::new(shared);
        let pool = Arc::new(Pool::new(
            self.max_blocking_threads,
            self.blocking_keep_alive,
            self.blocking_thread_name.clone(),
        ));
        let config = DriverConfig {
            backend,
            entries: self.entries,
            cq_entries: self.cq_entries,
            defer_taskrun: self.defer_taskrun,
            read_buffers: (count, size),
            shutdown_grace: self.shutdown_grace,
            eventfd: shared.eventfd(),
        };
        let jobs = pool.clone();
        let spawner: Spawner = Box::new(move |job| jobs.execute(job));
        let driver = Driver::build(&config, spawner)?;
        let mut handle = Handle::new(driver, shared, pool, self.event_interval);
        let debug = self.debug || debug::from_env();
        if debug {
            let state = DebugState::new(self.slow_poll, self.op_age);
            handle
                .driver
                .borrow_mut()
                .op_counts_mut()
                .track_ages(state.current_task.clone());
            handle.exec.set_debug(state);
        }
        let runtime = Runtime {
            handle: Rc::new(handle),
        };
        if let Some(state) = &runtime.handle.exec.debug {
            let task = runtime
                .handle
                .spawn(debug::dump_on_sigusr1(), Some(debug::DUMP_TASK.into()));
            state.dump_task.set(Some(task.id()));
        }
        Ok(runtime)
    }
}

/// An event loop: one io_uring, one run queue, one timer wheel, on one
/// thread (asyncio's `new_event_loop()`).
///
/// Drive it with [`block_on`](Runtime::block_on), as
/// `loop.run_until_complete`. Tasks spawned on it stay on this thread, so
/// they need not be `Send`. Dropping the runtime cancels its tasks and drains
/// its in-flight I/O.
///
/// ```
/// use ringio::Runtime;
///
/// let rt = Runtime::new().unwrap();
/// let task = rt.spawn(async { "from a task" });
/// let out = rt.block_on(async { task.await.unwrap() }).unwrap();
/// assert_eq!(out, "from a task");
/// ```
pub struct Runtime {
    pub(crate) handle: Rc<Handle>,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("backend", &self.backend())
            .field("features", &self.ring_features())
            .field("live_tasks", &self.handle.exec.live_tasks())
            .finish()
    }
}

impl Runtime {
    /// A loop with the default configuration.
    pub fn new() -> Result<Runtime, RuntimeError> {
        Builder::new().build()
    }

    /// A builder for ring size and the other knobs.
    pub fn builder() -> Builder {
        Builder::new()
    }

    /// Runs the loop until `future` completes, and returns its output, as
    /// `loop.run_until_complete(future)`. Tasks spawned earlier or meanwhile
    /// run too; those still pending when it returns stay for the next call
    /// (or are cancelled when the runtime is dropped). As in asyncio, the
    /// loop stops after the turn in which `future` completed: the tasks
    /// already queued then (woken by its last step, say) get one more step
    /// first, so a waiter released by an `Event::set` just before `main`
    /// returns still runs.
    ///
    /// The future runs as a task named `main`, as asyncio wraps it in a
    /// task: [`current_task`](crate::task::current_task) inside it says so,
    /// [`all_tasks`](crate::task::all_tasks) lists it, and it takes its turns
    /// in the run queue with the other tasks (a `yield_now()` in it lets each
    /// ready task take one step, not a whole batch). A panic in it comes out
    /// of `block_on` as the same panic.
    ///
    /// Fails with [`RuntimeError::AlreadyRunning`] when called inside a
    /// running loop, and with [`RuntimeError::Io`] if the ring itself fails.
    #[track_caller]
    pub fn block_on<F: Future>(&self, future: F) -> Result<F::Output, RuntimeError> {
        let _enter = context::enter(&self.handle)?;
        let handle = &*self.handle;
        let _running = handle.counters.running();
        let output = Cell::new(None);
        let main = pin!(async { output.set(Some(future.await)) });
        // The future runs as the task `main`, queued with the others.
        let mut task = MainTask::start(handle, main);
        let end = loop {
            handle.exec.run_batch(handle.event_interval);
            if let Some(end) = task.end() {
                // As asyncio's loop stops only after the turn in which the
                // main coroutine ended, the tasks already queued (say, woken
                // by main's last step) get one more step.
                let queued = u32::try_from(handle.exec.ready_len()).unwrap_or(u32::MAX);
                handle.exec.run_batch(queued);
                break Ok(end);
            }
            if let Err(e) = handle.turn(!handle.exec.has_ready()) {
                break Err(RuntimeError::Io(e));
            }
        };
        drop(task);
        // Nothing queued may outlive this call unsubmitted (see close_fd).
        if let Err(e) = handle.driver.borrow_mut().submit_pending() {
            tracing::warn!(error = %e, "flushing the submission queue failed");
        }
        match end? {
            Ok(()) => output.take().ok_or_else(main_cancelled),
            // The panic of the future given to block_on is the caller's.
            Err(e) => match e.try_into_panic() {
                Ok(payload) => std::panic::resume_unwind(payload),
                Err(_cancelled) => Err(main_cancelled()),
            },
        }
    }

    /// Spawns a task on this loop; it runs during `block_on`. Unlike
    /// [`spawn`](crate::spawn) this works outside the loop too.
    #[track_caller]
    pub fn spawn<F: Future + 'static>(&self, future: F) -> JoinHandle<F::Output> {
        self.handle.spawn(future, None)
    }

    /// A handle other threads can use to run functions and spawn `Send`
    /// futures on this loop (see [`LoopHandle`]).
    pub fn loop_handle(&self) -> LoopHandle {
        LoopHandle::new(self.handle.shared.clone())
    }

    /// Snapshots of this loop's live tasks (asyncio's `all_tasks(loop)`).
    pub fn all_tasks(&self) -> Vec<TaskInfo> {
        self.handle.exec.all_info()
    }

    /// The backend this loop runs on: [`Backend::IoUring`] or
    /// [`Backend::Epoll`] (never `Auto`).
    pub fn backend(&self) -> Backend {
        self.handle.driver.borrow().backend()
    }

    /// The optional io_uring setup flags this loop's ring got (none on
    /// the epoll backend).
    pub fn ring_features(&self) -> RingFeatures {
        self.handle.driver.borrow().features()
    }

    /// This loop's metrics (tasks, polls, busy time, operations per
    /// opcode, ...); from inside the loop, [`metrics::current`] gives the
    /// same.
    ///
    /// [`metrics::current`]: crate::metrics::current
    pub fn metrics(&self) -> RuntimeMetrics {
        metrics::snapshot(&self.handle)
    }

    /// Counters of the driver (SQ-full flushes, CQ overflows, submissions).
    pub fn driver_stats(&self) -> DriverStats {
        self.handle.driver.borrow().stats()
    }

    /// Operations submitted to the kernel and not yet completed.
    pub fn ops_in_flight(&self) -> usize {
        self.handle.driver.borrow().in_flight()
    }

    /// Threads alive in the blocking pool.
    pub fn blocking_threads(&self) -> usize {
        self.handle.blocking.threads()
    }
}

fn main_cancelled() -> RuntimeError {
    RuntimeError::Io(io::Error::new(
        io::ErrorKind::Interrupted,
        "the main task was cancelled before it finished (the loop is shutting down)",
    ))
}

impl Backend {
    /// The backend of the loop running on this thread ([`Backend::IoUring`]
    /// or [`Backend::Epoll`]), `None` outside a loop. For code that picks
    /// its strategy per backend (as the streams' writer sends at once on
    /// epoll, where a write is a plain system call).
    ///
    /// ```
    /// ringio::run(async {
    ///     let b = ringio::Backend::current().expect("inside a loop");
    ///     assert_ne!(b, ringio::Backend::Auto);
    /// })
    /// .unwrap();
    /// assert_eq!(ringio::Backend::current(), None);
    /// ```
    pub fn current() -> Option<Backend> {
        context::driver().map(|d| d.borrow().backend())
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.handle.shutdown();
    }
}
