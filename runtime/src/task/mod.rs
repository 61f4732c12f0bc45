//! Tasks: asyncio's `create_task`, `Task`, `current_task` and `all_tasks`.
//!
//! # Design (the spec of the unsafe parts)
//!
//! A task is one heap cell (`raw::TaskCell<F>`) holding a `Header` and a
//! *stage*: `Running(F)`, then `Finished(Result<F::Output, JoinError>)`,
//! then `Consumed` once the output was read or dropped.
//!
//! **Threads.** The loop that spawned a task (its *owner*) is the only
//! thread that polls it, touches its stage, its `registry_key` or its
//! `join_waker`. Wakers (`Send + Sync`) and [`AbortHandle`] may be used on any
//! thread; they touch only the atomics `state` and `refs` and the read-only
//! `shared`/`id`/`name` fields. A foreign wake pushes onto the owner's remote
//! queue, which only the owner drains. [`JoinHandle`] is `!Send`.
//!
//! **References.** `refs` counts: the registry entry (one while the stage is
//! `Running`), each run-queue entry, each waker, the `JoinHandle` and each
//! `AbortHandle`. A task starts with three (registry, queue, handle).
//!
//! **State bits.** `SCHEDULED`: in a run queue; a wake while set is a no-op,
//! so a woken task is queued once. `COMPLETE`: the stage left `Running`, set
//! by the owner right after. `CANCELLED`: `abort()` was asked; the owner
//! drops the future the next time it pops the task. `JOIN_HANDLE`: the handle
//! is alive; if not, the owner drops the output as soon as it exists.
//!
//! **Why it is sound.** The future and output may be `!Send`, so they must
//! be dropped on the owner thread. The registry's reference is released
//! only after the stage left `Running` (or at runtime shutdown, after every
//! future was dropped), and an output is dropped by the owner as soon as
//! both the task is complete and the handle is gone (whichever comes last,
//! both on the owner thread). So whenever a foreign thread drops the last
//! reference, the stage is `Consumed` (or a `Finished` output whose handle
//! is still alive, which is then not the last reference): the foreign thread
//! frees only memory and `Send` parts. Polls never overlap because only the
//! owner polls, one task at a time, and a task is popped from one queue
//! entry at a time (the `SCHEDULED` bit is cleared before the poll, so a
//! wake during the poll queues it again rather than re-entering it).
//!
//! **The main task.** The future given to `block_on` runs as a task whose
//! cell holds a lifetime-erased pointer to that future, pinned on
//! `block_on`'s stack; `block_on` ends the task (its stage leaves
//! `Running` without a poll) before it returns or unwinds, so the pointer
//! is never followed once the future is gone (see `main_task`).
//!
//! **Cancellation reaching awaited tasks.** When the executor drops an
//! aborted task's future, and when `gather`, `wait_for` or a timeout scope
//! cancel their futures, they do it inside a thread-local *cancelling
//! scope*; a `JoinHandle` that was awaited and is dropped inside one aborts
//! its task (as asyncio's `Task.cancel()` cancels the future the task
//! awaits), and hands its reference to the scope when the scope waits for
//! those tasks to end (see `propagate`).
//!
//! **Panics.** User code runs inside this machinery in four places: the
//! future's `poll`, the future's destructor, the destructor of an output or
//! panic payload nobody reads, and the wakers the executor wakes or drops
//! (a `JoinHandle`'s waker). None of them may unwind through the executor,
//! which would skip restoring its invariants; each runs inside a guard
//! (`contain.rs`):
//!
//! - a panic in `poll` is the task's result: a `JoinError` that is a panic;
//! - a panic in the destructor of a task being cancelled (`abort()`, loop
//!   shutdown) is its result too: a panic `JoinError` with that message, not
//!   a cancelled one; after a task finished, a panic while dropping its future
//!   is reported (tracing) and the output stands;
//! - a panic payload is dropped inside a guard of its own, and the payload
//!   of a panic in *that* destructor is leaked, never dropped;
//! - the futures are dropped in place (they are pinned), never moved first;
//! - the executor's current-task pointer is restored by a drop guard, so
//!   `current_task()` never reads a task that is gone;
//! - shutdown cancels tasks one at a time, each taken out of the registry
//!   only when it is cancelled, with the user code of each (destructor,
//!   join waker) contained; so no unwind can drop the registry reference of
//!   a task whose future is still alive (that reference keeps a `!Send`
//!   future from being freed on a foreign thread), and the remote queue is
//!   always closed at the end. Whatever the executor still holds when it is
//!   dropped (on the owner thread, it is `!Send`) is cancelled there too.

mod as_completed;
mod builder;
pub(crate) mod contain;
mod done;
mod dump;
mod finished;
mod gather;
mod group;
mod identity;
mod join;
mod join_error;
pub(crate) mod main_task;
pub(crate) mod propagate;
pub(crate) mod raw;
mod select;
mod shield;
pub(crate) mod spans;
mod wait;
mod wait_for;
pub(crate) mod waker;

pub use as_completed::{as_completed, AsCompleted};
pub use builder::Builder;
pub use done::TaskFinished;
pub use dump::{dump, TaskDump, TaskSnapshot, WaitingOn};
pub use finished::Finished;
pub use gather::{
    gather_all, try_gather_all, GatherAll, GatherTuple, TryGatherAll, TryGatherTuple,
};
pub use group::{ChildError, ChildHandle, Failure, GroupError, SpawnError, TaskGroup};
pub use identity::TaskIdentity;
pub use join::{AbortHandle, AbortOnDrop, JoinHandle};
pub use join_error::JoinError;
pub use select::{race, select2, Either, Race};
pub use shield::{shield, Shield};
pub use wait::{wait, wait_with, Outcome, ReturnWhen};
pub use wait_for::{wait_for, wait_for_at};

use std::fmt;
use std::future::Future;
use std::num::NonZeroU64;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};

use crate::context;
use raw::{Header, CANCELLED, SCHEDULED};

/// A task's id, unique in the process for its lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(NonZeroU64);

impl TaskId {
    pub(crate) fn next() -> TaskId {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        TaskId(NonZeroU64::new(n).unwrap_or(NonZeroU64::MIN))
    }

    /// The id as a number.
    pub fn as_u64(&self) -> u64 {
        self.0.get()
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a task is doing, as seen from its loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskState {
    /// Being polled right now (the caller of [`current_task`]).
    Running,
    /// Woken and waiting in the run queue.
    Scheduled,
    /// Suspended, waiting for a wake-up.
    Waiting,
    /// `abort()` was asked; it is dropped when the loop next reaches it.
    Cancelling,
}

/// A snapshot of one live task, from [`current_task`] or [`all_tasks`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskInfo {
    /// The task's id.
    pub id: TaskId,
    /// Its name: the one given to [`Builder::name`], or `Task-<id>`.
    pub name: String,
    /// What it is doing.
    pub state: TaskState,
}

pub(crate) fn display_name(h: &Header) -> String {
    match &h.name {
        Some(n) => n.to_string(),
        None => format!("Task-{}", h.id),
    }
}

pub(crate) fn info(h: &Header, running: bool) -> TaskInfo {
    let bits = h.state.load(Ordering::Acquire);
    let state = if running {
        TaskState::Running
    } else if bits & CANCELLED != 0 {
        TaskState::Cancelling
    } else if bits & SCHEDULED != 0 {
        TaskState::Scheduled
    } else {
        TaskState::Waiting
    };
    TaskInfo {
        id: h.id,
        name: display_name(h),
        state,
    }
}

/// Spawns a task on the loop running on this thread, as asyncio's
/// `create_task`. The future need not be `Send`; it starts at the loop's next
/// turn. Await the handle for its result; drop it to let the task run
/// detached.
///
/// The place of this call is the task's spawn location (shown by
/// [`JoinError`], error reports, debug-mode warnings and dumps).
///
/// # Panics
///
/// When no ringio loop is running on this thread (use [`Builder::spawn`] or
/// [`Runtime::spawn`](crate::Runtime::spawn) for a `Result` instead).
#[track_caller]
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
{
    match Builder::new().spawn(future) {
        Ok(handle) => handle,
        Err(e) => panic!("ringio::spawn: {e}"),
    }
}

/// [`spawn`], for a future whose output is a `Result`: an `Err` nobody
/// reads (the handle was dropped) is reported once, as an unretrieved
/// panic is (see [`crate::unhandled`]).
///
/// # Panics
///
/// When no ringio loop is running on this thread.
#[track_caller]
pub fn spawn_fallible<F, T, E>(future: F) -> JoinHandle<Result<T, E>>
where
    F: Future<Output = Result<T, E>> + 'static,
    E: fmt::Display,
{
    match Builder::new().spawn_fallible(future) {
        Ok(handle) => handle,
        Err(e) => panic!("ringio::spawn_fallible: {e}"),
    }
}

/// Information about the task being polled, or `None` outside a task (with
/// no loop), as asyncio's `current_task()`. The future given to
/// [`run`](crate::run) or `block_on` is a task too, named `main`.
pub fn current_task() -> Option<TaskInfo> {
    context::with_current(|h| h.and_then(|h| h.exec.current_info()))
}

/// Every live task of the loop running on this thread (empty with no loop),
/// as asyncio's `all_tasks()`.
pub fn all_tasks() -> Vec<TaskInfo> {
    context::with_current(|h| h.map(|h| h.exec.all_info()).unwrap_or_default())
}

/// Gives the other tasks a turn, as asyncio's `await asyncio.sleep(0)`: the
/// task goes to the back of the run queue once the loop has looked at the
/// ring, so the tasks ready now and the I/O that completed meanwhile go
/// first (two tasks that yield in turn alternate step for step).
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// Wakes `waker` at the loop's next turn (see [`yield_now`]); with no loop
/// on this thread (another executor polls), at once.
pub(crate) fn wake_after_turn(waker: &Waker) {
    let on_loop = context::with_current(|h| match h {
        Some(h) => {
            h.wake_after_turn(waker);
            true
        }
        None => false,
    });
    if !on_loop {
        waker.wake_by_ref();
    }
}

/// The future of [`yield_now`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        wake_after_turn(cx.waker());
        Poll::Pending
    }
}
