//! The run queue and the registry of live tasks of one loop.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::ptr::NonNull;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use slab::Slab;

use crate::shared::Shared;
use crate::task::contain::contain;
use crate::task::raw::{self, Header, TaskRef, CANCELLED, COMPLETE, JOIN_HANDLE, SCHEDULED};
use crate::task::{self, JoinHandle, TaskId, TaskInfo};

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
        }
    }

    pub(crate) fn push(&self, task: TaskRef) {
        self.queue.borrow_mut().push_back(task);
    }

    pub(crate) fn has_ready(&self) -> bool {
        !self.queue.borrow().is_empty()
    }

    pub(crate) fn spawn<F: Future + 'static>(
        &self,
        shared: &Arc<Shared>,
        future: F,
        name: Option<Box<str>>,
    ) -> JoinHandle<F::Output> {
        let ptr = raw::allocate(future, TaskId::next(), name, shared.clone());
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
            let done = task.poll();
            drop(guard);
            if !done {
                return;
            }
        }
        self.complete(&task);
    }

    /// Records a finished stage: releases the registry's reference and hands
    /// the output to the `JoinHandle` (or drops it if there is none).
    fn complete(&self, task: &TaskRef) {
        let header = task.header();
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

    pub(crate) fn all_info(&self) -> Vec<TaskInfo> {
        let current = self.current.get();
        self.registry
            .borrow()
            .iter()
            .map(|(_, t)| task::info(t.header(), Some(t.ptr()) == current))
            .collect()
    }

    pub(crate) fn live_tasks(&self) -> usize {
        self.registry.borrow().len()
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
