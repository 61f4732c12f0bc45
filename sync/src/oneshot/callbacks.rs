//! Done callbacks: asyncio's `Future.add_done_callback`.
//!
//! The list lives inside the oneshot's mutex, but callbacks never run under
//! it (a callback may well touch the same oneshot). Whoever decides the
//! outcome takes the list out, releases the lock, and runs it; callbacks
//! added while that runs are appended and run by the same caller after the
//! others, so every callback runs once, in registration order. Once the
//! list is drained, a callback added later is run at once by
//! `add_done_callback` itself.

use std::panic::{self, AssertUnwindSafe};

/// How a oneshot finished, as given to its done callbacks.
///
/// The value or error itself is the receiver's (a oneshot delivers it once);
/// a callback learns which way it went, as an asyncio callback checks
/// `fut.cancelled()` or `fut.exception()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A result was set ([`Sender::set`](super::Sender::set); asyncio's
    /// `set_result`). Named `Value`, not `Result`, so as not to shadow
    /// `Result` in users' compiler messages.
    Value,
    /// An error was set ([`Sender::set_exception`](super::Sender::set_exception)).
    Exception,
    /// Cancelled: by [`Sender::cancel`](super::Sender::cancel), or by the
    /// receiver being dropped before anything was set.
    Cancelled,
    /// Every sender was dropped without setting anything: the receiver gets
    /// [`RecvError::SenderDropped`](super::RecvError::SenderDropped).
    SenderDropped,
}

/// A callback waiting for the outcome.
pub(super) type Callback = Box<dyn FnOnce(Outcome) + Send>;

/// The callbacks of one oneshot and whether someone is running them.
#[derive(Default)]
pub(super) struct Callbacks {
    outcome: Option<Outcome>,
    waiting: Vec<Callback>,
    running: bool,
}

/// Callbacks that the caller must run (with [`run`]) after releasing the lock.
#[must_use]
pub(super) struct Batch {
    outcome: Outcome,
    callbacks: Vec<Callback>,
}

impl Callbacks {
    /// The outcome, once decided.
    pub(super) fn outcome(&self) -> Option<Outcome> {
        self.outcome
    }

    /// Records the outcome (the first call wins) and hands out the callbacks
    /// registered so far.
    pub(super) fn decide(&mut self, outcome: Outcome) -> Option<Batch> {
        if self.outcome.is_some() {
            return None;
        }
        self.outcome = Some(outcome);
        self.running = true;
        Some(Batch {
            outcome,
            callbacks: std::mem::take(&mut self.waiting),
        })
    }

    /// Registers `callback`; if the outcome is decided and nobody is running
    /// callbacks, hands it straight back to be run by the caller.
    pub(super) fn add(&mut self, callback: Callback) -> Option<Batch> {
        match self.outcome {
            Some(outcome) if !self.running => {
                self.running = true;
                Some(Batch {
                    outcome,
                    callbacks: vec![callback],
                })
            }
            _ => {
                self.waiting.push(callback);
                None
            }
        }
    }

    /// The callbacks added while a batch ran; none left ends the run.
    fn next(&mut self) -> Vec<Callback> {
        let next = std::mem::take(&mut self.waiting);
        if next.is_empty() {
            self.running = false;
        }
        next
    }
}

/// Runs `batch`, then the callbacks added meanwhile (`with_callbacks` locks
/// the oneshot's state to fetch them), until none is left.
///
/// A callback that panics does not stop the others: they all run, and the
/// first panic is resumed afterwards, in the caller.
pub(super) fn run(batch: Batch, with_callbacks: impl Fn(&mut dyn FnMut(&mut Callbacks))) {
    let Batch {
        outcome,
        mut callbacks,
    } = batch;
    let mut first_panic = None;
    loop {
        for callback in callbacks {
            if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| callback(outcome))) {
                first_panic.get_or_insert(payload);
            }
        }
        let mut next = Vec::new();
        with_callbacks(&mut |list| next = list.next());
        if next.is_empty() {
            break;
        }
        callbacks = next;
    }
    if let Some(payload) = first_panic {
        panic::resume_unwind(payload);
    }
}
