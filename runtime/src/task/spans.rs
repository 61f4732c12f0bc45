//! `tracing` spans per task, following tokio-console's convention: a span
//! named `runtime.spawn` (target `tokio::task`, level TRACE) with the
//! fields `kind = "task"`, `task.id`, `task.name` and `loc.file`,
//! `loc.line`, `loc.col`, entered around each poll of the task.
//!
//! A span exists only when a subscriber wants it, and then lives in this
//! side table, not in the task cell: with no subscriber a spawn costs the
//! callsite's interest check and a poll nothing more than the executor's
//! one branch.

use std::cell::RefCell;
use std::collections::HashMap;
use std::panic::Location;

use super::contain::contain;
use super::TaskId;

/// The spans of the live tasks that have one.
#[derive(Debug, Default)]
pub(crate) struct TaskSpans {
    map: RefCell<HashMap<TaskId, tracing::Span>>,
}

impl TaskSpans {
    /// Makes the span of a new task; true if a subscriber took it (the
    /// executor then polls inside it). With nothing listening at TRACE,
    /// this is one atomic load and a compare.
    #[inline]
    pub(crate) fn spawned(
        &self,
        id: TaskId,
        name: Option<&str>,
        location: &'static Location<'static>,
    ) -> bool {
        tracing::level_enabled!(tracing::Level::TRACE) && self.make(id, name, location)
    }

    #[cold]
    fn make(&self, id: TaskId, name: Option<&str>, location: &'static Location<'static>) -> bool {
        let span = tracing::trace_span!(
            target: "tokio::task",
            "runtime.spawn",
            kind = "task",
            task.id = id.as_u64(),
            task.name = name.unwrap_or(""),
            loc.file = location.file(),
            loc.line = location.line(),
            loc.col = location.column(),
        );
        if span.is_none() {
            return false;
        }
        self.map.borrow_mut().insert(id, span);
        true
    }

    /// The span of task `id`, to enter around its poll.
    pub(crate) fn get(&self, id: TaskId) -> Option<tracing::Span> {
        self.map.borrow().get(&id).cloned()
    }

    /// The task ended: its span closes (subscriber code, contained).
    pub(crate) fn ended(&self, id: TaskId) {
        let span = self.map.borrow_mut().remove(&id);
        if let Some(span) = span {
            contain("closing a task's tracing span", || drop(span));
        }
    }
}
