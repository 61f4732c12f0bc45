//! `JoinError`: why a task produced no value, and which task it was.

use std::any::Any;
use std::fmt;
use std::io;
use std::panic::Location;

use super::contain::panic_message;
use super::identity::TaskIdentity;
use super::raw::Header;
use super::TaskId;

/// Why a task produced no value (it was cancelled, or it panicked), and
/// which task it was: its id, name and spawn location are shown by
/// `Display` and returned by [`id`](JoinError::id),
/// [`name`](JoinError::name) and [`location`](JoinError::location).
///
/// ```
/// # ringio::run(async {
/// let h = ringio::task::Builder::new()
///     .name("worker")
///     .spawn(async { panic!("boom") })
///     .unwrap();
/// let err = h.await.unwrap_err();
/// assert!(err.is_panic());
/// assert_eq!(err.name(), Some("worker"));
/// assert!(err.to_string().starts_with("task 'worker' (id "), "{err}");
/// assert!(err.to_string().ends_with("panicked: boom"), "{err}");
/// # }).unwrap();
/// ```
pub struct JoinError(Box<Repr>);

/// Boxed, so that a task's `Result<T, JoinError>` stays small (one pointer
/// beside `T`): the error path pays the allocation, not every task.
struct Repr {
    kind: Kind,
    /// `None` only for a task that never existed (a [`LoopHandle`] spawn
    /// whose loop closed before the task was made).
    ///
    /// [`LoopHandle`]: crate::LoopHandle
    task: Option<TaskIdentity>,
}

enum Kind {
    Cancelled,
    Panic(Box<dyn Any + Send + 'static>),
}

impl JoinError {
    pub(crate) fn cancelled(h: &Header) -> JoinError {
        JoinError(Box::new(Repr {
            kind: Kind::Cancelled,
            task: Some(TaskIdentity::of(h)),
        }))
    }

    pub(crate) fn panic(h: &Header, payload: Box<dyn Any + Send + 'static>) -> JoinError {
        JoinError(Box::new(Repr {
            kind: Kind::Panic(payload),
            task: Some(TaskIdentity::of(h)),
        }))
    }

    /// Cancelled before a task was ever made for it.
    pub(crate) fn cancelled_unborn() -> JoinError {
        JoinError(Box::new(Repr {
            kind: Kind::Cancelled,
            task: None,
        }))
    }

    /// True when the task was aborted or its loop shut down.
    pub fn is_cancelled(&self) -> bool {
        matches!(self.0.kind, Kind::Cancelled)
    }

    /// True when the task panicked.
    pub fn is_panic(&self) -> bool {
        matches!(self.0.kind, Kind::Panic(_))
    }

    /// The panic payload, to re-raise it with `std::panic::resume_unwind`.
    /// Returns `Err(self)` when the task was cancelled.
    pub fn try_into_panic(self) -> Result<Box<dyn Any + Send + 'static>, JoinError> {
        match self.0.kind {
            Kind::Panic(p) => Ok(p),
            Kind::Cancelled => Err(JoinError(Box::new(Repr {
                kind: Kind::Cancelled,
                task: self.0.task,
            }))),
        }
    }

    /// The panic message, when the task panicked with a string.
    pub fn panic_message(&self) -> Option<&str> {
        match &self.0.kind {
            Kind::Panic(p) => Some(panic_message(&**p)),
            Kind::Cancelled => None,
        }
    }

    /// The task's id (`None` only when the loop closed before the task of a
    /// [`LoopHandle::spawn`](crate::LoopHandle::spawn) was made).
    pub fn id(&self) -> Option<TaskId> {
        self.0.task.as_ref().map(|t| t.id)
    }

    /// The task's name (as [`id`](JoinError::id)).
    pub fn name(&self) -> Option<&str> {
        self.0.task.as_ref().map(|t| t.name.as_str())
    }

    /// Where the task was spawned (as [`id`](JoinError::id)).
    pub fn location(&self) -> Option<&'static Location<'static>> {
        self.0.task.as_ref().map(|t| t.location)
    }

    /// The task's identity, all three together.
    pub fn task(&self) -> Option<&TaskIdentity> {
        self.0.task.as_ref()
    }
}

impl fmt::Debug for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("JoinError");
        match &self.0.kind {
            Kind::Cancelled => d.field("cancelled", &true),
            Kind::Panic(p) => d.field("panic", &panic_message(&**p)),
        };
        if let Some(t) = &self.0.task {
            d.field("id", &t.id)
                .field("name", &t.name)
                .field("location", &format_args!("{}", t.location));
        }
        d.finish()
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.task {
            Some(t) => write!(f, "{t} ")?,
            None => f.write_str("task ")?,
        }
        match &self.0.kind {
            Kind::Cancelled => f.write_str("was cancelled before it finished"),
            Kind::Panic(p) => write!(f, "panicked: {}", panic_message(&**p)),
        }
    }
}

impl std::error::Error for JoinError {}

impl From<JoinError> for io::Error {
    fn from(e: JoinError) -> io::Error {
        io::Error::other(e.to_string())
    }
}
