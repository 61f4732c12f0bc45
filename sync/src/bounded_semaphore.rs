//! [`BoundedSemaphore`]: a semaphore that refuses to grow past its initial count.

use std::fmt;

use crate::semaphore::{Acquire, Semaphore, SemaphorePermit, TryAcquireError};

/// A [`Semaphore`] whose count never exceeds the value it started with
/// (asyncio's `BoundedSemaphore`).
///
/// Permits from [`acquire`](BoundedSemaphore::acquire) return themselves when
/// dropped, which can never overflow. [`release`](BoundedSemaphore::release)
/// is asyncio's explicit `release()`, for permits taken with
/// [`SemaphorePermit::forget`]; releasing more than was taken is an error,
/// which is what catches the bug of releasing twice.
///
/// ```
/// # ringio::sync::block_on_for_doctests(async {
/// use ringio::sync::BoundedSemaphore;
///
/// let sem = BoundedSemaphore::new(1);
/// sem.acquire().await.forget();
/// assert!(sem.release().is_ok());
/// assert!(sem.release().is_err()); // would make 2 > 1 permits
/// # });
/// ```
pub struct BoundedSemaphore {
    semaphore: Semaphore,
    bound: usize,
}

impl BoundedSemaphore {
    /// A semaphore with `permits` permits, which is also its upper bound.
    pub fn new(permits: usize) -> Self {
        Self {
            semaphore: Semaphore::new(permits),
            bound: permits,
        }
    }

    /// Waits for one permit.
    pub fn acquire(&self) -> Acquire<'_> {
        self.semaphore.acquire()
    }

    /// Waits for `n` permits, taken together.
    pub fn acquire_many(&self, n: usize) -> Acquire<'_> {
        self.semaphore.acquire_many(n)
    }

    /// Takes one permit if one is free and nobody is waiting.
    pub fn try_acquire(&self) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        self.semaphore.try_acquire()
    }

    /// Gives back one permit taken earlier and forgotten.
    ///
    /// Fails, changing nothing, if that would make more permits free than
    /// the semaphore started with.
    pub fn release(&self) -> Result<(), BoundedSemaphoreOverflow> {
        if self.semaphore.release_bounded(1, self.bound) {
            Ok(())
        } else {
            Err(BoundedSemaphoreOverflow { bound: self.bound })
        }
    }

    /// How many permits are free right now.
    pub fn available_permits(&self) -> usize {
        self.semaphore.available_permits()
    }

    /// The initial count, which the free permits never exceed.
    pub fn bound(&self) -> usize {
        self.bound
    }

    /// Whether an `acquire` would have to wait (asyncio's `locked()`).
    pub fn is_locked(&self) -> bool {
        self.semaphore.is_locked()
    }
}

impl fmt::Debug for BoundedSemaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoundedSemaphore")
            .field("permits", &self.available_permits())
            .field("bound", &self.bound)
            .finish()
    }
}

/// [`BoundedSemaphore::release`] would have pushed the count past its bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoundedSemaphoreOverflow {
    bound: usize,
}

impl BoundedSemaphoreOverflow {
    /// The semaphore's bound.
    pub fn bound(&self) -> usize {
        self.bound
    }
}

impl fmt::Display for BoundedSemaphoreOverflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "BoundedSemaphore released too many times: all {} permits are already free; \
             release only permits that were acquired and forgotten",
            self.bound
        )
    }
}

impl std::error::Error for BoundedSemaphoreOverflow {}
