//! The main task: the future given to `block_on` (asyncio's `run(main())`)
//! runs as a task of the loop, named `main`, scheduled through the same run
//! queue as the others and seen by `current_task()` and `all_tasks()`.
//!
//! `block_on` takes a future that may borrow from its caller and need not be
//! `Send`, while a task cell holds a `'static` future. The cell therefore
//! holds [`Borrowed`], a pointer to the future pinned on `block_on`'s stack
//! with its lifetime erased. What keeps that sound: the pointer is only
//! followed when the task is polled; the task is polled only while its stage
//! is `Running`; and [`MainTask`], which borrows the future for as long as
//! it lives, ends that stage (cancels the task on the spot, which drops
//! only the pointer) when it is dropped, before the borrow ends, whether
//! `block_on` returns or unwinds.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::ptr::NonNull;
use std::task::{Context, Poll, Waker};

use super::{JoinError, JoinHandle};
use crate::handle::Handle;

/// The main future with its lifetime erased (see the module docs).
struct Borrowed {
    future: NonNull<dyn Future<Output = ()>>,
}

impl Future for Borrowed {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // SAFETY: the pointee is pinned on block_on's stack and outlives
        // every poll (MainTask ends the task before the borrow ends); it is
        // only reached through this task, one poll at a time.
        let future = unsafe { Pin::new_unchecked(&mut *self.future.as_ptr()) };
        future.poll(cx)
    }
}

/// The main task of one `block_on` call; dropping it ends the task.
pub(crate) struct MainTask<'a> {
    handle: JoinHandle<()>,
    loop_handle: &'a Handle,
    _future: PhantomData<&'a mut ()>,
}

impl<'a> MainTask<'a> {
    /// Spawns `future` as the loop's task named `main`; its spawn location
    /// is the caller of `block_on` (or `run`).
    #[track_caller]
    pub(crate) fn start(
        loop_handle: &'a Handle,
        future: Pin<&'a mut (dyn Future<Output = ()> + 'a)>,
    ) -> MainTask<'a> {
        // SAFETY: the future is not moved (it stays pinned where it is);
        // only a pointer to it is taken.
        let ptr: *mut (dyn Future<Output = ()> + 'a) = unsafe { future.get_unchecked_mut() };
        // SAFETY: erases the lifetime of a fat pointer (same layout). The
        // pointer is followed only while the task runs, and `drop` below
        // ends the task before `'a` ends (see the module docs).
        let ptr: *mut (dyn Future<Output = ()> + 'static) = unsafe { std::mem::transmute(ptr) };
        let future = match NonNull::new(ptr) {
            Some(future) => future,
            None => unreachable!("a reference is never null"),
        };
        let handle = loop_handle.spawn(Borrowed { future }, Some("main".into()));
        MainTask {
            handle,
            loop_handle,
            _future: PhantomData,
        }
    }

    /// The task's end, once it has one: `Ok` when the future completed.
    pub(crate) fn end(&mut self) -> Option<Result<(), JoinError>> {
        if !self.handle.is_finished() {
            return None;
        }
        let mut cx = Context::from_waker(Waker::noop());
        match Pin::new(&mut self.handle).poll(&mut cx) {
            Poll::Ready(end) => Some(end),
            Poll::Pending => None,
        }
    }
}

impl Drop for MainTask<'_> {
    fn drop(&mut self) {
        // Ends the stage now (dropping only the pointer), so the task is
        // never polled once the borrowed future is gone.
        self.loop_handle.exec.end_now(self.handle.raw());
    }
}

impl std::fmt::Debug for MainTask<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MainTask")
            .field("id", &self.handle.id())
            .finish()
    }
}
