//! Wakers of tasks: a pointer to the task header, one reference each.
//!
//! A wake on the loop's own thread (while it runs) pushes the task onto the
//! local run queue; from anywhere else it goes through the loop's remote
//! queue and wakes the ring (see [`crate::shared`]).

use std::mem::ManuallyDrop;
use std::ptr::NonNull;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{RawWaker, RawWakerVTable, Waker};

use super::raw::{drop_ref, inc_ref, Header, TaskRef, COMPLETE, SCHEDULED};
use super::TaskId;
use crate::context;

static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop_waker);

/// A waker borrowing the caller's reference (no count change).
///
/// # Safety
///
/// `ptr` is a live task and the returned value does not outlive the
/// reference the caller holds.
pub(crate) unsafe fn waker_ref(ptr: NonNull<Header>) -> ManuallyDrop<Waker> {
    // SAFETY: the vtable functions below uphold RawWaker's contract for a
    // header pointer; ManuallyDrop keeps the borrowed reference uncounted.
    ManuallyDrop::new(unsafe { Waker::from_raw(RawWaker::new(ptr.as_ptr().cast(), &VTABLE)) })
}

unsafe fn clone(data: *const ()) -> RawWaker {
    // SAFETY: `data` is a header pointer of a live waker.
    unsafe { inc_ref(NonNull::new_unchecked(data as *mut Header)) };
    RawWaker::new(data, &VTABLE)
}

unsafe fn wake(data: *const ()) {
    // SAFETY: `data` is a header pointer of a live waker, which owns a
    // reference that this consuming wake gives up afterwards.
    unsafe {
        wake_by_ref(data);
        drop_waker(data);
    }
}

unsafe fn wake_by_ref(data: *const ()) {
    // SAFETY: `data` is a header pointer of a live waker.
    let ptr = unsafe { NonNull::new_unchecked(data as *mut Header) };
    schedule(ptr);
}

unsafe fn drop_waker(data: *const ()) {
    // SAFETY: the waker owned one reference.
    unsafe { drop_ref(NonNull::new_unchecked(data as *mut Header)) };
}

/// The task a waker wakes, when it is a ringio task's own waker (not one
/// made by a combinator or another executor).
pub(crate) fn task_of(waker: &Waker) -> Option<TaskId> {
    if !std::ptr::eq(waker.vtable(), &VTABLE) {
        return None;
    }
    // SAFETY: a waker with this vtable holds a reference to the task whose
    // header its data points to, alive while the waker is.
    Some(unsafe { &*waker.data().cast::<Header>() }.id)
}

/// Queues the task unless it is queued already or finished.
pub(crate) fn schedule(ptr: NonNull<Header>) {
    // SAFETY: callers hold a reference to the task.
    let header = unsafe { ptr.as_ref() };
    let prev = header.state.fetch_or(SCHEDULED, Ordering::AcqRel);
    if prev & (SCHEDULED | COMPLETE) != 0 {
        return;
    }
    // SAFETY: the header is alive (see above); the new reference is handed
    // to the queue through `TaskRef::from_raw`.
    let task = unsafe {
        inc_ref(ptr);
        TaskRef::from_raw(ptr)
    };
    let local = context::with_current(|cur| match cur {
        Some(handle) if Arc::ptr_eq(&handle.shared, &header.shared) => {
            handle.exec.push(task);
            None
        }
        _ => Some(task),
    });
    if let Some(task) = local {
        header.shared.push_remote(task);
    }
}
