//! `TaskInfo::finished`: waiting for a task known only by its snapshot, as
//! asyncio's `gather(*all_tasks(loop))` waits for tasks it did not create.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use super::{TaskId, TaskInfo};
use crate::context;

impl TaskInfo {
    /// A future that resolves once this task has finished, however it
    /// ended (returned, panicked or was cancelled).
    ///
    /// It is how to wait for tasks found with [`all_tasks`](super::all_tasks)
    /// rather than spawned here, as asyncio's
    /// `loop.run_until_complete(gather(*all_tasks(loop)))`: the task's
    /// output stays with its [`JoinHandle`](super::JoinHandle) (whoever
    /// holds that handle reads it; a task's output has one owner), so the
    /// future gives `()`.
    ///
    /// Await it on the task's own loop; elsewhere (or once the task is gone)
    /// it is ready at once. Each poll scans the loop's live tasks, so it
    /// suits waiting for a few tasks, not thousands.
    ///
    /// ```
    /// use std::time::Duration;
    /// use ringio::{task::gather_all, time::sleep, Runtime};
    ///
    /// let rt = Runtime::new().unwrap();
    /// rt.spawn(async { sleep(Duration::from_millis(20)).await });
    /// rt.spawn(async { sleep(Duration::from_millis(10)).await });
    /// let tasks = rt.all_tasks();
    /// assert_eq!(tasks.len(), 2);
    /// rt.block_on(gather_all(tasks.iter().map(|t| t.finished()))).unwrap();
    /// assert!(rt.all_tasks().is_empty());
    /// ```
    pub fn finished(&self) -> TaskFinished {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        TaskFinished {
            id: self.id,
            token: NEXT.fetch_add(1, Ordering::Relaxed),
            registered: false,
        }
    }
}

/// The future of [`TaskInfo::finished`].
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct TaskFinished {
    id: TaskId,
    /// Tells this future's entry among the loop's waiters from others
    /// waiting for the same task.
    token: u64,
    registered: bool,
}

impl TaskFinished {
    /// The id of the task waited for.
    pub fn id(&self) -> TaskId {
        self.id
    }
}

impl Future for TaskFinished {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let (id, token) = (self.id, self.token);
        let live = context::with_current(|h| match h {
            Some(h) if h.exec.is_live(id) => {
                h.exec.wait_done(token, id, cx.waker());
                true
            }
            _ => false,
        });
        self.registered = live;
        if live {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    }
}

impl Drop for TaskFinished {
    fn drop(&mut self) {
        if self.registered {
            let token = self.token;
            context::with_current(|h| {
                if let Some(h) = h {
                    h.exec.forget_done(token);
                }
            });
        }
    }
}
