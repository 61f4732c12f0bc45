//! Who a task is: its id, name and the place it was spawned, as errors,
//! reports and dumps name it.

use std::fmt;
use std::panic::Location;

use super::raw::Header;
use super::TaskId;

/// A task's identity: id, name and spawn location (the `file:line:column`
/// of the `spawn` call, recorded through `#[track_caller]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskIdentity {
    /// The task's id.
    pub id: TaskId,
    /// Its name: the one given to [`Builder::name`](super::Builder::name),
    /// or `Task-<id>`.
    pub name: String,
    /// Where it was spawned.
    pub location: &'static Location<'static>,
}

impl TaskIdentity {
    pub(crate) fn of(h: &Header) -> TaskIdentity {
        TaskIdentity {
            id: h.id,
            name: super::display_name(h),
            location: h.location,
        }
    }
}

impl fmt::Display for TaskIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "task '{}' (id {}, spawned at {})",
            self.name, self.id, self.location
        )
    }
}
