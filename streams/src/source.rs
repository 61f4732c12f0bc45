//! Where a [`StreamReader`](crate::StreamReader) gets its bytes: a TCP or
//! Unix socket's read half, the read end of a pipe (a child's stdout or
//! stderr), or a [`Feeder`] (asyncio's `feed_data`).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::rc::Rc;
use std::task::{Poll, Waker};

use bytes::{Bytes, BytesMut};
use ringio_runtime::net::{tcp, unix};
use ringio_runtime::pipe::PipeReader;

use crate::error::WriteError;

/// The most one receive from a pipe takes: a pipe's default capacity, so
/// one read empties a full pipe.
const PIPE_READ_CHUNK: usize = 64 * 1024;

/// The transport under a reader. An enum rather than a trait object: a
/// read is one match, not a boxed future.
#[derive(Debug)]
pub(crate) enum Source {
    Tcp(tcp::OwnedReadHalf),
    Unix(unix::OwnedReadHalf),
    Pipe(PipeSource),
    Feed(Rc<RefCell<FeedState>>),
    /// TLS over one of the others (a socket).
    #[cfg(feature = "tls")]
    Tls(crate::tls::transport::TlsSource),
}

impl Source {
    /// Appends what arrives next to `dst`; `Ok(0)` at end of stream.
    /// Dropping the future loses no bytes.
    pub(crate) async fn read_buf(&self, dst: &mut BytesMut) -> io::Result<usize> {
        match self {
            #[cfg(feature = "tls")]
            Source::Tls(t) => t.read_buf(dst).await,
            _ => self.read_plain(dst).await,
        }
    }

    /// [`read_buf`](Source::read_buf) of a transport that is not TLS (TLS
    /// receives its ciphertext through this).
    pub(crate) async fn read_plain(&self, dst: &mut BytesMut) -> io::Result<usize> {
        match self {
            #[cfg(feature = "tls")]
            Source::Tls(_) => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "TLS over TLS is not supported",
            )),
            Source::Tcp(s) => s.read_buf(dst).await,
            Source::Unix(s) => s.read_buf(dst).await,
            Source::Pipe(p) => p.read_buf(dst).await,
            Source::Feed(f) => {
                poll_fn(|cx| {
                    let mut st = f.borrow_mut();
                    if !st.chunks.is_empty() {
                        // Everything fed so far, as asyncio's feed_data puts
                        // it straight into the buffer.
                        let n = st.chunks.iter().map(Bytes::len).sum();
                        for chunk in st.chunks.drain(..) {
                            dst.extend_from_slice(&chunk);
                        }
                        return Poll::Ready(Ok(n));
                    }
                    if let Some(e) = st.error.take() {
                        return Poll::Ready(Err(e));
                    }
                    if st.eof {
                        return Poll::Ready(Ok(0));
                    }
                    st.waker = Some(cx.waker().clone());
                    Poll::Pending
                })
                .await
            }
        }
    }
}

impl Source {
    /// True when end of stream is already known with nothing left to
    /// receive (a feeder's `feed_eof`); sockets learn it by receiving 0.
    pub(crate) fn known_eof(&self) -> bool {
        match self {
            Source::Feed(f) => {
                let st = f.borrow();
                st.eof && st.chunks.is_empty() && st.error.is_none()
            }
            Source::Tcp(_) | Source::Unix(_) | Source::Pipe(_) => false,
            #[cfg(feature = "tls")]
            Source::Tls(_) => false,
        }
    }
}

/// The read end of a pipe, with the buffer its reads fill.
///
/// A pipe read takes its buffer up front (the socket reads pick one from
/// the loop's pool only when data arrives), so one scratch buffer of
/// [`PIPE_READ_CHUNK`] bytes is reused from read to read and what a read
/// got is copied into the reader's buffer. Copying, rather than handing
/// the scratch buffer over, keeps what the reader hands out small: a
/// 10-byte line kept by the caller pins 10 bytes' worth of allocation,
/// not 64 KiB.
#[derive(Debug)]
pub(crate) struct PipeSource {
    pipe: PipeReader,
    /// `None` while a read holds it (or after a dropped read took it).
    scratch: RefCell<Option<BytesMut>>,
}

impl PipeSource {
    pub(crate) fn new(pipe: PipeReader) -> PipeSource {
        PipeSource {
            pipe,
            scratch: RefCell::new(None),
        }
    }

    /// Appends what the pipe holds next to `dst`; `Ok(0)` at end of
    /// stream. The pipe keeps the bytes of a read dropped after the kernel
    /// filled it (its stash) and returns them first next time, so dropping
    /// this future loses nothing; `dst` is only touched once the read is
    /// back.
    async fn read_buf(&self, dst: &mut BytesMut) -> io::Result<usize> {
        let taken = self.scratch.borrow_mut().take();
        let mut buf = taken.unwrap_or_else(|| BytesMut::with_capacity(PIPE_READ_CHUNK));
        buf.clear();
        let (res, mut buf) = self.pipe.read(buf).await;
        if res.is_ok() {
            dst.extend_from_slice(&buf);
        }
        buf.clear();
        *self.scratch.borrow_mut() = Some(buf);
        res
    }
}

#[derive(Debug, Default)]
pub(crate) struct FeedState {
    chunks: VecDeque<Bytes>,
    eof: bool,
    error: Option<io::Error>,
    waker: Option<Waker>,
}

/// The feeding end of a reader made by
/// [`StreamReader::with_feeder`](crate::StreamReader::with_feeder): what
/// asyncio's `feed_data` / `feed_eof` / `set_exception` do to a
/// `StreamReader`, for protocols that produce bytes themselves, and for
/// tests. What was fed before a read looks for more data reaches the
/// reader's buffer at once, as with asyncio's `feed_data`.
pub struct Feeder {
    state: Rc<RefCell<FeedState>>,
}

impl fmt::Debug for Feeder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.state.borrow();
        f.debug_struct("Feeder")
            .field("pending_chunks", &st.chunks.len())
            .field("eof", &st.eof)
            .finish()
    }
}

impl Feeder {
    pub(crate) fn new() -> (Feeder, Source) {
        let state = Rc::new(RefCell::new(FeedState::default()));
        (
            Feeder {
                state: state.clone(),
            },
            Source::Feed(state),
        )
    }

    /// Hands `data` to the reader (empty data is ignored). After
    /// [`feed_eof`](Feeder::feed_eof) this fails with
    /// [`WriteError::EofWritten`].
    pub fn feed_data(&self, data: impl Into<Bytes>) -> Result<(), WriteError> {
        let data = data.into();
        let mut st = self.state.borrow_mut();
        if st.eof {
            return Err(WriteError::EofWritten);
        }
        if !data.is_empty() {
            st.chunks.push_back(data);
            if let Some(w) = st.waker.take() {
                w.wake();
            }
        }
        Ok(())
    }

    /// Marks the end of the stream: once the fed data is read, reads see
    /// end of stream.
    pub fn feed_eof(&self) {
        let mut st = self.state.borrow_mut();
        st.eof = true;
        if let Some(w) = st.waker.take() {
            w.wake();
        }
    }

    /// Makes the reader's next receive fail with `error` (asyncio's
    /// `set_exception`), after the data fed before it.
    pub fn feed_error(&self, error: io::Error) {
        let mut st = self.state.borrow_mut();
        st.error = Some(error);
        if let Some(w) = st.waker.take() {
            w.wake();
        }
    }
}

impl Drop for Feeder {
    /// A dropped feeder ends the stream, so a reader never waits forever.
    fn drop(&mut self) {
        self.feed_eof();
    }
}
