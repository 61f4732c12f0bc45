//! `Runtime`, its `Builder`, and `run`: asyncio's event loop and `asyncio.run`.

use std::future::Future;
use std::io;
use std::pin::pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use crate::blocking::Pool;
use crate::context;
use crate::driver::{
    Backend, Driver, DriverConfig, DriverStats, RingFeatures, Spawner, DEFAULT_READ_BUFS,
    SHUTDOWN_GRACE,
};
use crate::error::RuntimeError;
use crate::handle::Handle;
use crate::loop_handle::LoopHandle;
use crate::shared::Shared;
use crate::task::{JoinHandle, TaskInfo};

/// Runs `future` to completion on a new event loop, as `asyncio.run(main())`.
///
/// When the future returns, the tasks still running are cancelled (dropped,
/// their destructors run), in-flight I/O is cancelled and drained, and the
/// loop closes. Calling `run` from inside a running loop returns
/// [`RuntimeError::AlreadyRunning`] instead of deadlocking.
///
/// ```
/// let answer = ringio_runtime::run(async { 6 * 7 }).unwrap();
/// assert_eq!(answer, 42);
/// ```
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
    backend: Option<Backend>,
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
    /// one only when data arrives, so idle connections hold none. `count`
    /// must be a power of two up to 32768, or 0 to turn the pool off (each
    /// receive then uses a buffer of its own); `size` is the most one
    /// `read_buf` returns.
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

    /// Which backend carries the loop's I/O (default: the `RINGIO_BACKEND`
    /// environment variable, `auto`, `io_uring` or `epoll`, and without it
    /// [`Backend::Auto`]: io_uring where the kernel allows it, otherwise
    /// epoll). A choice made here wins over the environment.
    ///
    /// ```
    /// use ringio_runtime::{Backend, Runtime};
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
        let shared = Arc::new(Shared::new()?);
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
        Ok(Runtime {
            handle: Rc::new(Handle::new(driver, shared, pool, self.event_interval)),
        })
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
/// use ringio_runtime::Runtime;
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

struct MainWaker {
    woken: AtomicBool,
    shared: Arc<Shared>,
}

impl Wake for MainWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        let on_loop =
            context::with_current(|h| h.is_some_and(|h| Arc::ptr_eq(&h.shared, &self.shared)));
        if !on_loop {
            self.shared.notify();
        }
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
    /// (or are cancelled when the runtime is dropped).
    ///
    /// Fails with [`RuntimeError::AlreadyRunning`] when called inside a
    /// running loop, and with [`RuntimeError::Io`] if the ring itself fails.
    pub fn block_on<F: Future>(&self, future: F) -> Result<F::Output, RuntimeError> {
        let _enter = context::enter(&self.handle)?;
        let handle = &*self.handle;
        let main = Arc::new(MainWaker {
            woken: AtomicBool::new(true),
            shared: handle.shared.clone(),
        });
        let waker = Waker::from(main.clone());
        let mut cx = Context::from_waker(&waker);
        let mut future = pin!(future);
        let result = loop {
            if main.woken.swap(false, Ordering::AcqRel) {
                if let Poll::Ready(v) = future.as_mut().poll(&mut cx) {
                    break Ok(v);
                }
            }
            handle.exec.run_batch(handle.event_interval);
            let idle = !handle.exec.has_ready() && !main.woken.load(Ordering::Acquire);
            if let Err(e) = handle.turn(idle) {
                break Err(RuntimeError::Io(e));
            }
        };
        // Nothing queued may outlive this call unsubmitted (see close_fd).
        if let Err(e) = handle.driver.borrow_mut().submit_pending() {
            tracing::warn!(error = %e, "flushing the submission queue failed");
        }
        result
    }

    /// Spawns a task on this loop; it runs during `block_on`. Unlike
    /// [`spawn`](crate::spawn) this works outside the loop too.
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

impl Drop for Runtime {
    fn drop(&mut self) {
        self.handle.shutdown();
    }
}
