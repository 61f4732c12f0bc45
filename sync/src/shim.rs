//! The few `std::sync` items the crate uses, swapped for loom's under
//! `cfg(loom)` so that the model checker sees every lock the primitives take.
//!
//! Everything else in the crate imports `Mutex`, `Arc` and the atomics from
//! here, never from `std::sync` directly.

#[cfg(loom)]
pub(crate) use loom::sync::{
    atomic::{AtomicBool, AtomicUsize},
    Arc, Mutex, MutexGuard,
};
#[cfg(not(loom))]
pub(crate) use std::sync::{
    atomic::{AtomicBool, AtomicUsize},
    Arc, Mutex, MutexGuard,
};

/// Locks `mutex`, recovering the state if a previous holder panicked.
///
/// The state behind every mutex in this crate is valid at each point where a
/// panic could unwind: the only foreign code run under a lock is a waker's
/// `clone` and a priority queue item's `Ord`, and neither can leave the state
/// half-updated. So a poisoned mutex still holds valid state and the poison
/// flag is ignored instead of turning one panic into a panic in every task.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}
