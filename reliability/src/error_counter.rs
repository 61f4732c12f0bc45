//! [`ErrorCounter`]: a `tracing` subscriber that counts the error events
//! the library logs (for example the stream server's "accept failed"), so
//! a scenario can report how often an error path ran.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// Counts `ERROR` events whose message contains a given text.
#[derive(Debug, Clone)]
pub struct ErrorCounter {
    needle: &'static str,
    count: Arc<AtomicU64>,
}

impl ErrorCounter {
    /// Installs a counter of error events containing `needle` as this
    /// thread's default subscriber for as long as the guard lives.
    pub fn install(needle: &'static str) -> (ErrorCounter, tracing::dispatcher::DefaultGuard) {
        let counter = ErrorCounter {
            needle,
            count: Arc::new(AtomicU64::new(0)),
        };
        let guard = tracing::subscriber::set_default(counter.clone());
        (counter, guard)
    }

    /// Events counted so far.
    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }
}

struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

impl Subscriber for ErrorCounter {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        *metadata.level() == Level::ERROR
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut msg = Message(String::new());
        event.record(&mut msg);
        if msg.0.contains(self.needle) {
            self.count.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
