//! `Finished`: one task's result as reported by `wait` and `as_completed`.

use std::fmt;

use super::{JoinError, TaskId};

/// A task that finished, with what awaiting its handle gave, as reported by
/// [`wait`](super::wait) and [`as_completed`](super::as_completed).
pub struct Finished<T> {
    /// The task's position in the handles given to the call that reported it.
    pub index: usize,
    /// The task's id.
    pub id: TaskId,
    /// Its value, or why it has none (cancelled or panicked).
    pub result: Result<T, JoinError>,
}

impl<T> Finished<T> {
    /// The task's value, or why it has none.
    pub fn into_result(self) -> Result<T, JoinError> {
        self.result
    }
}

impl<T: fmt::Debug> fmt::Debug for Finished<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Finished")
            .field("index", &self.index)
            .field("id", &self.id)
            .field("result", &self.result)
            .finish()
    }
}
