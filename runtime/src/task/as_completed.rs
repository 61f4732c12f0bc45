//! `as_completed`: asyncio's `as_completed`, results in completion order.

use std::collections::VecDeque;
use std::fmt;
use std::future::poll_fn;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};

use super::{Finished, JoinHandle};

/// Yields the results of `handles` as the tasks finish, first finished
/// first, as asyncio's `as_completed` (also for tasks that finished between
/// two calls of `next()`: each handle has its own waker, woken as its task
/// finishes).
///
/// Each [`Finished`] carries the task's index in `handles`, so a result can
/// be matched to its request. Dropping the iterator detaches the tasks not
/// yet reported (they keep running, as in asyncio); abort them first through
/// [`AsCompleted::pending`] if they should stop. For a deadline, wrap each
/// `next()` in [`time::timeout`](crate::time::timeout).
///
/// Three tasks started in one order report in the order they finish:
///
/// ```
/// use std::time::Duration;
/// use ringio::{run, spawn, task::as_completed, time::sleep};
///
/// run(async {
///     let tasks = [30u64, 10, 20].map(|ms| {
///         spawn(async move {
///             sleep(Duration::from_millis(ms)).await;
///             ms
///         })
///     });
///     let mut completed = as_completed(tasks);
///     let mut order = Vec::new();
///     while let Some(finished) = completed.next().await {
///         order.push(finished.result.unwrap());
///     }
///     assert_eq!(order, [10, 20, 30]);
/// })
/// .unwrap();
/// ```
pub fn as_completed<T, I>(handles: I) -> AsCompleted<T>
where
    I: IntoIterator<Item = JoinHandle<T>>,
{
    let slots: Vec<Option<JoinHandle<T>>> = handles.into_iter().map(Some).collect();
    AsCompleted {
        running: slots.len(),
        slots,
        ready: VecDeque::new(),
        woken: Arc::new(Woken::default()),
        wakers: Vec::new(),
    }
}

/// The slots whose task woke them, in the order they were woken: a task
/// wakes its handle's waker when it finishes, so this is the completion
/// order, also for tasks that finish between two polls.
#[derive(Default)]
struct Woken {
    order: Mutex<Vec<usize>>,
    /// The waker of whoever awaits `next()`.
    parent: Mutex<Option<Waker>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing panics while these locks are held; a poisoned lock's data is
    // still consistent.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The waker given to one slot's handle.
struct SlotWaker {
    index: usize,
    woken: Arc<Woken>,
}

impl Wake for SlotWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        lock(&self.woken.order).push(self.index);
        let parent = lock(&self.woken.parent).clone();
        if let Some(w) = parent {
            w.wake();
        }
    }
}

/// The tasks of [`as_completed`], reported in completion order.
pub struct AsCompleted<T> {
    slots: Vec<Option<JoinHandle<T>>>,
    running: usize,
    /// Tasks seen finishing in one pass, waiting for their `next()`.
    ready: VecDeque<Finished<T>>,
    woken: Arc<Woken>,
    /// One waker per slot, made at the first poll (empty before).
    wakers: Vec<Waker>,
}

impl<T> AsCompleted<T> {
    /// The next task to finish, or `None` once all were reported.
    pub async fn next(&mut self) -> Option<Finished<T>> {
        poll_fn(|cx| self.poll_next(cx)).await
    }

    /// Poll form of [`next`](AsCompleted::next), for hand-written futures.
    pub fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Finished<T>>> {
        if self.ready.is_empty() && self.running > 0 {
            {
                let mut parent = lock(&self.woken.parent);
                match &*parent {
                    Some(w) if w.will_wake(cx.waker()) => {}
                    _ => *parent = Some(cx.waker().clone()),
                }
            }
            // The first time every slot, in argument order (tasks finished
            // already are reported in that order, as asyncio's done
            // callbacks run); then the slots woken since, in wake order.
            let order: Vec<usize> = if self.wakers.is_empty() {
                self.wakers = (0..self.slots.len())
                    .map(|index| {
                        Waker::from(Arc::new(SlotWaker {
                            index,
                            woken: self.woken.clone(),
                        }))
                    })
                    .collect();
                (0..self.slots.len()).collect()
            } else {
                std::mem::take(&mut *lock(&self.woken.order))
            };
            for index in order {
                let Some(slot) = self.slots.get_mut(index) else {
                    continue;
                };
                let Some(handle) = slot else { continue };
                let mut slot_cx = Context::from_waker(&self.wakers[index]);
                if let Poll::Ready(result) = handle.poll_detached(&mut slot_cx) {
                    self.ready.push_back(Finished {
                        index,
                        id: handle.id(),
                        result,
                    });
                    *slot = None;
                    self.running -= 1;
                }
            }
        }
        match self.ready.pop_front() {
            Some(finished) => Poll::Ready(Some(finished)),
            None if self.running == 0 => Poll::Ready(None),
            None => Poll::Pending,
        }
    }
}

impl<T> AsCompleted<T> {
    /// How many tasks are still to be reported.
    pub fn len(&self) -> usize {
        self.running + self.ready.len()
    }

    /// True when every task was reported.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The handles of the tasks not yet seen finishing (to abort them, say).
    pub fn pending(&self) -> impl Iterator<Item = &JoinHandle<T>> {
        self.slots.iter().flatten()
    }
}

impl<T> fmt::Debug for AsCompleted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsCompleted")
            .field("remaining", &self.len())
            .finish()
    }
}
