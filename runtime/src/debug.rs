//! Debug mode, asyncio's `loop.set_debug(True)`: turned on by
//! [`Builder::debug`](crate::Builder::debug), `#[ringio::main(debug)]` or
//! the environment variable `RINGIO_DEBUG=1`. It
//!
//! - warns when one poll of a task holds the loop longer than the slow-poll
//!   threshold (asyncio's `slow_callback_duration`, default 100 ms), naming
//!   the task: name, id and spawn location;
//! - warns, once each, about operations in the kernel for longer than the
//!   operation age (default 10 s), naming their opcode and task;
//! - lists, when the loop closes, the tasks it cancels;
//! - prints a [task dump](crate::task::dump) when the process gets SIGUSR1
//!   (a task named `ringio-debug-sigusr1` waits for it; send the signal to
//!   the loop's thread, or block SIGUSR1 in the other threads, as for any
//!   [`signal`](crate::signal)).
//!
//! Reports go to `tracing` (target `ringio`) when a subscriber is
//! installed, else to stderr. Off, debug mode costs one predictable branch
//! per poll and per submission.

use std::cell::Cell;
use std::fmt::Write as _;
use std::rc::Rc;
use std::time::{Duration, Instant};

use crate::handle::Handle;
use crate::metrics::opcode_name;
use crate::report::{emit, Level};
use crate::task::raw::{Header, TaskRef};
use crate::task::{TaskId, TaskIdentity};

/// Default slow-poll threshold (asyncio's `slow_callback_duration`).
pub(crate) const SLOW_POLL: Duration = Duration::from_millis(100);
/// Default age past which an operation in flight is reported.
pub(crate) const OP_AGE: Duration = Duration::from_secs(10);
/// The name of the task that prints a dump on SIGUSR1.
pub(crate) const DUMP_TASK: &str = "ringio-debug-sigusr1";

/// True when `RINGIO_DEBUG` asks for debug mode (set, not empty, not `0`).
pub(crate) fn from_env() -> bool {
    std::env::var_os("RINGIO_DEBUG").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Debug mode's state, owned by the executor (`Some` only when on).
#[derive(Debug)]
pub(crate) struct DebugState {
    slow_poll: Duration,
    op_age: Duration,
    /// The id of the task being polled (0: none), shared with the driver's
    /// operation records.
    pub(crate) current_task: Rc<Cell<u64>>,
    /// When operation ages are next checked.
    next_check: Cell<Instant>,
    /// The SIGUSR1 task, left out of the list of cancelled tasks.
    pub(crate) dump_task: Cell<Option<TaskId>>,
}

impl DebugState {
    pub(crate) fn new(slow_poll: Duration, op_age: Duration) -> DebugState {
        DebugState {
            slow_poll,
            op_age,
            current_task: Rc::new(Cell::new(0)),
            next_check: Cell::new(Instant::now()),
            dump_task: Cell::new(None),
        }
    }

    /// Polls `task`, timing the poll; warns when it was slow.
    pub(crate) fn poll_timed(&self, task: &TaskRef) -> bool {
        let header = task.header();
        let prev = self.current_task.replace(header.id.as_u64());
        let start = Instant::now();
        let done = task.poll();
        let took = start.elapsed();
        self.current_task.set(prev);
        if took >= self.slow_poll {
            self.slow(header, took);
        }
        done
    }

    fn slow(&self, header: &Header, took: Duration) {
        emit(
            Level::Warn,
            format_args!(
                "slow poll: {} held the loop for {} ms in one poll (threshold {} ms); \
                 move blocking work to spawn_blocking or yield more often",
                TaskIdentity::of(header),
                took.as_millis(),
                self.slow_poll.as_millis()
            ),
        );
    }

    /// How long the loop may park before operation ages are checked again.
    pub(crate) fn check_interval(&self) -> Duration {
        (self.op_age / 2).clamp(Duration::from_millis(1), Duration::from_secs(1))
    }

    /// Warns about operations in flight past the age (rate-limited).
    pub(crate) fn check_ops(&self, handle: &Handle) {
        let now = Instant::now();
        if now < self.next_check.get() {
            return;
        }
        self.next_check.set(now + self.check_interval());
        let old = handle
            .driver
            .borrow_mut()
            .op_counts_mut()
            .take_old(now, self.op_age);
        let dump_task = self.dump_task.get().map(|id| id.as_u64());
        // The SIGUSR1 task's wait is meant to last.
        for op in old.into_iter().filter(|op| Some(op.task) != dump_task) {
            let owner = handle.exec.identity_of(op.task);
            emit(
                Level::Warn,
                format_args!(
                    "slow operation: {} has been in flight for {:.1} s (age threshold {:.1} s), \
                     started by {}",
                    opcode_name(op.opcode),
                    op.age.as_secs_f64(),
                    self.op_age.as_secs_f64(),
                    match owner {
                        Some(t) => t.to_string(),
                        None => "no task (the main future, or a task gone since)".into(),
                    }
                ),
            );
        }
    }

    /// Lists the tasks the closing loop is about to cancel.
    pub(crate) fn closing(&self, pending: &[TaskIdentity]) {
        let dump_task = self.dump_task.get();
        let listed: Vec<&TaskIdentity> =
            pending.iter().filter(|t| Some(t.id) != dump_task).collect();
        if listed.is_empty() {
            return;
        }
        let mut text = format!(
            "loop closing: cancelling {} pending task{}:",
            listed.len(),
            if listed.len() == 1 { "" } else { "s" }
        );
        for t in listed {
            let _ = write!(text, "\n  {t}");
        }
        emit(Level::Warn, format_args!("{text}"));
    }
}

/// The task debug mode spawns: a dump on each SIGUSR1.
pub(crate) async fn dump_on_sigusr1() {
    let mut usr1 = match crate::signal::signal(crate::signal::SignalKind::user_defined1()) {
        Ok(s) => s,
        Err(e) => {
            emit(
                Level::Warn,
                format_args!("debug mode: no task dump on SIGUSR1: {e}"),
            );
            return;
        }
    };
    while usr1.recv().await.is_ok() {
        let dump = crate::task::dump();
        emit(Level::Warn, format_args!("task dump on SIGUSR1:\n{dump}"));
    }
}
