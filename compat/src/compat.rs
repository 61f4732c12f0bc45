//! `Compat<T>`: a ringio socket or pipe under the poll-based I/O traits.

use std::fmt;
use std::rc::Rc;

use crate::reader::Reader;
use crate::writer::Writer;

/// The owned buffer size of each direction of [`Compat::new`].
pub const DEFAULT_BUFFER: usize = 64 * 1024;

/// A ringio socket or pipe (`T`) under tokio's, futures' and hyper's
/// poll-based I/O traits.
///
/// ringio's I/O is completion-based: the kernel reads into and writes from
/// a buffer after the call that submitted the operation has returned, so
/// the buffer must be owned, not the `&mut [u8]` a `poll_read` borrows for
/// one call. `Compat` keeps one owned buffer per direction, and each
/// direction costs one copy (monoio's and compio's adapters pay the same):
///
/// - **read**: on io_uring, a socket's `poll_read` is served from the
///   loop's receive-buffer pool: the socket's multishot receive stays
///   armed (no submission per read), the kernel picks a pool buffer only
///   when data arrives (an idle connection holds none), and `poll_read`
///   copies from it straight into the caller's buffer; what did not fit
///   waits in the socket for the next read. Otherwise (the epoll backend,
///   pipes, the pool momentarily empty) the kernel fills an owned read
///   buffer and `poll_read` copies from it. `poll_fill_buf` (the
///   `AsyncBufRead` traits) reads into the owned buffer and lends it
///   without a copy.
/// - **write**: `poll_write` copies the caller's bytes into the owned write
///   buffer, submits a write of all of it and returns `Ready(n)` at once;
///   the next `poll_write` and `poll_flush` wait for that write, and report
///   its error if it failed. `poll_write_vectored` gathers several slices
///   into one write.
///
/// Reads are cancellation-safe: the read in flight and the bytes received
/// belong to the `Compat` (or, for a pooled read, to the socket), not to
/// the caller's read future, so a read dropped between polls (a timeout,
/// the losing branch of a `select!`) loses nothing: its bytes are served
/// by the next read.
///
/// `T` is one of [`TcpStream`](ringio_runtime::net::TcpStream),
/// [`UnixStream`](ringio_runtime::net::UnixStream), their owned halves, and
/// the pipes of a child process ([`PipeReader`](ringio_runtime::pipe::PipeReader),
/// [`PipeWriter`](ringio_runtime::pipe::PipeWriter)); the read traits need
/// [`OwnedRead`](crate::OwnedRead), the write traits
/// [`OwnedWrite`](crate::OwnedWrite). Like the sockets themselves, a
/// `Compat` belongs to the loop of the thread that made it (`!Send`).
///
/// Memory: a pooled read holds no buffer while it waits; an owned read
/// (epoll, pipes, `poll_fill_buf`) holds its owned buffer
/// ([`DEFAULT_BUFFER`], 64 KiB, unless [`Compat::with_capacity`] says
/// otherwise), so a server with very many idle connections on epoll may
/// want smaller buffers; the write buffer grows to what one `poll_write`
/// takes, at most its capacity.
pub struct Compat<T> {
    pub(crate) io: Rc<T>,
    pub(crate) reader: Reader,
    pub(crate) writer: Writer,
}

impl<T> Compat<T> {
    /// Wraps `io` with owned buffers of [`DEFAULT_BUFFER`] bytes.
    pub fn new(io: T) -> Compat<T> {
        Compat::with_capacity(io, DEFAULT_BUFFER, DEFAULT_BUFFER)
    }

    /// Wraps `io`: each read asks the kernel for up to `read` bytes, and
    /// each `poll_write` takes up to `write` bytes.
    pub fn with_capacity(io: T, read: usize, write: usize) -> Compat<T> {
        Compat {
            io: Rc::new(io),
            reader: Reader::new(read),
            writer: Writer::new(write),
        }
    }

    /// The wrapped socket or pipe (for its address, options, ...).
    pub fn get_ref(&self) -> &T {
        &self.io
    }

    /// Unwraps the socket or pipe. Fails, handing the `Compat` back, while
    /// an operation is in flight or bytes the `Compat` received are unread
    /// (they would be lost): flush, and read what was received, first.
    /// Bytes a pooled read had no room for wait in the socket itself and
    /// come back with it.
    pub fn into_inner(self) -> Result<T, Compat<T>> {
        if !self.reader.is_idle() || !self.writer.is_idle() {
            return Err(self);
        }
        let Compat { io, reader, writer } = self;
        Rc::try_unwrap(io).map_err(|io| Compat { io, reader, writer })
    }
}

impl<T: fmt::Debug> fmt::Debug for Compat<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Compat")
            .field("io", &self.io)
            .field("read_idle", &self.reader.is_idle())
            .field("write_idle", &self.writer.is_idle())
            .finish()
    }
}
