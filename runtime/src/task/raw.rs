//! The task cell: one allocation holding the header, the future and then its
//! output, reached through a type-erased vtable. See the module docs of
//! [`crate::task`] for the states and the soundness argument.

use std::cell::{Cell, UnsafeCell};
use std::future::Future;
use std::mem;
use std::panic::Location;
use std::pin::Pin;
use std::ptr::NonNull;
use std::sync::atomic::{fence, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use super::contain::{call_catching, drop_catching, report};
use super::join_error::JoinError;
use super::waker::waker_ref;
use super::TaskId;
use crate::shared::Shared;

/// In the run queue (or about to be): a wake while set does nothing.
pub(crate) const SCHEDULED: usize = 1;
/// The stage has left `Running`; the future is gone.
pub(crate) const COMPLETE: usize = 2;
/// `abort()` was called: the next time the loop picks the task up it drops it.
pub(crate) const CANCELLED: usize = 4;
/// The `JoinHandle` is alive (owner thread only changes this bit).
pub(crate) const JOIN_HANDLE: usize = 8;

/// Functions of one concrete `Cell<F>`.
pub(crate) struct Vtable {
    /// Polls the future; true when the stage has left `Running`.
    poll: unsafe fn(NonNull<Header>) -> bool,
    /// Drops the future and stores a cancelled `JoinError`.
    cancel: unsafe fn(NonNull<Header>),
    /// Moves a finished output into `*mut Poll<Result<T, JoinError>>`.
    read_output: unsafe fn(NonNull<Header>, *mut ()),
    /// Drops a finished output nobody will read.
    drop_output: unsafe fn(NonNull<Header>),
    /// Frees the cell.
    dealloc: unsafe fn(NonNull<Header>),
}

/// The type-independent part of a task; first field of every cell.
#[repr(C)]
pub(crate) struct Header {
    /// SCHEDULED | COMPLETE | CANCELLED | JOIN_HANDLE. Any thread.
    pub(crate) state: AtomicUsize,
    /// Number of `TaskRef`s, wakers, `JoinHandle` and `AbortHandle`s. Any thread.
    refs: AtomicUsize,
    vtable: &'static Vtable,
    /// The owning loop's cross-thread half: where foreign wakes go. Read-only.
    pub(crate) shared: Arc<Shared>,
    /// Read-only.
    pub(crate) id: TaskId,
    /// Read-only.
    pub(crate) name: Option<Box<str>>,
    /// Where the task was spawned (`#[track_caller]`). Read-only.
    pub(crate) location: &'static Location<'static>,
    /// When it was spawned: nanoseconds since the executor's epoch, by the
    /// loop's clock (see `Executor::clock`). Read-only.
    pub(crate) spawned: u64,
    /// Key in the executor's registry. Owner thread only.
    pub(crate) registry_key: Cell<usize>,
    /// Waker of whoever awaits the `JoinHandle`. Owner thread only.
    pub(crate) join_waker: UnsafeCell<Option<Waker>>,
}

enum Stage<F: Future> {
    Running(F),
    Finished(Result<F::Output, JoinError>),
    Consumed,
}

#[repr(C)]
struct TaskCell<F: Future> {
    header: Header,
    /// Owner thread only.
    stage: UnsafeCell<Stage<F>>,
}

/// What a new task is: its id, name, spawn location and time.
pub(crate) struct Birth {
    pub(crate) id: TaskId,
    pub(crate) name: Option<Box<str>>,
    pub(crate) location: &'static Location<'static>,
    pub(crate) spawned: u64,
}

/// How the cell of a task of future type `F` behaves.
pub(crate) trait CellKind<F: Future + 'static> {
    /// The cell's functions.
    fn vtable() -> &'static Vtable;
}

/// A plain task: its output is dropped unread silently (a panic in it is
/// reported).
pub(crate) struct Plain;

/// A task whose output is a `Result`: an `Err` dropped unread is reported
/// too (`task::Builder::spawn_fallible`).
pub(crate) struct Fallible;

impl<F: Future + 'static> CellKind<F> for Plain {
    fn vtable() -> &'static Vtable {
        &TaskCell::<F>::VTABLE
    }
}

impl<F, T, E> CellKind<F> for Fallible
where
    F: Future<Output = Result<T, E>> + 'static,
    E: std::fmt::Display,
{
    fn vtable() -> &'static Vtable {
        &TaskCell::<F>::FALLIBLE_VTABLE
    }
}

/// Allocates a task for `future`, scheduled, with three references: the
/// registry's, the run queue's and the `JoinHandle`'s.
pub(crate) fn allocate<F: Future + 'static, K: CellKind<F>>(
    future: F,
    birth: Birth,
    shared: Arc<Shared>,
) -> NonNull<Header> {
    let Birth {
        id,
        name,
        location,
        spawned,
    } = birth;
    let cell = Box::new(TaskCell {
        header: Header {
            state: AtomicUsize::new(SCHEDULED | JOIN_HANDLE),
            refs: AtomicUsize::new(3),
            vtable: K::vtable(),
            shared,
            id,
            name,
            location,
            spawned,
            registry_key: Cell::new(usize::MAX),
            join_waker: UnsafeCell::new(None),
        },
        stage: UnsafeCell::new(Stage::Running(future)),
    });
    NonNull::from(Box::leak(cell)).cast()
}

impl<F: Future + 'static> TaskCell<F> {
    const VTABLE: Vtable = Vtable {
        poll: Self::poll,
        cancel: Self::cancel,
        read_output: Self::read_output,
        drop_output: Self::drop_output,
        dealloc: Self::dealloc,
    };

    /// # Safety
    ///
    /// `ptr` is a live `TaskCell<F>` (the header is its first field, repr(C)).
    unsafe fn stage<'a>(ptr: NonNull<Header>) -> &'a mut Stage<F> {
        // SAFETY: the caller guarantees the cell type; the stage is only
        // touched on the owner thread and never re-entrantly (see task docs).
        unsafe { &mut *ptr.cast::<TaskCell<F>>().as_ref().stage.get() }
    }

    /// # Safety
    ///
    /// Owner thread, `ptr` a live `TaskCell<F>`, not re-entered.
    unsafe fn poll(ptr: NonNull<Header>) -> bool {
        // SAFETY: forwarded from the caller.
        let stage = unsafe { Self::stage(ptr) };
        let Stage::Running(future) = stage else {
            return true;
        };
        // SAFETY: the waker borrows the task's reference; the header lives
        // at least as long as this call.
        let waker = unsafe { waker_ref(ptr) };
        let mut cx = Context::from_waker(&waker);
        // SAFETY: the future lives inside a heap cell that never moves
        // until it is dropped in place below or in `cancel`.
        let pinned = unsafe { Pin::new_unchecked(future) };
        let result = call_catching(|| pinned.poll(&mut cx));
        if let Ok(Poll::Pending) = result {
            return false;
        }
        // SAFETY: the header lives at least as long as this call.
        let aborted = unsafe { ptr.as_ref() }.state.load(Ordering::Acquire) & CANCELLED != 0;
        let finished = match result {
            Ok(Poll::Pending) => return false,
            // Aborted during this very poll (by itself, or from another
            // thread): it ends cancelled and the output is dropped, as
            // asyncio discards the result of a task cancelled during its
            // last step.
            Ok(Poll::Ready(output)) if aborted => {
                if let Err(p) = drop_catching(output) {
                    report("the destructor of a cancelled task's output", p);
                }
                // SAFETY: the header outlives this call.
                Err(JoinError::cancelled(unsafe { ptr.as_ref() }))
            }
            Ok(Poll::Ready(output)) => Ok(output),
            // SAFETY: the header outlives this call.
            Err(payload) => Err(JoinError::panic(unsafe { ptr.as_ref() }, payload)),
        };
        // The output (or the poll's panic) stands; a panic in the finished
        // future's destructor is reported, as tokio does.
        if let Err(p) = take_future(stage) {
            report("a finished task's destructor", p);
        }
        *stage = Stage::Finished(finished);
        true
    }

    /// # Safety
    ///
    /// Owner thread, `ptr` a live `TaskCell<F>`.
    unsafe fn cancel(ptr: NonNull<Header>) {
        // SAFETY: forwarded from the caller.
        let stage = unsafe { Self::stage(ptr) };
        if matches!(stage, Stage::Running(_)) {
            // A panic in the destructor of a cancelled task is its result.
            // SAFETY: the header outlives this call.
            let header = unsafe { ptr.as_ref() };
            // The tasks it was awaiting are cancelled with it, as asyncio's.
            let out = match super::propagate::cancelling(|| take_future(stage)) {
                Ok(()) => JoinError::cancelled(header),
                Err(p) => JoinError::panic(header, p),
            };
            *stage = Stage::Finished(Err(out));
        }
    }

    /// # Safety
    ///
    /// Owner thread, `ptr` a live `TaskCell<F>`, `dst` a valid
    /// `*mut Poll<Result<F::Output, JoinError>>`.
    unsafe fn read_output(ptr: NonNull<Header>, dst: *mut ()) {
        // SAFETY: forwarded from the caller.
        let stage = unsafe { Self::stage(ptr) };
        if let Stage::Finished(_) = stage {
            if let Stage::Finished(out) = mem::replace(stage, Stage::Consumed) {
                // SAFETY: the caller passes a pointer of exactly this type
                // (JoinHandle<T> is only made for a cell whose output is T).
                unsafe { *dst.cast::<Poll<Result<F::Output, JoinError>>>() = Poll::Ready(out) };
            }
        }
    }

    /// # Safety
    ///
    /// Owner thread, `ptr` a live `TaskCell<F>`.
    unsafe fn drop_output(ptr: NonNull<Header>) {
        // SAFETY: forwarded from the caller.
        let stage = unsafe { Self::stage(ptr) };
        if let Stage::Finished(out) = mem::replace(stage, Stage::Consumed) {
            if let Err(e) = &out {
                if e.is_panic() {
                    // SAFETY: the header outlives this call.
                    let header = unsafe { ptr.as_ref() };
                    crate::unhandled::report_unretrieved_panic(header, e);
                }
            }
            if let Err(p) = drop_catching(out) {
                report("the destructor of a task's unread output", p);
            }
        }
    }

    /// # Safety
    ///
    /// The last reference is gone and `ptr` is a live `TaskCell<F>` whose
    /// stage is not `Running` (or the thread is the owner).
    unsafe fn dealloc(ptr: NonNull<Header>) {
        // SAFETY: the cell was made by `Box::leak` in `allocate` with this type.
        drop(unsafe { Box::from_raw(ptr.cast::<TaskCell<F>>().as_ptr()) });
    }
}

impl<F, T, E> TaskCell<F>
where
    F: Future<Output = Result<T, E>> + 'static,
    E: std::fmt::Display,
{
    const FALLIBLE_VTABLE: Vtable = Vtable {
        drop_output: Self::drop_output_fallible,
        ..Self::VTABLE
    };

    /// As `drop_output`, reporting an `Err` output nobody read.
    ///
    /// # Safety
    ///
    /// Owner thread, `ptr` a live `TaskCell<F>`.
    unsafe fn drop_output_fallible(ptr: NonNull<Header>) {
        // SAFETY: forwarded from the caller.
        let stage = unsafe { Self::stage(ptr) };
        if let Stage::Finished(Ok(Err(e))) = stage {
            // The error's Display is user code: contained.
            if let Ok(message) = call_catching(|| e.to_string()) {
                // SAFETY: the header outlives this call.
                crate::unhandled::report_unretrieved_error(unsafe { ptr.as_ref() }, message);
            }
        }
        // SAFETY: forwarded from the caller.
        unsafe { Self::drop_output(ptr) }
    }
}

/// Drops a `Running` stage's future in place, leaving `Consumed`; a panic
/// in its destructor is caught and returned (never unwinds into the loop).
///
/// The future is pinned, so it is dropped where it lies (never moved out
/// first): the assignment drops the old value in place, and if that drop
/// unwinds, the new value is still written.
fn take_future<F: Future>(stage: &mut Stage<F>) -> Result<(), super::contain::Payload> {
    call_catching(|| *stage = Stage::Consumed)
}

/// Adds a reference.
///
/// # Safety
///
/// `ptr` is a live task (the caller holds a reference).
pub(crate) unsafe fn inc_ref(ptr: NonNull<Header>) {
    // SAFETY: the caller holds a reference, so the header is alive.
    let old = unsafe { ptr.as_ref() }.refs.fetch_add(1, Ordering::Relaxed);
    if old > isize::MAX as usize {
        std::process::abort();
    }
}

/// Drops a reference, freeing the cell with the last one.
///
/// # Safety
///
/// The caller gives up one reference it owns.
pub(crate) unsafe fn drop_ref(ptr: NonNull<Header>) {
    // SAFETY: the caller's reference keeps the header alive until here.
    let header = unsafe { ptr.as_ref() };
    if header.refs.fetch_sub(1, Ordering::Release) == 1 {
        fence(Ordering::Acquire);
        let vtable = header.vtable;
        // SAFETY: that was the last reference; by the task invariants the
        // stage is no longer Running unless this is the owner thread.
        unsafe { (vtable.dealloc)(ptr) };
    }
}

/// An owned reference to a task, used by the run queue and the registry.
pub(crate) struct TaskRef {
    ptr: NonNull<Header>,
}

impl TaskRef {
    /// # Safety
    ///
    /// The caller transfers one reference it owns to the new `TaskRef`.
    pub(crate) unsafe fn from_raw(ptr: NonNull<Header>) -> TaskRef {
        TaskRef { ptr }
    }

    pub(crate) fn ptr(&self) -> NonNull<Header> {
        self.ptr
    }

    pub(crate) fn header(&self) -> &Header {
        // SAFETY: a TaskRef owns a reference, so the header is alive.
        unsafe { self.ptr.as_ref() }
    }

    /// Polls the task. Owner thread only; true when it finished.
    pub(crate) fn poll(&self) -> bool {
        // SAFETY: TaskRefs are only polled by the owner loop (run queue),
        // never re-entrantly: a task is never in two places of the loop.
        unsafe { (self.header().vtable.poll)(self.ptr) }
    }

    /// Drops the future, recording cancellation. Owner thread only.
    pub(crate) fn cancel(&self) {
        // SAFETY: as for poll.
        unsafe { (self.header().vtable.cancel)(self.ptr) }
    }

    /// Drops an output nobody will read. Owner thread only.
    pub(crate) fn drop_output(&self) {
        // SAFETY: as for poll.
        unsafe { (self.header().vtable.drop_output)(self.ptr) }
    }
}

impl Drop for TaskRef {
    fn drop(&mut self) {
        // SAFETY: a TaskRef owns exactly one reference.
        unsafe { drop_ref(self.ptr) }
    }
}

impl Header {
    /// Reads a finished output into `dst`. Owner thread only.
    ///
    /// # Safety
    ///
    /// `dst` points to a `Poll<Result<T, JoinError>>` where `T` is this
    /// task's output type.
    pub(crate) unsafe fn read_output(&self, dst: *mut ()) {
        let ptr = NonNull::from(self);
        // SAFETY: forwarded from the caller.
        unsafe { (self.vtable.read_output)(ptr, dst) }
    }

    /// Drops a finished output. Owner thread only.
    pub(crate) fn drop_output(&self) {
        // SAFETY: owner thread (the callers are !Send types).
        unsafe { (self.vtable.drop_output)(NonNull::from(self)) }
    }
}
