//! Errors nobody can retrieve any more, reported once and never dropped
//! silently (asyncio's "Task exception was never retrieved").
//!
//! These cases are reported:
//!
//! - a task panicked and its [`JoinHandle`](crate::JoinHandle) was dropped
//!   (detached) before the result was taken, or is dropped later without
//!   taking it: reported when the second of the two happens;
//! - a task spawned with `spawn_fallible` returned `Err`, and the same
//!   holds for its handle;
//! - a `start_server` handler (ringio-streams) returned an error or
//!   panicked: nobody awaits a handler, so the server reports it through
//!   [`report_unhandled`];
//! - any other code holding an error nobody will see can do the same.
//!
//! A task whose *output* is an `Err` is reported too when it was spawned
//! with [`task::Builder::spawn_fallible`](crate::task::Builder::spawn_fallible)
//! (or [`task::spawn_fallible`](crate::task::spawn_fallible)): its cell
//! has a destructor for unread outputs that looks at the `Result`. Plain
//! `spawn` knows nothing of its output type (looking would need
//! specialization), so it reports panics only and costs nothing more. An
//! `Err` returned by a child of a [`TaskGroup`](crate::task::TaskGroup) is
//! never lost: the group returns every failure.
//!
//! By default a report goes to `tracing` (an `error` event, target
//! `ringio`) when a subscriber is installed, and otherwise to stderr.
//! [`Builder::on_unhandled_error`](crate::Builder::on_unhandled_error)
//! replaces that, or turns it off.

use std::fmt;
use std::sync::Arc;

use crate::context;
use crate::report::{emit, Level};
use crate::task::contain::contain;
use crate::task::raw::Header;
use crate::task::{JoinError, TaskIdentity};

/// What went unretrieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnhandledKind {
    /// A panic.
    Panic,
    /// An error value (such as a `start_server` handler's `Err`).
    Error,
}

/// An error or panic nobody can retrieve any more, as given to the hook of
/// [`Builder::on_unhandled_error`](crate::Builder::on_unhandled_error).
#[derive(Debug, Clone)]
pub struct UnhandledError {
    task: Option<TaskIdentity>,
    kind: UnhandledKind,
    message: String,
}

impl UnhandledError {
    /// The failed task (`None` when reported from outside any task).
    pub fn task(&self) -> Option<&TaskIdentity> {
        self.task.as_ref()
    }

    /// A panic or an error value.
    pub fn kind(&self) -> UnhandledKind {
        self.kind
    }

    /// The panic's message, or the error's text.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.task {
            Some(t) => write!(f, "{t} ")?,
            None => f.write_str("the main future ")?,
        }
        match self.kind {
            UnhandledKind::Panic => write!(
                f,
                "panicked and nobody can retrieve the panic (no JoinHandle left): {}",
                self.message
            ),
            UnhandledKind::Error => write!(
                f,
                "failed and nobody can retrieve the error: {}",
                self.message
            ),
        }
    }
}

impl std::error::Error for UnhandledError {}

/// The hook of a loop, shared by its tasks (through `Shared`).
pub(crate) type Hook = Arc<dyn Fn(&UnhandledError) + Send + Sync + 'static>;

/// The default report: `tracing` when a subscriber listens, else stderr.
pub fn default_report(error: &UnhandledError) {
    emit(Level::Error, format_args!("{error}"));
}

fn deliver(hook: Option<&Hook>, error: &UnhandledError) {
    match hook {
        Some(hook) => contain("the unhandled-error hook", || hook(error)),
        None => default_report(error),
    }
}

/// A finished task's panic is dropped unread.
pub(crate) fn report_unretrieved_panic(h: &Header, e: &JoinError) {
    let error = UnhandledError {
        task: Some(TaskIdentity::of(h)),
        kind: UnhandledKind::Panic,
        message: e.panic_message().unwrap_or_default().to_owned(),
    };
    deliver(h.shared.unhandled_hook(), &error);
}

/// A finished fallible task's `Err` is dropped unread.
pub(crate) fn report_unretrieved_error(h: &Header, message: String) {
    let error = UnhandledError {
        task: Some(TaskIdentity::of(h)),
        kind: UnhandledKind::Error,
        message,
    };
    deliver(h.shared.unhandled_hook(), &error);
}

/// Reports an error or panic that nobody can retrieve, on behalf of the
/// task being polled (named in the report), through the loop's hook (see
/// [`Builder::on_unhandled_error`](crate::Builder::on_unhandled_error)) or
/// the default report. Outside a loop, the default report is used.
///
/// ```
/// use ringio::runtime::unhandled::{report_unhandled, UnhandledKind};
/// # ringio::run(async {
/// ringio::spawn(async {
///     // A detached task's error that no one awaits:
///     report_unhandled(UnhandledKind::Error, "config reload failed");
/// })
/// .await
/// .unwrap();
/// # }).unwrap();
/// ```
pub fn report_unhandled(kind: UnhandledKind, message: impl fmt::Display) {
    let message = message.to_string();
    context::with_current(|h| {
        let (task, hook) = match h {
            Some(h) => (
                h.exec.current_identity(),
                h.shared.unhandled_hook().cloned(),
            ),
            None => (None, None),
        };
        let error = UnhandledError {
            task,
            kind,
            message,
        };
        deliver(hook.as_ref(), &error);
    });
}
