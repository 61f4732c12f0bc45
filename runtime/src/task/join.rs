//! `JoinHandle`, `AbortHandle` and `AbortOnDrop`.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::ptr::NonNull;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};

use super::join_error::JoinError;
use super::propagate::{self, OnDrop};
use super::raw::{drop_ref, inc_ref, Header, CANCELLED, COMPLETE, JOIN_HANDLE};
use super::waker::schedule;
use super::TaskId;

/// An owned permission to await a task's result, like awaiting an asyncio
/// `Task`: `handle.await` gives `Ok(value)`, or `Err(JoinError)` when the task
/// was cancelled or panicked.
///
/// Dropping the handle detaches the task: it keeps running. One exception
/// follows asyncio, where cancelling a task also cancels the task it is
/// blocked on: a handle that was awaited (polled) and is dropped because
/// the future awaiting it is cancelled in asyncio's sense (its task was
/// aborted, or a [`gather!`](crate::gather) or
/// [`wait_for`](super::wait_for) holding it was dropped or timed out)
/// aborts its task instead. A handle held but never awaited always
/// detaches, as asyncio cancels only what a task awaits. The handle stays
/// on the thread of the loop that runs the task (it is `!Send`); use
/// [`JoinHandle::abort_handle`] to cancel from another thread.
///
/// # Panics
///
/// Polling the handle again after it returned its result panics, as for any
/// future polled after completion.
pub struct JoinHandle<T> {
    raw: NonNull<Header>,
    /// Polled at least once: awaited, in asyncio's sense.
    awaited: bool,
    _marker: PhantomData<(T, *const ())>,
}

impl<T> JoinHandle<T> {
    /// # Safety
    ///
    /// `raw` is a task whose output type is `T`; the caller transfers the
    /// `JoinHandle`'s reference.
    pub(crate) unsafe fn from_raw(raw: NonNull<Header>) -> Self {
        JoinHandle {
            raw,
            awaited: false,
            _marker: PhantomData,
        }
    }

    fn header(&self) -> &Header {
        // SAFETY: the handle owns a reference.
        unsafe { self.raw.as_ref() }
    }

    /// The task cell (the handle keeps it alive).
    pub(crate) fn raw(&self) -> NonNull<Header> {
        self.raw
    }

    /// Cancels the task, as asyncio's `Task.cancel()`: it is dropped at its
    /// next suspension point (its destructors run) and the handle then yields
    /// `Err(JoinError::Cancelled)`. No effect on a finished task.
    pub fn abort(&self) {
        abort(self.raw);
    }

    /// True once the task has finished, been cancelled or panicked
    /// (asyncio's `Task.done()`).
    pub fn is_finished(&self) -> bool {
        self.header().state.load(Ordering::Acquire) & COMPLETE != 0
    }

    /// The task's id.
    pub fn id(&self) -> TaskId {
        self.header().id
    }

    /// The task's name (given by [`Builder::name`](super::Builder::name), or
    /// `Task-<id>`).
    pub fn name(&self) -> String {
        super::display_name(self.header())
    }

    /// This handle, turned into one that cancels the task whenever it is
    /// dropped before the task finished: `timeout(d,
    /// handle.abort_on_drop())` aborts the task when the time runs out,
    /// and `select!` aborts the losing task. ([`wait_for`](super::wait_for)
    /// and [`gather!`](crate::gather) already cancel the tasks they awaited,
    /// as asyncio's do; elsewhere a plain `JoinHandle` detaches its task
    /// when dropped, as tokio's does.)
    pub fn abort_on_drop(self) -> AbortOnDrop<T> {
        AbortOnDrop { handle: Some(self) }
    }

    /// Polls the handle without marking it awaited: for the waiters that
    /// never cancel what they wait on (`shield`, `wait`, `as_completed`).
    pub(crate) fn poll_detached(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, JoinError>> {
        let awaited = self.awaited;
        let out = Pin::new(&mut *self).poll(cx);
        self.awaited = awaited;
        out
    }

    /// A handle that can cancel the task from any thread.
    pub fn abort_handle(&self) -> AbortHandle {
        // SAFETY: the handle holds a reference; the new one goes to AbortHandle.
        unsafe { inc_ref(self.raw) };
        AbortHandle { raw: self.raw }
    }
}

fn abort(raw: NonNull<Header>) {
    // SAFETY: callers hold a reference.
    let header = unsafe { raw.as_ref() };
    let prev = header.state.fetch_or(CANCELLED, Ordering::AcqRel);
    if prev & (COMPLETE | CANCELLED) == 0 {
        schedule(raw);
    }
}

// The handle holds only a pointer to the task's heap cell; the output is
// moved out of that cell, never pinned through the handle, so the handle can
// be moved freely whatever T is.
impl<T> Unpin for JoinHandle<T> {}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.awaited = true;
        let header = self.header();
        if header.state.load(Ordering::Acquire) & COMPLETE != 0 {
            let mut out: Poll<Result<T, JoinError>> = Poll::Pending;
            // SAFETY: `out` has the task's output type (the handle was made
            // for it); JoinHandle is !Send, so this is the owner thread.
            unsafe { header.read_output((&mut out as *mut Poll<Result<T, JoinError>>).cast()) };
            assert!(
                out.is_ready(),
                "JoinHandle polled again after it returned the task's result"
            );
            return out;
        }
        // SAFETY: owner thread (JoinHandle is !Send), and the executor only
        // touches this slot between polls, never during one.
        let slot = unsafe { &mut *header.join_waker.get() };
        match slot {
            Some(w) if w.will_wake(cx.waker()) => {}
            _ => *slot = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        if self.awaited && !self.is_finished() {
            match propagate::on_drop() {
                OnDrop::Detach => {}
                OnDrop::Abort => abort(self.raw),
                OnDrop::AbortAndCollect => {
                    abort(self.raw);
                    // The handle's reference and its JOIN_HANDLE bit go to
                    // the end the scope waits on.
                    propagate::collect(TaskEnd { raw: self.raw });
                    return;
                }
            }
        }
        release(self.raw);
    }
}

/// Gives up a handle's claim on a task: its output (now or when it
/// finishes) is dropped, and its reference released. Owner thread only.
fn release(raw: NonNull<Header>) {
    // SAFETY: the caller owns a handle's reference.
    let header = unsafe { raw.as_ref() };
    let prev = header.state.fetch_and(!JOIN_HANDLE, Ordering::AcqRel);
    if prev & COMPLETE != 0 {
        header.drop_output();
    }
    // SAFETY: owner thread, as in poll.
    drop(unsafe { (*header.join_waker.get()).take() });
    // SAFETY: the handle's own reference.
    unsafe { drop_ref(raw) };
}

/// The end of a task, awaited without its output: what a cancelling scope
/// collects from the handles it aborted (see `task::propagate`). It holds the
/// handle's reference and claim (`JOIN_HANDLE`); dropping it detaches.
pub(crate) struct TaskEnd {
    raw: NonNull<Header>,
}

impl Future for TaskEnd {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // SAFETY: the end owns a handle's reference.
        let header = unsafe { self.raw.as_ref() };
        if header.state.load(Ordering::Acquire) & COMPLETE != 0 {
            return Poll::Ready(());
        }
        // SAFETY: owner thread (TaskEnd is !Send, made from a JoinHandle),
        // and the executor only touches this slot between polls.
        let slot = unsafe { &mut *header.join_waker.get() };
        match slot {
            Some(w) if w.will_wake(cx.waker()) => {}
            _ => *slot = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

impl Drop for TaskEnd {
    fn drop(&mut self) {
        release(self.raw);
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("id", &self.id())
            .field("finished", &self.is_finished())
            .finish()
    }
}

/// A [`JoinHandle`] that aborts its task when dropped before the task
/// finished (from [`JoinHandle::abort_on_drop`]). Await it for the task's
/// result, as the handle.
pub struct AbortOnDrop<T> {
    /// `None` only after [`AbortOnDrop::detach`] took it out.
    handle: Option<JoinHandle<T>>,
}

impl<T> AbortOnDrop<T> {
    fn handle(&self) -> &JoinHandle<T> {
        match &self.handle {
            Some(h) => h,
            None => unreachable!("AbortOnDrop used after detach consumed it"),
        }
    }

    /// The task's id.
    pub fn id(&self) -> TaskId {
        self.handle().id()
    }

    /// True once the task has finished.
    pub fn is_finished(&self) -> bool {
        self.handle().is_finished()
    }

    /// Back to a plain handle, which detaches the task when dropped.
    pub fn detach(mut self) -> JoinHandle<T> {
        match self.handle.take() {
            Some(h) => h,
            None => unreachable!("AbortOnDrop::detach consumes it"),
        }
    }
}

impl<T> Future for AbortOnDrop<T> {
    type Output = Result<T, JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.handle {
            Some(h) => Pin::new(h).poll(cx),
            None => unreachable!("AbortOnDrop polled after detach consumed it"),
        }
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        if let Some(h) = &self.handle {
            h.abort();
        }
    }
}

impl<T> fmt::Debug for AbortOnDrop<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AbortOnDrop")
            .field("id", &self.id())
            .field("finished", &self.is_finished())
            .finish()
    }
}

/// Cancels a task from any thread; does not give its result.
pub struct AbortHandle {
    raw: NonNull<Header>,
}

// SAFETY: an AbortHandle only touches the header's atomics (state, refs) and
// schedules through the loop's thread-safe remote queue. When it drops the
// last reference, the task is complete (the registry holds one until then),
// so only the cell's memory and Send parts are freed on this thread.
unsafe impl Send for AbortHandle {}
// SAFETY: all its methods take &self and use only atomics, as above.
unsafe impl Sync for AbortHandle {}

impl AbortHandle {
    /// Cancels the task, as [`JoinHandle::abort`].
    pub fn abort(&self) {
        abort(self.raw);
    }

    /// True once the task has finished.
    pub fn is_finished(&self) -> bool {
        // SAFETY: the handle owns a reference.
        unsafe { self.raw.as_ref() }.state.load(Ordering::Acquire) & COMPLETE != 0
    }

    /// The task's id.
    pub fn id(&self) -> TaskId {
        // SAFETY: the handle owns a reference.
        unsafe { self.raw.as_ref() }.id
    }
}

impl Clone for AbortHandle {
    fn clone(&self) -> Self {
        // SAFETY: we hold a reference; the new one goes to the clone.
        unsafe { inc_ref(self.raw) };
        AbortHandle { raw: self.raw }
    }
}

impl Drop for AbortHandle {
    fn drop(&mut self) {
        // SAFETY: the handle's own reference.
        unsafe { drop_ref(self.raw) };
    }
}

impl fmt::Debug for AbortHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AbortHandle")
            .field("id", &self.id())
            .finish()
    }
}
