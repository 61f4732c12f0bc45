//! The errors of a task group: what failed it, why a spawn was refused, and
//! what a child's handle reports.

use std::any::Any;
use std::fmt;
use std::io;

/// One failure inside a [`TaskGroup`](super::TaskGroup): an error returned
/// by a child or by the body, or a child's panic.
pub enum Failure<E> {
    /// A child or the body returned `Err`.
    Error(E),
    /// A child panicked; the payload is kept to re-raise it with
    /// `std::panic::resume_unwind`.
    Panic(Box<dyn Any + Send + 'static>),
}

impl<E> Failure<E> {
    /// The error, when this failure is one.
    pub fn error(&self) -> Option<&E> {
        match self {
            Failure::Error(e) => Some(e),
            Failure::Panic(_) => None,
        }
    }

    /// The panic message, when this failure is a panic with a string.
    pub fn panic_message(&self) -> Option<&str> {
        match self {
            Failure::Panic(p) => Some(panic_message(&**p)),
            Failure::Error(_) => None,
        }
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "(a panic payload that is not a string)"
    }
}

impl<E: fmt::Debug> fmt::Debug for Failure<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Error(e) => f.debug_tuple("Error").field(e).finish(),
            Failure::Panic(p) => f.debug_tuple("Panic").field(&panic_message(&**p)).finish(),
        }
    }
}

impl<E: fmt::Display> fmt::Display for Failure<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Error(e) => e.fmt(f),
            Failure::Panic(p) => write!(f, "task panicked: {}", panic_message(&**p)),
        }
    }
}

/// Every failure of a [`TaskGroup`](super::TaskGroup), in the order they
/// happened (asyncio's `ExceptionGroup`). The first is the one that made
/// the group cancel the rest; more than one means several failed in the same
/// turn of the loop, before the cancellation reached them.
pub struct GroupError<E> {
    pub(super) failures: Vec<Failure<E>>,
}

impl<E> GroupError<E> {
    /// The failures, first first.
    pub fn failures(&self) -> &[Failure<E>] {
        &self.failures
    }

    /// The failures, owned.
    pub fn into_failures(self) -> Vec<Failure<E>> {
        self.failures
    }

    /// The errors returned (panics left out), first first.
    pub fn errors(&self) -> impl Iterator<Item = &E> {
        self.failures.iter().filter_map(Failure::error)
    }

    /// The failure that set the cancellation off.
    pub fn first(&self) -> Option<&Failure<E>> {
        self.failures.first()
    }

    /// How many failures there were.
    pub fn len(&self) -> usize {
        self.failures.len()
    }

    /// True when there were none (a group never returns such an error).
    pub fn is_empty(&self) -> bool {
        self.failures.is_empty()
    }
}

impl<E: fmt::Debug> fmt::Debug for GroupError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GroupError")
            .field("failures", &self.failures)
            .finish()
    }
}

impl<E: fmt::Display> fmt::Display for GroupError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.failures.len();
        write!(
            f,
            "{n} failure{} in a task group",
            if n == 1 { "" } else { "s" }
        )?;
        for (i, failure) in self.failures.iter().enumerate() {
            write!(f, "{}{failure}", if i == 0 { ": " } else { "; " })?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for GroupError<E> {}

/// Why [`TaskGroup::spawn`](super::TaskGroup::spawn) refused a task; the
/// future was dropped without being polled.
#[derive(Debug)]
pub enum SpawnError {
    /// The group is cancelling: a child or the body failed.
    Aborted,
    /// The group has finished; it takes no more tasks.
    Closed,
    /// No ringio loop runs on this thread.
    NoRuntime(io::Error),
}

impl fmt::Display for SpawnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpawnError::Aborted => {
                f.write_str("the task group is cancelling after a failure; it takes no new tasks")
            }
            SpawnError::Closed => f.write_str("the task group has finished; it takes no new tasks"),
            SpawnError::NoRuntime(e) => write!(f, "cannot spawn into the task group: {e}"),
        }
    }
}

impl std::error::Error for SpawnError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SpawnError::NoRuntime(e) => Some(e),
            _ => None,
        }
    }
}

impl From<SpawnError> for io::Error {
    fn from(e: SpawnError) -> io::Error {
        match e {
            SpawnError::NoRuntime(e) => e,
            other => io::Error::other(other),
        }
    }
}

impl From<SpawnError> for String {
    fn from(e: SpawnError) -> String {
        e.to_string()
    }
}

/// Why a [`ChildHandle`](super::ChildHandle) gives no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildError {
    /// The child was aborted: by hand, or by its group cancelling.
    Cancelled,
    /// The child returned `Err` or panicked; the failure itself went to the
    /// group's [`GroupError`].
    Failed,
}

impl fmt::Display for ChildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChildError::Cancelled => f.write_str("the task was cancelled before it finished"),
            ChildError::Failed => f.write_str("the task failed; its error is in the group's error"),
        }
    }
}

impl std::error::Error for ChildError {}
