//! Where the loop's own reports go: to `tracing` when a subscriber is
//! installed (globally or for this thread), and otherwise to stderr, as
//! asyncio's default logging does, so that nothing is silent.

use std::fmt;

/// True when a `tracing` subscriber would receive ringio's events.
pub(crate) fn subscriber_installed() -> bool {
    tracing::dispatcher::has_been_set()
        || tracing::dispatcher::get_default(|d| !d.is::<tracing::subscriber::NoSubscriber>())
}

/// How serious a report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Warn,
    Error,
}

/// Reports `msg`: a `tracing` event (target `ringio`) when a subscriber
/// listens, else one line on stderr prefixed `ringio: `.
pub(crate) fn emit(level: Level, msg: fmt::Arguments<'_>) {
    if subscriber_installed() {
        match level {
            Level::Warn => tracing::warn!(target: "ringio", "{msg}"),
            Level::Error => tracing::error!(target: "ringio", "{msg}"),
        }
    } else {
        let tag = match level {
            Level::Warn => "warning",
            Level::Error => "error",
        };
        eprintln!("ringio {tag}: {msg}");
    }
}
