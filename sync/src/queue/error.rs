//! The errors of the queues, named as asyncio names them.

use std::fmt;

/// `get_nowait` found the queue empty (asyncio's `QueueEmpty`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueEmpty;

impl fmt::Display for QueueEmpty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the queue is empty; await `get()` to wait for an item")
    }
}

impl std::error::Error for QueueEmpty {}

/// `put_nowait` found the queue full (asyncio's `QueueFull`); holds the item
/// that was not put.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct QueueFull<T>(pub T);

impl<T> QueueFull<T> {
    /// The item that was not put.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for QueueFull<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("QueueFull(..)")
    }
}

impl<T> fmt::Display for QueueFull<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the queue is full (the item is handed back); await `put()` to wait for room")
    }
}

impl<T> std::error::Error for QueueFull<T> {}

/// The queue was shut down (asyncio 3.13's `QueueShutDown`).
///
/// From `put`, it holds the item that was not put; from `get`, it holds `()`
/// and means the queue is shut down and has no items left.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueShutDown<T = ()>(pub T);

impl<T> QueueShutDown<T> {
    /// The item that was not put (`()` for a get).
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for QueueShutDown<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("QueueShutDown(..)")
    }
}

impl<T> fmt::Display for QueueShutDown<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "the queue is shut down: puts are refused and gets fail once it is empty; \
             stop using it, or create a new queue",
        )
    }
}

impl<T> std::error::Error for QueueShutDown<T> {}

/// Why `put_nowait` did not put the item; either way the item is handed back.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TryPutError<T> {
    /// The queue is full.
    Full(QueueFull<T>),
    /// The queue is shut down.
    ShutDown(QueueShutDown<T>),
}

impl<T> TryPutError<T> {
    /// The item that was not put.
    pub fn into_inner(self) -> T {
        match self {
            TryPutError::Full(QueueFull(item)) | TryPutError::ShutDown(QueueShutDown(item)) => item,
        }
    }

    /// Whether the queue was full (as opposed to shut down).
    pub fn is_full(&self) -> bool {
        matches!(self, TryPutError::Full(_))
    }
}

impl<T> From<QueueFull<T>> for TryPutError<T> {
    fn from(error: QueueFull<T>) -> Self {
        TryPutError::Full(error)
    }
}

impl<T> From<QueueShutDown<T>> for TryPutError<T> {
    fn from(error: QueueShutDown<T>) -> Self {
        TryPutError::ShutDown(error)
    }
}

impl<T> fmt::Debug for TryPutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryPutError::Full(error) => f.debug_tuple("Full").field(error).finish(),
            TryPutError::ShutDown(error) => f.debug_tuple("ShutDown").field(error).finish(),
        }
    }
}

impl<T> fmt::Display for TryPutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryPutError::Full(error) => error.fmt(f),
            TryPutError::ShutDown(error) => error.fmt(f),
        }
    }
}

impl<T> std::error::Error for TryPutError<T> {}

/// Why `get_nowait` returned no item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryGetError {
    /// The queue is empty.
    Empty(QueueEmpty),
    /// The queue is shut down and empty.
    ShutDown(QueueShutDown),
}

impl TryGetError {
    /// Whether the queue was merely empty (as opposed to shut down).
    pub fn is_empty(&self) -> bool {
        matches!(self, TryGetError::Empty(_))
    }
}

impl From<QueueEmpty> for TryGetError {
    fn from(error: QueueEmpty) -> Self {
        TryGetError::Empty(error)
    }
}

impl From<QueueShutDown> for TryGetError {
    fn from(error: QueueShutDown) -> Self {
        TryGetError::ShutDown(error)
    }
}

impl fmt::Display for TryGetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryGetError::Empty(error) => error.fmt(f),
            TryGetError::ShutDown(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for TryGetError {}

/// `task_done` was called more times than items were put (asyncio raises
/// `ValueError` here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TaskDoneError;

impl fmt::Display for TaskDoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "task_done() called more times than there were items put: \
             call it exactly once per item taken with get()",
        )
    }
}

impl std::error::Error for TaskDoneError {}
