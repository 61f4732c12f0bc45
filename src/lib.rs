//! ringio: Python's asyncio, rebuilt in Rust on Linux io_uring.
//!
//! ```
//! use std::time::Duration;
//!
//! ringio::run(async {
//!     println!("Hello, World!");
//!     ringio::time::sleep(Duration::from_millis(10)).await;
//!     println!("Goodbye.");
//! })
//! .unwrap();
//! ```
//!
//! | asyncio | ringio |
//! |---|---|
//! | `asyncio.run(main())` | [`run`], [`#[ringio::main]`](main), [`#[ringio::test]`](test) |
//! | `new_event_loop()`, `run_until_complete` | [`Runtime::new`], [`Runtime::block_on`] |
//! | `create_task(coro, name=)` | [`spawn`], [`task::Builder`] |
//! | `Task.cancel()`, `done()` | [`JoinHandle::abort`], [`JoinHandle::is_finished`] |
//! | `current_task()`, `all_tasks()` | [`task::current_task`], [`task::all_tasks`], [`TaskInfo::finished`](task::TaskInfo::finished) |
//! | `sleep(d)`, `sleep(0)` | [`time::sleep`], [`yield_now`] |
//! | `gather(*aws)` | [`gather!`], [`gather_all`], [`try_gather!`], [`try_gather_all`] |
//! | `wait(fs, return_when=)`, `as_completed` | [`wait`], [`ReturnWhen`], [`as_completed`] |
//! | `TaskGroup` | [`TaskGroup`] |
//! | `shield(aw)` | [`shield`] |
//! | first of several, cancel the rest | [`select!`], [`select2`], [`race`] |
//! | `wait_for(aw, t)` (cancels `aw` when the time runs out) | [`wait_for`]; tokio's [`time::timeout`] detaches a task instead |
//! | `call_soon`, `call_later`, `call_at` | [`call_soon`], [`call_later`], [`call_at`] |
//! | `to_thread`, `run_in_executor` | [`spawn_blocking`] |
//! | `Future()`: `set_result`, `set_exception`, `add_done_callback` | [`sync::oneshot`] |
//! | `Queue`, `Lock`, `Event`, ... | [`sync`] |
//! | `StreamReader`, `StreamWriter`, `open_connection`, `start_server`, ... | [`streams`], [`open_connection`], [`start_server`] |
#![forbid(unsafe_code)]

/// tokio's and futures' I/O traits and hyper's rt traits over ringio's
/// sockets and pipes (cargo feature `compat`).
#[cfg(feature = "compat")]
#[doc(inline)]
pub use ringio_compat as compat;
pub use ringio_macros::{main, test};
pub use ringio_runtime::task::{
    as_completed, gather_all, race, select2, shield, try_gather_all, wait, wait_for, wait_with,
    ReturnWhen, TaskGroup,
};
pub use ringio_runtime::{
    buf, call_at, call_later, call_soon, pipe, run, run_per_thread, spawn, spawn_blocking, task,
    time, try_spawn_blocking, yield_now, Backend, Builder, DriverStats, JoinError, JoinHandle,
    LoopClosed, LoopHandle, RemoteJoinHandle, RingFeatures, Runtime, RuntimeError, TimerHandle,
    Unavailable, BACKEND_ENV,
};
pub use ringio_runtime::{fs, net, process, signal};
pub use ringio_runtime::{gather, select, try_gather};
#[doc(inline)]
pub use ringio_streams as streams;
pub use ringio_streams::{create_subprocess_exec, create_subprocess_shell};
pub use ringio_streams::{open_connection, open_unix_connection, start_server, start_unix_server};
#[doc(inline)]
pub use ringio_sync as sync;

#[doc(hidden)]
pub mod macro_support;

/// The runtime's building blocks, for configuring a loop by hand.
pub mod runtime {
    pub use ringio_runtime::{metrics, unhandled};
    pub use ringio_runtime::{
        Backend, Builder, DriverStats, LoopClosed, LoopHandle, RemoteJoinHandle, RingFeatures,
        Runtime, RuntimeError, Unavailable, BACKEND_ENV,
    };
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
