//! Why setting or receiving a oneshot failed.

use std::convert::Infallible;
use std::fmt;

/// Why [`Sender::set`](super::Sender::set) or
/// [`Sender::set_exception`](super::Sender::set_exception) failed; holds the
/// value (or error) that was not set.
#[derive(Clone, PartialEq, Eq)]
pub enum SetError<T> {
    /// The future is already done: a result or an error was set, or it was
    /// cancelled (asyncio's `InvalidStateError`).
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
                "the future is already done (a result or an error was set, or it was cancelled); a oneshot is set once (the value is handed back)"
            }
            SetError::Closed(_) => {
                "the receiver was dropped, so nobody will read the result (the value is handed back)"
            }
        })
    }
}

impl<T> std::error::Error for SetError<T> {}

/// Why awaiting a [`Receiver`](super::Receiver) gave no value.
///
/// `E` is the error type a sender may set with
/// [`set_exception`](super::Sender::set_exception); for a plain
/// [`channel`](super::channel) it is [`Infallible`], so
/// [`RecvError::Exception`] cannot occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecvError<E = Infallible> {
    /// Every [`Sender`](super::Sender) was dropped without setting the
    /// result.
    SenderDropped,
    /// The result was already taken by an earlier poll or `try_recv`.
    Taken,
    /// A sender cancelled the future ([`Sender::cancel`](super::Sender::cancel);
    /// asyncio's `CancelledError`).
    Cancelled,
    /// A sender completed the future with this error
    /// ([`Sender::set_exception`](super::Sender::set_exception); asyncio
    /// raises it from `await fut`).
    Exception(E),
}

impl<E: fmt::Display> fmt::Display for RecvError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecvError::SenderDropped => f.write_str(
                "every sender was dropped without setting the result; keep a sender alive until it sets one",
            ),
            RecvError::Taken => {
                f.write_str("the result was already received; a oneshot delivers it once")
            }
            RecvError::Cancelled => f.write_str("the future was cancelled by its sender"),
            RecvError::Exception(error) => write!(f, "the sender set an error: {error}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for RecvError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RecvError::Exception(error) => Some(error),
            _ => None,
        }
    }
}

/// Why [`Receiver::try_recv`](super::Receiver::try_recv) gave no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryRecvError<E = Infallible> {
    /// Not set yet; senders are still alive.
    Empty,
    /// Every [`Sender`](super::Sender) was dropped without setting the
    /// result.
    SenderDropped,
    /// The result was already taken.
    Taken,
    /// A sender cancelled the future.
    Cancelled,
    /// A sender completed the future with this error.
    Exception(E),
}

impl<E: fmt::Display> fmt::Display for TryRecvError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryRecvError::Empty => {
                f.write_str("the result is not set yet; await the receiver to wait for it")
            }
            TryRecvError::SenderDropped => f.write_str(
                "every sender was dropped without setting the result; keep a sender alive until it sets one",
            ),
            TryRecvError::Taken => {
                f.write_str("the result was already received; a oneshot delivers it once")
            }
            TryRecvError::Cancelled => f.write_str("the future was cancelled by its sender"),
            TryRecvError::Exception(error) => write!(f, "the sender set an error: {error}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for TryRecvError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TryRecvError::Exception(error) => Some(error),
            _ => None,
        }
    }
}
