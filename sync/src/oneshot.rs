//! A value set once and awaited once: asyncio's `Future`.
//!
//! [`channel`] gives a [`Sender`] (cloneable: anyone holding one may set the
//! result, as anyone holding an asyncio `Future` may) and a [`Receiver`] that
//! is a future of the result.
//!
//! | asyncio `Future` | here |
//! |---|---|
//! | `fut.set_result(v)` | [`Sender::set`] |
//! | second `set_result` raises `InvalidStateError` | [`SetError::AlreadySet`] |
//! | `await fut` | `receiver.await` |
//! | `fut.done()` | [`Sender::is_set`], [`Receiver::try_recv`] |
//! | `fut.cancel()` | drop the [`Receiver`]; [`Sender::is_closed`] tells |
//! | a future nobody will ever set | [`RecvError::SenderDropped`] |
//!
//! ```
//! # ringio_sync::block_on_for_doctests(async {
//! use ringio_sync::oneshot;
//!
//! let (tx, rx) = oneshot::channel();
//! tx.set("Done!").unwrap();
//! assert!(tx.set("again").is_err());
//! assert_eq!(rx.await, Ok("Done!"));
//! # });
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use crate::shim::{lock, Arc, Mutex};

/// Creates a connected [`Sender`] and [`Receiver`].
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Mutex::new(Shared {
        value: Value::Empty,
        senders: 1,
        receiver_alive: true,
        waker: None,
    }));
    (
        Sender {
            shared: shared.clone(),
        },
        Receiver { shared },
    )
}

struct Shared<T> {
    value: Value<T>,
    senders: usize,
    receiver_alive: bool,
    waker: Option<Waker>,
}

enum Value<T> {
    Empty,
    Set(T),
    Taken,
}

/// Sets the result; cloneable, and only the first `set` of all clones wins.
pub struct Sender<T> {
    shared: Arc<Mutex<Shared<T>>>,
}

impl<T> Sender<T> {
    /// Sets the result and wakes the receiver.
    ///
    /// Fails and gives `value` back if the result was already set, or if the
    /// receiver is gone.
    pub fn set(&self, value: T) -> Result<(), SetError<T>> {
        let waker = {
            let mut shared = lock(&self.shared);
            if !matches!(shared.value, Value::Empty) {
                return Err(SetError::AlreadySet(value));
            }
            if !shared.receiver_alive {
                return Err(SetError::Closed(value));
            }
            shared.value = Value::Set(value);
            shared.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
        Ok(())
    }

    /// Whether the result has been set (asyncio's `done()`).
    pub fn is_set(&self) -> bool {
        !matches!(lock(&self.shared).value, Value::Empty)
    }

    /// Whether the receiver was dropped, so setting the result is pointless.
    pub fn is_closed(&self) -> bool {
        !lock(&self.shared).receiver_alive
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        lock(&self.shared).senders += 1;
        Self {
            shared: self.shared.clone(),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let waker = {
            let mut shared = lock(&self.shared);
            shared.senders -= 1;
            if shared.senders == 0 {
                shared.waker.take()
            } else {
                None
            }
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field("set", &self.is_set())
            .finish()
    }
}

/// Awaits the result; resolves to [`RecvError::SenderDropped`] if every
/// sender is dropped without setting it.
#[must_use = "futures do nothing unless polled"]
pub struct Receiver<T> {
    shared: Arc<Mutex<Shared<T>>>,
}

impl<T> Receiver<T> {
    /// Takes the result if it is set, without waiting.
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        let mut shared = lock(&self.shared);
        match std::mem::replace(&mut shared.value, Value::Taken) {
            Value::Set(value) => Ok(value),
            Value::Taken => Err(TryRecvError::Taken),
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
}

impl<T> Future for Receiver<T> {
    type Output = Result<T, RecvError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut shared = lock(&self.shared);
        match std::mem::replace(&mut shared.value, Value::Taken) {
            Value::Set(value) => Poll::Ready(Ok(value)),
            Value::Taken => Poll::Ready(Err(RecvError::Taken)),
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

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let mut shared = lock(&self.shared);
        shared.receiver_alive = false;
        shared.waker = None;
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match lock(&self.shared).value {
            Value::Empty => "empty",
            Value::Set(_) => "set",
            Value::Taken => "taken",
        };
        f.debug_struct("Receiver").field("state", &state).finish()
    }
}

/// Why [`Sender::set`] failed; holds the value that was not set.
#[derive(Clone, PartialEq, Eq)]
pub enum SetError<T> {
    /// The result was already set (asyncio's `InvalidStateError`).
    AlreadySet(T),
    /// The receiver was dropped: nobody will read the result.
    Closed(T),
}

impl<T> SetError<T> {
    /// The value that was not set.
    pub fn into_inner(self) -> T {
        match self {
            SetError::AlreadySet(value) | SetError::Closed(value) => value,
        }
    }
}

impl<T> fmt::Debug for SetError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetError::AlreadySet(_) => f.write_str("AlreadySet(..)"),
            SetError::Closed(_) => f.write_str("Closed(..)"),
        }
    }
}

impl<T> fmt::Display for SetError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SetError::AlreadySet(_) => {
                "the result was already set; a oneshot is set once (the value is handed back)"
            }
            SetError::Closed(_) => {
                "the receiver was dropped, so nobody will read the result (the value is handed back)"
            }
        })
    }
}

impl<T> std::error::Error for SetError<T> {}

/// Why awaiting a [`Receiver`] gave no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecvError {
    /// Every [`Sender`] was dropped without setting the result.
    SenderDropped,
    /// The result was already taken by an earlier poll or `try_recv`.
    Taken,
}

impl fmt::Display for RecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RecvError::SenderDropped => {
                "every sender was dropped without setting the result; keep a sender alive until it sets one"
            }
            RecvError::Taken => "the result was already received; a oneshot delivers it once",
        })
    }
}

impl std::error::Error for RecvError {}

/// Why [`Receiver::try_recv`] gave no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryRecvError {
    /// Not set yet; senders are still alive.
    Empty,
    /// Every [`Sender`] was dropped without setting the result.
    SenderDropped,
    /// The result was already taken.
    Taken,
}

impl fmt::Display for TryRecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TryRecvError::Empty => "the result is not set yet; await the receiver to wait for it",
            TryRecvError::SenderDropped => {
                "every sender was dropped without setting the result; keep a sender alive until it sets one"
            }
            TryRecvError::Taken => "the result was already received; a oneshot delivers it once",
        })
    }
}

impl std::error::Error for TryRecvError {}
