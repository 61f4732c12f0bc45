//! A group's child: the task wrapper that reports failures to the group, and
//! the handle the caller gets.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::error::{ChildError, Failure};
use super::Shared;
use crate::task::contain::{call_catching, drop_catching};
use crate::task::{JoinHandle, TaskId};

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
/// the group instead of to the handle (which then gets `None`). A panic in
/// the future's destructor, whenever it runs (after it finished, or when
/// the child is cancelled), is a failure of the group too.
pub(super) fn run_child<T, E, F>(member: Member<E>, future: F) -> Child<F, E>
where
    F: Future<Output = Result<T, E>>,
{
    Child {
        future: Some(Box::pin(future)),
        member,
    }
}

/// The future of [`run_child`]. The user's future is boxed so that it can
/// be dropped early, in place, under a guard, without unsafe pinning.
pub(super) struct Child<F, E> {
    future: Option<Pin<Box<F>>>,
    member: Member<E>,
}

impl<F, E> Child<F, E> {
    /// Drops the user's future; a panic in its destructor fails the group.
    fn drop_future(&mut self) {
        if let Some(f) = self.future.take() {
            if let Err(payload) = drop_catching(f) {
                self.member.group.fail(Failure::Panic(payload));
            }
        }
    }
}

impl<T, E, F> Future for Child<F, E>
where
    F: Future<Output = Result<T, E>>,
{
    type Output = Option<T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = &mut *self;
        let Some(future) = this.future.as_mut() else {
            return Poll::Ready(None);
        };
        // A panic is a failure of this child, which the group reports; it
        // must not unwind into the loop (which would lose it).
        let outcome = match call_catching(|| future.as_mut().poll(cx)) {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(Ok(v))) => Ok(v),
            Ok(Poll::Ready(Err(e))) => Err(Failure::Error(e)),
            Err(payload) => Err(Failure::Panic(payload)),
        };
        let out = match outcome {
            Ok(v) => Some(v),
            Err(failure) => {
                this.member.group.fail(failure);
                None
            }
        };
        this.drop_future();
        Poll::Ready(out)
    }
}

impl<F, E> Drop for Child<F, E> {
    fn drop(&mut self) {
        // Cancelled (or the loop shut down) while running: the cleanup
        // panic goes to the group before the member leaves it.
        self.drop_future();
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
            Err(e) if e.is_cancelled() => Err(ChildError::Cancelled),
            // The wrapper catches the child's panics; only the group's own
            // bookkeeping could get here.
            Err(_) => Err(ChildError::Failed),
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
