//! ringio-runtime: asyncio's event loop, rebuilt on Linux io_uring.
//!
//! One [`Runtime`] is one event loop on one thread: an io_uring instance, a
//! run queue of tasks and a timer wheel. [`run`] is `asyncio.run`,
//! [`spawn`] is `asyncio.create_task`, [`time::sleep`] and
//! [`task::wait_for`] are `asyncio.sleep` and `asyncio.wait_for`
//! ([`time::timeout`] is tokio's form, which detaches a task it waited on).
//!
//! ```
//! use std::time::{Duration, Instant};
//! use ringio::{run, spawn, time::sleep};
//!
//! let took = run(async {
//!     let start = Instant::now();
//!     let a = spawn(async { sleep(Duration::from_millis(20)).await; "hello" });
//!     let b = spawn(async { sleep(Duration::from_millis(40)).await; "world" });
//!     assert_eq!(a.await.unwrap(), "hello");
//!     assert_eq!(b.await.unwrap(), "world");
//!     start.elapsed()
//! })
//! .unwrap();
//! // The two tasks slept side by side: about 40 ms, not 60.
//! assert!(took < Duration::from_millis(58), "{took:?}");
//! ```
//!
//! Modules: [`task`] (tasks and their handles, [`task::dump`]), [`time`]
//! (sleep, timeout, interval), [`buf`] (owned buffers for completion-based
//! I/O), [`pipe`] (pipes on the ring), the blocking pool
//! ([`spawn_blocking`]), and the loop seeing itself: [`metrics`] (always-on
//! counters), [`unhandled`] (errors nobody can retrieve, reported once),
//! debug mode ([`Builder::debug`]) and `tracing` spans per task.
//! The driver (the ring and its in-flight operations) and the task cell are
//! the only modules with `unsafe`; each documents its invariants.
//!
//! # Two backends, one seam
//!
//! Where io_uring is refused (Docker's default seccomp profile, gVisor,
//! `kernel.io_uring_disabled`, old kernels), the loop runs on epoll instead:
//! every API works the same, sockets and pipes are non-blocking and retried
//! on readiness, file reads of cached pages are served on the loop thread
//! (`preadv2(RWF_NOWAIT)`) and other file and path calls go to the
//! blocking pool, process exits
//! come through the pidfd's readiness, timers through `epoll_wait`'s
//! timeout. [`Backend::Auto`] (the default) picks io_uring where it works
//! and says in one `tracing` info event why it did not; `RINGIO_BACKEND=
//! auto|io_uring|epoll` ([`BACKEND_ENV`]) overrides the default for
//! operators, [`Builder::backend`] chooses in code, and
//! [`Runtime::backend`] says which one runs.
//!
//! The seam sits at the bottom: the driver knows operations and wakers
//! only. An operation (one file each, under the driver's `op` module) says
//! what to do, once per backend (an SQE; a non-blocking system call and
//! what it waits for); the driver's `backend` module alone decides which
//! backend carries it out. The loop, sockets, files and processes hand the
//! driver to the operations they start; the driver never reaches up into
//! them. On epoll a socket's receive or send needs no operation entry at
//! all: it waits with its task's waker in the fd's own slot and makes its
//! call inside the poll that returns it (the driver's readiness path, as
//! tokio keeps its wakers beside the fd), which is what makes the epoll
//! backend level with tokio.

#![deny(unsafe_op_in_unsafe_fn)]

mod blocking;
pub mod buf;
mod callback;
mod context;
mod debug;
mod driver;
mod error;
mod executor;
mod fd;
pub mod fs;
mod handle;
mod loop_handle;
pub mod metrics;
pub mod net;
mod per_thread;
pub mod pipe;
pub mod process;
mod report;
mod runtime;
mod shared;
pub mod signal;
mod sockaddr;
mod stash;
pub mod task;
pub mod time;
pub mod unhandled;

pub use blocking::{spawn_blocking, try_spawn_blocking};
pub use callback::{call_at, call_later, call_soon, TimerHandle};
pub use driver::{Backend, DriverStats, RingFeatures, BACKEND_ENV};
pub use error::{RuntimeError, Unavailable};
pub use loop_handle::{LoopClosed, LoopHandle, RemoteJoinHandle};
pub use per_thread::run_per_thread;
pub use runtime::{run, Builder, Runtime};
pub use task::{spawn, yield_now, JoinError, JoinHandle};
