//! `as_completed`: asyncio's `as_completed`, results in completion order.

use std::collections::VecDeque;
use std::fmt;
use std::future::poll_fn;
use std::task::{Context, Poll};

use super::{Finished, JoinHandle};

/// Yields the results of `handles` as the tasks finish, first finished
/// first, as asyncio's `as_completed`.
///
/// Each [`Finished`] carries the task's index in `handles`, so a result can
/// be matched to its request. Dropping the iterator detaches the tasks not
/// yet reported (they keep running, as in asyncio); abort them first through
/// [`AsCompleted::pending`] if they should stop. For a deadline, wrap each
/// `next()` in [`time::timeout`](crate::time::timeout).
///
/// order the tasks finish.
///
/// ```
/// use std::time::Duration;
/// use ringio_runtime::{run, spawn, task::as_completed, time::sleep};
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
    }
}

/// The tasks of [`as_completed`], reported in completion order.
pub struct AsCompleted<T> {
    slots: Vec<Option<JoinHandle<T>>>,
    running: usize,
    /// Tasks seen finishing in one pass, waiting for their `next()`.
    ready: VecDeque<Finished<T>>,
}

impl<T> AsCompleted<T> {
    /// The next task to finish, or `None` once all were reported.
    pub async fn next(&mut self) -> Option<Finished<T>> {
        poll_fn(|cx| self.poll_next(cx)).await
    }

    /// Poll form of [`next`](AsCompleted::next), for hand-written futures.
    pub fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Finished<T>>> {
        if self.ready.is_empty() && self.running > 0 {
            for (index, slot) in self.slots.iter_mut().enumerate() {
                let Some(handle) = slot else { continue };
                if let Poll::Ready(result) = handle.poll_detached(cx) {
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
