//! Which loop is running on this thread.

use std::cell::Cell;
use std::ptr;
use std::rc::Rc;

use crate::driver::op::DriverRef;
use crate::error::RuntimeError;
use crate::handle::Handle;

thread_local! {
    static CURRENT: Cell<*const Handle> = const { Cell::new(ptr::null()) };
}

/// Calls `f` with the loop running on this thread, if any.
pub(crate) fn with_current<R>(f: impl FnOnce(Option<&Handle>) -> R) -> R {
    let ptr = CURRENT.try_with(Cell::get).unwrap_or(ptr::null());
    // SAFETY: CURRENT is non-null only between `enter` and the drop of its
    // guard, which holds an `Rc<Handle>` keeping the pointee alive.
    f(unsafe { ptr.as_ref() })
}

/// A clone of the current loop's handle.
pub(crate) fn current() -> Option<Rc<Handle>> {
    let ptr = CURRENT.try_with(Cell::get).unwrap_or(ptr::null());
    if ptr.is_null() {
        return None;
    }
    // SAFETY: as in with_current, the pointee is a live `Rc<Handle>`
    // allocation (the pointer came from Rc::as_ptr); we add one strong count
    // for the Rc made here.
    unsafe {
        Rc::increment_strong_count(ptr);
        Some(Rc::from_raw(ptr))
    }
}

/// The driver of the loop running on this thread: what operations are
/// submitted to (the driver itself knows nothing of this context).
pub(crate) fn driver() -> Option<DriverRef> {
    with_current(|h| h.map(|h| h.driver.clone()))
}

/// True when a ringio loop is running on this thread.
pub(crate) fn is_running() -> bool {
    CURRENT.try_with(|c| !c.get().is_null()).unwrap_or(false)
}

/// Makes `handle` current until the guard drops.
pub(crate) struct EnterGuard {
    prev: *const Handle,
    _handle: Rc<Handle>,
}

/// Enters the loop for `block_on`: refused when one already runs here.
pub(crate) fn enter(handle: &Rc<Handle>) -> Result<EnterGuard, RuntimeError> {
    if is_running() {
        return Err(RuntimeError::AlreadyRunning);
    }
    Ok(enter_unchecked(handle))
}

/// Enters the loop even inside another (for shutdown, which must run the
/// dropped futures' destructors against their own loop).
pub(crate) fn enter_unchecked(handle: &Rc<Handle>) -> EnterGuard {
    let prev = CURRENT.with(|c| c.replace(Rc::as_ptr(handle)));
    EnterGuard {
        prev,
        _handle: handle.clone(),
    }
}

impl Drop for EnterGuard {
    fn drop(&mut self) {
        let _ = CURRENT.try_with(|c| c.set(self.prev));
    }
}
