//! The errors of streams: [`ReadError`] (what a read can end with),
//! [`WriteError`] (why data cannot be written), [`InvalidLimit`] (a limit
//! that makes no sense, rejected when it is set).

use std::fmt;
use std::io;

use bytes::Bytes;

/// Why a [`StreamReader`](crate::StreamReader) read did not return its data.
///
/// Converts into an [`io::Error`] (`?` in a function returning
/// `io::Result`): `IncompleteRead` becomes `UnexpectedEof`, `LimitOverrun`
/// and `LineTooLong` become `InvalidData`.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadError {
    /// End of stream came before the read was complete, as asyncio's
    /// `IncompleteReadError`. `partial` holds the bytes that did arrive (they
    /// are no longer in the reader); `expected` is the byte count
    /// [`readexactly`](crate::StreamReader::readexactly) wanted, or `None`
    /// for [`readuntil`](crate::StreamReader::readuntil).
    IncompleteRead {
        /// The bytes read before end of stream.
        partial: Bytes,
        /// How many bytes were wanted, when a count was asked for.
        expected: Option<usize>,
    },
    /// The separator was not found within the reader's limit, as asyncio's
    /// `LimitOverrunError`. Nothing was consumed: the data stays in the
    /// reader, so it can be read with [`read`](crate::StreamReader::read)
    /// or [`readexactly`](crate::StreamReader::readexactly). `consumed` is
    /// how many bytes are known not to contain the separator (or where it
    /// starts, when it was found beyond the limit).
    LimitOverrun {
        /// Bytes to consume to get past the data examined so far.
        consumed: usize,
        /// The reader's limit.
        limit: usize,
    },
    /// [`readline`](crate::StreamReader::readline) met a line longer than
    /// the limit (asyncio raises `ValueError` here). As in asyncio the line
    /// was discarded: up to and including its newline when the newline was
    /// in the buffer, otherwise the whole buffer.
    LineTooLong {
        /// The reader's limit.
        limit: usize,
        /// How many bytes were dropped from the reader.
        discarded: usize,
    },
    /// [`readuntil`](crate::StreamReader::readuntil) was given an empty
    /// separator (asyncio raises `ValueError`).
    EmptySeparator,
    /// The connection failed (reset by the peer, ...). Reads after this one
    /// fail the same way.
    Io(io::Error),
}

impl ReadError {
    /// The bytes that arrived before end of stream, for `IncompleteRead`.
    pub fn partial(&self) -> Option<&Bytes> {
        match self {
            ReadError::IncompleteRead { partial, .. } => Some(partial),
            _ => None,
        }
    }

    /// True for `IncompleteRead` (end of stream came first).
    pub fn is_incomplete(&self) -> bool {
        matches!(self, ReadError::IncompleteRead { .. })
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::IncompleteRead {
                partial,
                expected: Some(n),
            } => write!(
                f,
                "end of stream after {} of {n} expected bytes (the bytes read are in `partial`)",
                partial.len()
            ),
            ReadError::IncompleteRead {
                partial,
                expected: None,
            } => write!(
                f,
                "end of stream after {} bytes, before the separator (the bytes read are in `partial`)",
                partial.len()
            ),
            ReadError::LimitOverrun { consumed, limit } => write!(
                f,
                "separator not found within the reader's limit of {limit} bytes \
                 ({consumed} bytes examined); the data stays in the reader: read it with \
                 read()/readexactly() or raise the limit"
            ),
            ReadError::LineTooLong { limit, discarded } => write!(
                f,
                "line longer than the reader's limit of {limit} bytes; {discarded} bytes \
                 were discarded (raise the limit to accept longer lines)"
            ),
            ReadError::EmptySeparator => {
                f.write_str("readuntil() needs a separator of at least one byte")
            }
            ReadError::Io(e) => write!(f, "reading from the stream failed: {e}"),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

impl From<ReadError> for io::Error {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Io(e) => e,
            ReadError::IncompleteRead { .. } => io::Error::new(io::ErrorKind::UnexpectedEof, e),
            ReadError::LimitOverrun { .. } | ReadError::LineTooLong { .. } => {
                io::Error::new(io::ErrorKind::InvalidData, e)
            }
            ReadError::EmptySeparator => io::Error::new(io::ErrorKind::InvalidInput, e),
        }
    }
}

/// Why a [`StreamWriter`](crate::StreamWriter) cannot take or send data.
///
/// Converts into an [`io::Error`]: `ConnectionLost` into its error (kind
/// `ConnectionReset`), `Closing` and `EofWritten` into `BrokenPipe`.
#[derive(Debug)]
#[non_exhaustive]
pub enum WriteError {
    /// [`close`](crate::StreamWriter::close) was called: the writer takes no
    /// more data (what was written before is still sent).
    Closing,
    /// [`write_eof`](crate::StreamWriter::write_eof) was called: the writing
    /// side is shut down, the peer has been told no more data comes.
    EofWritten,
    /// The connection was lost (the peer reset or closed it, or sending
    /// failed); queued data was dropped. The error has kind
    /// `ConnectionReset` and names the cause. Close the writer.
    ConnectionLost(io::Error),
}

impl WriteError {
    /// True for `ConnectionLost`.
    pub fn is_connection_lost(&self) -> bool {
        matches!(self, WriteError::ConnectionLost(_))
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Closing => {
                f.write_str("the writer was closed with close(); it takes no more data")
            }
            WriteError::EofWritten => f.write_str(
                "the writing side was shut down with write_eof(); it takes no more data",
            ),
            WriteError::ConnectionLost(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::ConnectionLost(e) => Some(e),
            _ => None,
        }
    }
}

impl From<WriteError> for io::Error {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::ConnectionLost(e) => e,
            other => io::Error::new(io::ErrorKind::BrokenPipe, other),
        }
    }
}

/// A limit that makes no sense, rejected where it is set (asyncio raises
/// `ValueError`).
///
/// Converts into an [`io::Error`] of kind `InvalidInput`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidLimit {
    /// A reader limit of 0: no line or separator could ever be found.
    ZeroReadLimit,
    /// A writer's low-water mark above its high-water mark.
    WaterMarks {
        /// The high-water mark given.
        high: usize,
        /// The low-water mark given.
        low: usize,
    },
}

impl fmt::Display for InvalidLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidLimit::ZeroReadLimit => {
                f.write_str("a StreamReader limit must be at least 1 byte (the default is 64 KiB)")
            }
            InvalidLimit::WaterMarks { high, low } => write!(
                f,
                "the low-water mark ({low}) must not be above the high-water mark ({high})"
            ),
        }
    }
}

impl std::error::Error for InvalidLimit {}

impl From<InvalidLimit> for io::Error {
    fn from(e: InvalidLimit) -> Self {
        io::Error::new(io::ErrorKind::InvalidInput, e)
    }
}

/// The error for a lost connection: kind `ConnectionReset`, naming `cause`.
pub(crate) fn connection_lost(cause: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionReset,
        format!("connection lost: {cause}"),
    )
}
