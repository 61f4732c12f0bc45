//! A value set once and awaited once: asyncio's `Future`.
//!
//! [`channel`] gives a [`Sender`] (cloneable: anyone holding one may set the
//! result, as anyone holding an asyncio `Future` may) and a [`Receiver`] that
//! is a future of the result. [`channel_with_error`] gives a pair whose
//! sender may also complete it with a typed error, asyncio's
//! `set_exception`.
//!
//! | asyncio `Future` | here |
//! |---|---|
//! | `fut.set_result(v)` | [`Sender::set`] |
//! | `fut.set_exception(e)` | [`Sender::set_exception`] (on a [`channel_with_error`]); the receiver gets [`RecvError::Exception`] |
//! | second `set_result` raises `InvalidStateError` | [`SetError::AlreadySet`] |
//! | `await fut` | `receiver.await` |
//! | `fut.done()` | [`Sender::is_done`], [`Receiver::is_done`], [`Receiver::try_recv`] |
//! | `fut.cancel()`, `fut.cancelled()` | [`Sender::cancel`] or drop the [`Receiver`]; [`Sender::is_cancelled`], [`Sender::is_closed`] |
//! | `fut.add_done_callback(cb)` | [`Sender::add_done_callback`], [`Receiver::add_done_callback`] |
//! | a future nobody will ever set | [`RecvError::SenderDropped`] |
//!
//! ```
//! # ringio::sync::block_on_for_doctests(async {
//! use ringio::sync::oneshot;
//!
//! let (tx, rx) = oneshot::channel();
//! tx.set("Done!").unwrap();
//! assert!(tx.set("again").is_err());
//! assert_eq!(rx.await, Ok("Done!"));
//! # });
//! ```
//!
//! # Errors: `set_exception`
//!
//! ```
//! # ringio::sync::block_on_for_doctests(async {
//! use ringio::sync::oneshot::{self, RecvError};
//!
//! let (tx, rx) = oneshot::channel_with_error::<u32, String>();
//! tx.set_exception("no such user".to_string()).unwrap();
//! assert_eq!(rx.await, Err(RecvError::Exception("no such user".to_string())));
//! # });
//! ```
//!
//! # Done callbacks
//!
//! [`Sender::add_done_callback`] (or the receiver's) registers a callback
//! that runs once when the outcome is decided: a result or an error set,
//! the future cancelled (by [`Sender::cancel`] or by dropping the receiver
//! before anything was set), or every sender dropped. It receives the
//! [`Outcome`]; the value itself stays the receiver's.
//!
//! Callbacks run in registration order. asyncio schedules them with
//! `call_soon`; this crate has no loop, so they are called directly, right
//! after the outcome is decided (and after the lock is released, so a
//! callback may use the same oneshot), on the thread that decided it: the
//! caller of `set`, `set_exception` or `cancel`, or the code dropping the
//! receiver or the last sender. A callback added while they run is called
//! after them; a callback added once they have all run is called at once,
//! by `add_done_callback`. Under ringio, call `ringio::call_soon` from a
//! callback to defer work to the loop as asyncio would. A panicking
//! callback does not stop the others; the panic is resumed afterwards, in
//! the code that decided the outcome.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use ringio::sync::oneshot::{self, Outcome};
//!
//! let seen = Arc::new(Mutex::new(Vec::new()));
//! let (tx, mut rx) = oneshot::channel();
//! for name in ["first", "second"] {
//!     let seen = seen.clone();
//!     tx.add_done_callback(move |outcome| seen.lock().unwrap().push((name, outcome)));
//! }
//! tx.set(42).unwrap();
//! assert_eq!(*seen.lock().unwrap(), [("first", Outcome::Value), ("second", Outcome::Value)]);
//! assert_eq!(rx.try_recv(), Ok(42));
//! ```

mod callbacks;
mod error;

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use crate::shim::{lock, Arc, Mutex};

pub use callbacks::Outcome;
use callbacks::{Batch, Callbacks};
pub use error::{RecvError, SetError, TryRecvError};

/// Creates a connected [`Sender`] and [`Receiver`] (a future that can get a
/// result or be cancelled, but not fail: see [`channel_with_error`]).
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    channel_with_error()
}

/// Creates a connected [`Sender`] and [`Receiver`] whose sender may also
/// complete the future with an error of type `E`
/// ([`Sender::set_exception`]); the receiver then gets
/// [`RecvError::Exception`].
pub fn channel_with_error<T, E>() -> (Sender<T, E>, Receiver<T, E>) {
    let shared = Arc::new(Mutex::new(Shared {
        value: Value::Empty,
        senders: 1,
        receiver_alive: true,
        waker: None,
        callbacks: Callbacks::default(),
    }));
    (
        Sender {
            shared: shared.clone(),
        },
        Receiver { shared },
    )
}

struct Shared<T, E> {
    value: Value<T, E>,
    senders: usize,
    receiver_alive: bool,
    waker: Option<Waker>,
    callbacks: Callbacks,
}

enum Value<T, E> {
    Empty,
    Set(T),
    Failed(E),
    Cancelled,
    Taken,
}

impl<T, E> Shared<T, E> {
    /// Stores the outcome; gives back the receiver's waker and the callbacks
    /// to run once the lock is released.
    fn finish(&mut self, value: Value<T, E>, outcome: Outcome) -> (Option<Waker>, Option<Batch>) {
        self.value = value;
        (self.waker.take(), self.callbacks.decide(outcome))
    }
}

/// Wakes the receiver and runs the callbacks, outside the lock.
fn after_finish<T, E>(shared: &Mutex<Shared<T, E>>, waker: Option<Waker>, batch: Option<Batch>) {
    if let Some(waker) = waker {
        waker.wake();
    }
    run_callbacks(shared, batch);
}

fn run_callbacks<T, E>(shared: &Mutex<Shared<T, E>>, batch: Option<Batch>) {
    if let Some(batch) = batch {
        callbacks::run(batch, |with| with(&mut lock(shared).callbacks));
    }
}

fn add_done_callback<T, E>(
    shared: &Mutex<Shared<T, E>>,
    callback: impl FnOnce(Outcome) + Send + 'static,
) {
    let batch = lock(shared).callbacks.add(Box::new(callback));
    run_callbacks(shared, batch);
}

/// Sets the result (or an error); cloneable, and only the first of all
/// clones to set, fail or cancel wins.
pub struct Sender<T, E = Infallible> {
    shared: Arc<Mutex<Shared<T, E>>>,
}

impl<T, E> Sender<T, E> {
    /// Sets the result and wakes the receiver (asyncio's `set_result`).
    ///
    /// Fails and gives `value` back if the future is already done, or if the
    /// receiver is gone.
    pub fn set(&self, value: T) -> Result<(), SetError<T>> {
        self.complete(value, Value::Set, Outcome::Value)
    }

    /// Completes the future with `error` (asyncio's `set_exception`): the
    /// receiver gets [`RecvError::Exception`]`(error)`.
    ///
    /// Fails and gives `error` back if the future is already done, or if
    /// the receiver is gone.
    pub fn set_exception(&self, error: E) -> Result<(), SetError<E>> {
        self.complete(error, Value::Failed, Outcome::Exception)
    }

    fn complete<V>(
        &self,
        value: V,
        wrap: fn(V) -> Value<T, E>,
        outcome: Outcome,
    ) -> Result<(), SetError<V>> {
        let (waker, batch) = {
            let mut shared = lock(&self.shared);
            if !shared.receiver_alive {
                return Err(SetError::Closed(value));
            }
            if !matches!(shared.value, Value::Empty) {
                return Err(SetError::AlreadySet(value));
            }
            shared.finish(wrap(value), outcome)
        };
        after_finish(&self.shared, waker, batch);
        Ok(())
    }

    /// Cancels the future (asyncio's `cancel()`): the receiver gets
    /// [`RecvError::Cancelled`] and the callbacks [`Outcome::Cancelled`].
    ///
    /// Returns false, changing nothing, if the future was already done.
    pub fn cancel(&self) -> bool {
        let (waker, batch) = {
            let mut shared = lock(&self.shared);
            if !matches!(shared.value, Value::Empty) {
                return false;
            }
            shared.finish(Value::Cancelled, Outcome::Cancelled)
        };
        after_finish(&self.shared, waker, batch);
        true
    }

    /// Whether the future is done (asyncio's `done()`): a result or an error
    /// was set, or it was cancelled.
    pub fn is_done(&self) -> bool {
        !matches!(lock(&self.shared).value, Value::Empty)
    }

    /// Whether a result or an error was set, or the future cancelled; the
    /// same as [`is_done`](Self::is_done).
    pub fn is_set(&self) -> bool {
        self.is_done()
    }

    /// Whether the future was cancelled (asyncio's `cancelled()`), by
    /// [`cancel`](Self::cancel) or by the receiver being dropped first.
    pub fn is_cancelled(&self) -> bool {
        lock(&self.shared).callbacks.outcome() == Some(Outcome::Cancelled)
    }

    /// Whether the receiver was dropped, so setting the result is pointless.
    pub fn is_closed(&self) -> bool {
        !lock(&self.shared).receiver_alive
    }

    /// Calls `callback` once the future is done (asyncio's
    /// `add_done_callback`); at once, on this thread, if it already is. See
    /// [the module docs](self#done-callbacks) for when and where callbacks
    /// run.
    pub fn add_done_callback(&self, callback: impl FnOnce(Outcome) + Send + 'static) {
        add_done_callback(&self.shared, callback);
    }
}

impl<T, E> Clone for Sender<T, E> {
    fn clone(&self) -> Self {
        lock(&self.shared).senders += 1;
        Self {
            shared: self.shared.clone(),
        }
    }
}

impl<T, E> Drop for Sender<T, E> {
    fn drop(&mut self) {
        let (waker, batch) = {
            let mut shared = lock(&self.shared);
            shared.senders -= 1;
            if shared.senders == 0 && matches!(shared.value, Value::Empty) {
                (
                    shared.waker.take(),
                    shared.callbacks.decide(Outcome::SenderDropped),
                )
            } else {
                (None, None)
            }
        };
        after_finish(&self.shared, waker, batch);
    }
}

impl<T, E> fmt::Debug for Sender<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field("done", &self.is_done())
            .finish()
    }
}

/// Awaits the result; resolves to [`RecvError::SenderDropped`] if every
/// sender is dropped without setting it, [`RecvError::Cancelled`] if a
/// sender cancels it, [`RecvError::Exception`] if a sender sets an error.
///
/// Dropping the receiver before anything was set cancels the future.
#[must_use = "futures do nothing unless polled"]
pub struct Receiver<T, E = Infallible> {
    shared: Arc<Mutex<Shared<T, E>>>,
}

impl<T, E> Receiver<T, E> {
    /// Takes the result if it is set, without waiting.
    pub fn try_recv(&mut self) -> Result<T, TryRecvError<E>> {
        let mut shared = lock(&self.shared);
        match std::mem::replace(&mut shared.value, Value::Taken) {
            Value::Set(value) => Ok(value),
            Value::Failed(error) => Err(TryRecvError::Exception(error)),
            Value::Taken => Err(TryRecvError::Taken),
            Value::Cancelled => {
                shared.value = Value::Cancelled;
                Err(TryRecvError::Cancelled)
            }
            Value::Empty => {
                shared.value = Value::Empty;
                if shared.senders == 0 {
                    Err(TryRecvError::SenderDropped)
                } else {
                    Err(TryRecvError::Empty)
                }
            }
        }
    }

    /// Whether the outcome is decided: a result or an error set, the future
    /// cancelled, or every sender dropped.
    pub fn is_done(&self) -> bool {
        lock(&self.shared).callbacks.outcome().is_some()
    }

    /// Calls `callback` once the future is done (asyncio's
    /// `add_done_callback`); at once, on this thread, if it already is. See
    /// [the module docs](self#done-callbacks) for when and where callbacks
    /// run.
    pub fn add_done_callback(&self, callback: impl FnOnce(Outcome) + Send + 'static) {
        add_done_callback(&self.shared, callback);
    }
}

impl<T, E> Future for Receiver<T, E> {
    type Output = Result<T, RecvError<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut shared = lock(&self.shared);
        match std::mem::replace(&mut shared.value, Value::Taken) {
            Value::Set(value) => Poll::Ready(Ok(value)),
            Value::Failed(error) => Poll::Ready(Err(RecvError::Exception(error))),
            Value::Taken => Poll::Ready(Err(RecvError::Taken)),
            Value::Cancelled => {
                shared.value = Value::Cancelled;
                Poll::Ready(Err(RecvError::Cancelled))
            }
            Value::Empty => {
                shared.value = Value::Empty;
                if shared.senders == 0 {
                    return Poll::Ready(Err(RecvError::SenderDropped));
                }
                match &shared.waker {
                    Some(waker) if waker.will_wake(cx.waker()) => {}
                    _ => shared.waker = Some(cx.waker().clone()),
                }
                Poll::Pending
            }
        }
    }
}

impl<T, E> Drop for Receiver<T, E> {
    fn drop(&mut self) {
        let batch = {
            let mut shared = lock(&self.shared);
            shared.receiver_alive = false;
            shared.waker = None;
            if matches!(shared.value, Value::Empty) && shared.senders > 0 {
                shared.finish(Value::Cancelled, Outcome::Cancelled).1
            } else {
                None
            }
        };
        run_callbacks(&self.shared, batch);
    }
}

impl<T, E> fmt::Debug for Receiver<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match lock(&self.shared).value {
            Value::Empty => "empty",
            Value::Set(_) => "set",
            Value::Failed(_) => "failed",
            Value::Cancelled => "cancelled",
            Value::Taken => "taken",
        };
        f.debug_struct("Receiver").field("state", &state).finish()
    }
}
