//! A group's child: the task wrapper that reports failures to the group, and
//! the handle the caller gets.

use std::fmt;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::{pin, Pin};
use std::task::{Context, Poll};

use super::error::{ChildError, Failure};
use super::Shared;
use crate::task::{JoinError, JoinHandle, TaskId};

/// Membership of one child in its group. It lives inside the child's
/// future, so it is dropped however the child ends (finished, failed,
/// aborted before or after its first poll), and the group then knows.
pub(super) struct Member<E> {
    pub(super) group: Shared<E>,
    pub(super) key: usize,
}

impl<E> Drop for Member<E> {
    fn drop(&mut self) {
        self.group.leave(self.key);
    }
}

/// The body of a child task: runs `future`, and hands an `Err` or a panic to
/// the group instead of to the handle (which then gets `None`).
pub(super) async fn run_child<T, E, F>(member: Member<E>, future: F) -> Option<T>
where
    F: Future<Output = Result<T, E>>,
{
    let mut future = pin!(future);
    let outcome = std::future::poll_fn(|cx| {
        // A panic is a failure of this child, which the group reports; it
        // must not unwind into the loop (which would lose it).
        match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(Ok(v))) => Poll::Ready(Ok(v)),
            Ok(Poll::Ready(Err(e))) => Poll::Ready(Err(Failure::Error(e))),
            Err(payload) => Poll::Ready(Err(Failure::Panic(payload))),
        }
    })
    .await;
    match outcome {
        Ok(v) => Some(v),
        Err(failure) => {
            member.group.fail(failure);
            None
        }
    }
}

/// A handle to a task of a [`TaskGroup`](super::TaskGroup).
///
/// Awaiting it gives the child's value, or a [`ChildError`]: `Cancelled`
/// when it was aborted (by hand or by the group), `Failed` when it returned
/// `Err` or panicked (that failure itself is in the group's
/// [`GroupError`](super::GroupError)). Dropping the handle does not stop the
/// child: the group still owns it.
pub struct ChildHandle<T> {
    pub(super) handle: JoinHandle<Option<T>>,
}

impl<T> ChildHandle<T> {
    /// Cancels this child alone. A child aborted by hand does not fail the
    /// group: the others go on.
    pub fn abort(&self) {
        self.handle.abort();
    }

    /// True once the child has finished, failed or been cancelled.
    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// The child's task id.
    pub fn id(&self) -> TaskId {
        self.handle.id()
    }
}

impl<T> Future for ChildHandle<T> {
    type Output = Result<T, ChildError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.handle).poll(cx).map(|r| match r {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err(ChildError::Failed),
            Err(JoinError::Cancelled) => Err(ChildError::Cancelled),
            // The wrapper catches the child's panics; only the group's own
            // bookkeeping could get here.
            Err(JoinError::Panic(_)) => Err(ChildError::Failed),
        })
    }
}

impl<T> fmt::Debug for ChildHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChildHandle")
            .field("id", &self.id())
            .field("finished", &self.is_finished())
            .finish()
    }
}
