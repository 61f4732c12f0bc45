//! The run queue and the registry of live tasks of one loop.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::panic::Location;
use std::ptr::NonNull;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::Waker;
use std::time::{Duration, Instant};

use slab::Slab;

use crate::debug::DebugState;
use crate::shared::Shared;
use crate::task::contain::contain;
use crate::task::raw::{
    self, Birth, CellKind, Header, Plain, TaskRef, CANCELLED, COMPLETE, JOIN_HANDLE, SCHEDULED,
};
use crate::task::spans::TaskSpans;
use crate::task::{self, JoinHandle, TaskId, TaskIdentity, TaskInfo};

pub(crate) struct Executor {
    queue: RefCell<VecDeque<TaskRef>>,
    /// One reference per live task, released when it completes.
    registry: RefCell<Slab<TaskRef>>,
    /// The task being polled.
    current: Cell<Option<NonNull<Header>>>,
    /// Set at shutdown: new tasks are cancelled at once.
    closed: Cell<bool>,
    /// The loop's cross-thread half, closed at shutdown.
    shared: Arc<Shared>,
    /// Futures of `TaskInfo::finished` waiting: (their token, the task's
    /// id, their waker). Empty unless someone waits, so `complete` pays one
    /// borrow.
    done_waiters: RefCell<Vec<(u64, TaskId, Waker)>>,
    /// Time zero of task birth times (nanoseconds since it, in a `u64` to
    /// keep the task header small).
    epoch: Instant,
    /// The loop's coarse clock, in nanoseconds since `epoch`: the time of
    /// its last park (or start), the birth time of tasks spawned until the
    /// next (so ages are "at least").
    clock: Cell<u64>,
    /// Metrics: tasks spawned, and polls.
    spawned: Cell<u64>,
    polls: Cell<u64>,
    /// Debug mode's state; `None` when off.
    pub(crate) debug: Option<Box<DebugState>>,
    /// Tracing spans of the tasks a subscriber wanted one for.
    spans: TaskSpans,
    /// Debug mode is on or a task has a span: polls take the instrumented
    /// path. The one branch a poll pays for both when neither is used.
    instrumented: Cell<bool>,
}

/// Restores the current-task pointer when a poll ends, also by unwinding.
struct CurrentGuard<'a> {
    cell: &'a Cell<Option<NonNull<Header>>>,
    prev: Option<NonNull<Header>>,
}

impl Drop for CurrentGuard<'_> {
    fn drop(&mut self) {
        self.cell.set(self.prev);
    }
}

impl Executor {
    pub(crate) fn new(shared: Arc<Shared>) -> Executor {
        Executor {
            shared,
            queue: RefCell::new(VecDeque::with_capacity(256)),
            registry: RefCell::new(Slab::with_capacity(256)),
            current: Cell::new(None),
            closed: Cell::new(false),
            done_waiters: RefCell::new(Vec::new()),
            epoch: Instant::now(),
            clock: Cell::new(0),
            spawned: Cell::new(0),
            polls: Cell::new(0),
            debug: None,
            spans: TaskSpans::default(),
            instrumented: Cell::new(false),
        }
    }

    pub(crate) fn push(&self, task: TaskRef) {
        self.queue.borrow_mut().push_back(task);
    }

    pub(crate) fn has_ready(&self) -> bool {
        !self.queue.borrow().is_empty()
    }

    /// How many tasks are queued to run.
    pub(crate) fn ready_len(&self) -> usize {
        self.queue.borrow().len()
    }

    /// Spawns `future`; the caller's location is its spawn location.
    #[track_caller]
    #[allow(dead_code)]
    pub(crate) fn spawn<F: Future + 'static>(
        &self,
        shared: &Arc<Shared>,
        future: F,
        name: Option<Box<str>>,
    ) -> JoinHandle<F::Output> {
        self.spawn_at(shared, future, name, Location::caller())
    }

    /// Spawns `future`, spawned at `location`.
    pub(crate) fn spawn_at<F: Future + 'static>(
        &self,
        shared: &Arc<Shared>,
        future: F,
        name: Option<Box<str>>,
        location: &'static Location<'static>,
    ) -> JoinHandle<F::Output> {
        self.spawn_kind::<F, Plain>(shared, future, name, location)
    }

    /// Spawns a task of the cell kind `K` (plain, or fallible: an unread
    /// `Err` is reported).
    pub(crate) fn spawn_kind<F: Future + 'static, K: CellKind<F>>(
        &self,
        shared: &Arc<Shared>,
        future: F,
        name: Option<Box<str>>,
        location: &'static Location<'static>,
    ) -> JoinHandle<F::Output> {
        let id = TaskId::next();
        if self.spans.spawned(id, name.as_deref(), location) {
            self.instrumented.set(true);
        }
        let birth = Birth {
            id,
            name,
            location,
            // Debug mode dates tasks exactly; otherwise the loop's clock.
            spawned: match self.debug {
                None => self.clock.get(),
                Some(_) => self.nanos(Instant::now()),
            },
        };
        let ptr = raw::allocate::<F, K>(future, birth, shared.clone());
        self.spawned.set(self.spawned.get() + 1);
        // SAFETY: `allocate` made three references: one for each of these.
        let (reg, queued, handle) = unsafe {
            (
                TaskRef::from_raw(ptr),
                TaskRef::from_raw(ptr),
                JoinHandle::from_raw(ptr),
            )
        };
        if self.closed.get() {
            // Shutting down: the task never runs, its handle says cancelled.
            reg.cancel();
            reg.header().state.fetch_or(COMPLETE, Ordering::AcqRel);
            return handle;
        }
        let key = self.registry.borrow_mut().insert(reg);
        // SAFETY: just allocated, still only on this thread.
        unsafe { ptr.as_ref() }.registry_key.set(key);
        self.push(queued);
        handle
    }

    /// Runs up to `budget` queued tasks; returns how many ran.
    pub(crate) fn run_batch(&self, budget: u32) -> u32 {
        let mut ran = 0;
        while ran < budget {
            let Some(task) = self.queue.borrow_mut().pop_front() else {
                break;
            };
            self.run(task);
            ran += 1;
        }
        ran
    }

    fn run(&self, task: TaskRef) {
        let prev = task.header().state.fetch_and(!SCHEDULED, Ordering::AcqRel);
        if prev & COMPLETE != 0 {
            return;
        }
        if prev & CANCELLED != 0 {
            task.cancel();
        } else {
            let guard = CurrentGuard {
                cell: &self.current,
                prev: self.current.replace(Some(task.ptr())),
            };
            self.polls.set(self.polls.get() + 1);
            let done = if self.instrumented.get() {
                self.poll_instrumented(&task)
            } else {
                task.poll()
            };
            drop(guard);
            if !done {
                return;
            }
        }
        self.complete(&task);
    }

    /// A poll inside the task's span, timed in debug mode.
    #[cold]
    fn poll_instrumented(&self, task: &TaskRef) -> bool {
        let span = self.spans.get(task.header().id);
        let _entered = span.as_ref().map(|s| s.enter());
        match &self.debug {
            Some(debug) => debug.poll_timed(task),
            None => task.poll(),
        }
    }

    /// Turns debug mode on (before the loop runs).
    pub(crate) fn set_debug(&mut self, debug: DebugState) {
        self.debug = Some(Box::new(debug));
        self.instrumented.set(true);
    }

    /// Records a finished stage: releases the registry's reference and hands
    /// the output to the `JoinHandle` (or drops it if there is none).
    fn complete(&self, task: &TaskRef) {
        let header = task.header();
        if self.instrumented.get() {
            self.spans.ended(header.id);
        }
        let prev = header.state.fetch_or(COMPLETE, Ordering::AcqRel);
        let key = header.registry_key.get();
        let entry = {
            let mut reg = self.registry.borrow_mut();
            match reg.get(key) {
                Some(t) if t.ptr() == task.ptr() => Some(reg.remove(key)),
                _ => None,
            }
        };
        drop(entry);
        self.wake_done_waiters(header.id);
        if prev & JOIN_HANDLE != 0 {
            // SAFETY: owner thread; the JoinHandle touches the slot only
            // while polled, never during this call.
            let waker = unsafe { (*header.join_waker.get()).take() };
            if let Some(w) = waker {
                // The waker is user code: contained, as the rest of this
                // bookkeeping must not be skipped by an unwind.
                contain("a JoinHandle's waker", || w.wake());
            }
        } else {
            task.drop_output();
        }
    }

    /// Ends a task on the spot, as a cancel would when the loop reached it:
    /// its future is dropped and its handle says `Cancelled`. No effect on
    /// a finished task. (For `block_on`'s main task, whose future must not
    /// be polled again once `block_on` returns.)
    pub(crate) fn end_now(&self, ptr: NonNull<Header>) {
        // SAFETY: the caller holds a reference to the task (its JoinHandle);
        // the new one goes to the TaskRef.
        let task = unsafe {
            raw::inc_ref(ptr);
            TaskRef::from_raw(ptr)
        };
        if task.header().state.load(Ordering::Acquire) & COMPLETE == 0 {
            task.cancel();
            self.complete(&task);
        }
    }

    /// Cancels every live task (their destructors run, their handles say
    /// `Cancelled`) and empties the queues; new spawns are refused.
    ///
    /// One task at a time: each leaves the registry only as it is
    /// cancelled, and the user code of each (destructor, join waker) is
    /// contained, so the registry never lets go of a task whose future is
    /// alive, and the remote queue is always closed at the end.
    pub(crate) fn shutdown(&self) {
        if let Some(debug) = &self.debug {
            if !self.closed.get() {
                let pending: Vec<TaskIdentity> = self
                    .registry
                    .borrow()
                    .iter()
                    .map(|(_, t)| TaskIdentity::of(t.header()))
                    .collect();
                debug.closing(&pending);
            }
        }
        self.closed.set(true);
        // A cursor over the registry's keys: no task is added meanwhile
        // (spawns are refused once closed), so one pass finds every task;
        // restarting the scan at 0 for each would be quadratic.
        let mut cursor = 0;
        loop {
            let next = {
                let mut reg = self.registry.borrow_mut();
                let end = reg.capacity();
                while cursor < end && !reg.contains(cursor) {
                    cursor += 1;
                }
                (cursor < end).then(|| reg.remove(cursor))
            };
            let Some(task) = next else {
                if self.registry.borrow().is_empty() {
                    break;
                }
                cursor = 0;
                continue;
            };
            task.header().registry_key.set(usize::MAX);
            task.cancel();
            self.complete(&task);
            contain("dropping a cancelled task", || drop(task));
        }
        let queued: Vec<TaskRef> = self.queue.borrow_mut().drain(..).collect();
        contain("dropping the run queue", || drop(queued));
        let (tasks, callbacks) = self.shared.close();
        contain("dropping the remote queue", || drop(tasks));
        for f in callbacks {
            contain("dropping a callback queued from another thread", || drop(f));
        }
    }

    pub(crate) fn current_info(&self) -> Option<TaskInfo> {
        let ptr = self.current.get()?;
        // SAFETY: the task being polled is alive (its queue entry is held by
        // `run` for the duration of the poll).
        Some(task::info(unsafe { ptr.as_ref() }, true))
    }

    /// The identity of the task being polled.
    pub(crate) fn current_identity(&self) -> Option<TaskIdentity> {
        let ptr = self.current.get()?;
        // SAFETY: as in current_info.
        Some(TaskIdentity::of(unsafe { ptr.as_ref() }))
    }

    /// The identity of the live task with id `id` (a scan: debug mode).
    pub(crate) fn identity_of(&self, id: u64) -> Option<TaskIdentity> {
        self.registry
            .borrow()
            .iter()
            .find(|(_, t)| t.header().id.as_u64() == id)
            .map(|(_, t)| TaskIdentity::of(t.header()))
    }

    /// What a dump shows of each live task: its snapshot, identity and
    /// spawn time.
    pub(crate) fn dump_entries(&self) -> Vec<(TaskInfo, TaskIdentity, Instant)> {
        let current = self.current.get();
        self.registry
            .borrow()
            .iter()
            .map(|(_, t)| {
                let h = t.header();
                (
                    task::info(h, Some(t.ptr()) == current),
                    TaskIdentity::of(h),
                    self.epoch + Duration::from_nanos(h.spawned),
                )
            })
            .collect()
    }

    pub(crate) fn all_info(&self) -> Vec<TaskInfo> {
        let current = self.current.get();
        self.registry
            .borrow()
            .iter()
            .map(|(_, t)| task::info(t.header(), Some(t.ptr()) == current))
            .collect()
    }

    /// Whether the task `id` is alive on this loop.
    pub(crate) fn is_live(&self, id: TaskId) -> bool {
        self.registry
            .borrow()
            .iter()
            .any(|(_, t)| t.header().id == id)
    }

    /// Registers (or updates) the waker of the `TaskInfo::finished` future
    /// `token`, woken when the task `id` completes.
    pub(crate) fn wait_done(&self, token: u64, id: TaskId, waker: &Waker) {
        let mut waiters = self.done_waiters.borrow_mut();
        match waiters.iter_mut().find(|(t, _, _)| *t == token) {
            Some((_, _, w)) if w.will_wake(waker) => {}
            Some((_, _, w)) => *w = waker.clone(),
            None => waiters.push((token, id, waker.clone())),
        }
    }

    /// Forgets the waker of the `TaskInfo::finished` future `token`.
    pub(crate) fn forget_done(&self, token: u64) {
        self.done_waiters
            .borrow_mut()
            .retain(|(t, _, _)| *t != token);
    }

    fn wake_done_waiters(&self, id: TaskId) {
        let woken: Vec<Waker> = {
            let mut waiters = self.done_waiters.borrow_mut();
            if waiters.is_empty() {
                return;
            }
            let mut woken = Vec::new();
            waiters.retain(|(_, task, waker)| {
                let done = *task == id;
                if done {
                    woken.push(waker.clone());
                }
                !done
            });
            woken
        };
        for waker in woken {
            contain("a waker of TaskInfo::finished", || waker.wake());
        }
    }

    pub(crate) fn live_tasks(&self) -> usize {
        self.registry.borrow().len()
    }

    fn nanos(&self, t: Instant) -> u64 {
        u64::try_from(t.saturating_duration_since(self.epoch).as_nanos()).unwrap_or(u64::MAX)
    }

    /// Advances the coarse clock (the loop read the time anyway).
    pub(crate) fn set_clock(&self, now: Instant) {
        self.clock.set(self.nanos(now));
    }

    /// Tasks spawned on this loop.
    pub(crate) fn spawned(&self) -> u64 {
        self.spawned.get()
    }

    /// Polls of tasks.
    pub(crate) fn polls(&self) -> u64 {
        self.polls.get()
    }
}

impl Drop for Executor {
    fn drop(&mut self) {
        // Normally a no-op (the loop's shutdown ran). If it did not finish,
        // the tasks left are cancelled here, on the owner thread (the
        // executor is not Send), before their registry references go.
        self.shutdown();
    }
}
