//! [`StreamWriter`]: asyncio's buffering writer, and the flusher task that
//! sends what it queues.
//!
//! `write` only queues (`Bytes` chunks, never copied). One flusher task per
//! writer takes up to [`MAX_BATCH`] chunks at a time and sends them with
//! one gathered write, puts back what a short write left, and after
//! `close`/`write_eof` (or the last handle's drop) shuts down the writing
//! side once the queue is empty. All state sits in one `RefCell` that is
//! never borrowed across an await.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use bytes::{Buf, Bytes};
use ringio_runtime::net::{tcp, unix};
use ringio_runtime::pipe::PipeWriter;

use crate::error::{connection_lost, InvalidLimit, WriteError};
use crate::sink::Sink;
use crate::write_data::WriteData;

/// The default high-water mark: `drain` waits while more than this is
/// queued (64 KiB, as asyncio).
pub const DEFAULT_HIGH_WATER: usize = 64 * 1024;
/// The default low-water mark: a waiting `drain` returns once the queue is
/// down to this (16 KiB, as asyncio).
pub const DEFAULT_LOW_WATER: usize = 16 * 1024;
/// The most chunks sent by one gathered write.
const MAX_BATCH: usize = 256;

#[derive(Debug)]
struct State {
    queue: VecDeque<Bytes>,
    /// Bytes written and not yet sent (those in flight included).
    queued: usize,
    high: usize,
    low: usize,
    /// Above the high-water mark, not yet back down to the low one.
    paused: bool,
    closing: bool,
    eof: bool,
    /// Why the connection was lost, once it was.
    lost: Option<String>,
    /// The flusher is done: everything sent (or lost), writing side shut.
    done: bool,
    handles: usize,
    flusher: Option<Waker>,
    drain_waiters: Vec<Waker>,
    closed_waiters: Vec<Waker>,
}

/// What a writer and its flusher share.
#[derive(Debug)]
pub(crate) struct Shared {
    sink: Sink,
    /// Send at once from `write` when nothing waits to go (see
    /// [`Sink::writes_at_once`]).
    at_once: bool,
    state: RefCell<State>,
}

fn register(list: &mut Vec<Waker>, w: &Waker) {
    // Dropped waits leave their waker behind; one per task at most.
    if !list.iter().any(|x| x.will_wake(w)) {
        list.push(w.clone());
    }
}

fn wake_all(list: &mut Vec<Waker>) {
    for w in list.drain(..) {
        w.wake();
    }
}

impl Shared {
    /// Marks the connection lost: queued data is dropped, every waiter
    /// wakes and sees the error.
    pub(crate) fn connection_lost(&self, cause: &str) {
        let mut st = self.state.borrow_mut();
        if st.lost.is_none() && !st.done {
            st.lost = Some(cause.to_owned());
        }
        st.queue.clear();
        st.queued = 0;
        st.paused = false;
        wake_all(&mut st.drain_waiters);
        if let Some(w) = st.flusher.take() {
            w.wake();
        }
    }

    fn poll_step(&self, cx: &mut Context<'_>, batch: &mut Vec<Bytes>) -> Poll<Step> {
        let mut st = self.state.borrow_mut();
        if st.lost.is_some() {
            return Poll::Ready(Step::Finish);
        }
        if !st.queue.is_empty() {
            let n = st.queue.len().min(MAX_BATCH);
            batch.extend(st.queue.drain(..n));
            return Poll::Ready(Step::Send);
        }
        if st.eof || st.closing {
            return Poll::Ready(Step::Shutdown);
        }
        // Bytes of the transport's own (TLS alerts, key updates) go out
        // with an empty batch.
        if self.sink.poll_output(cx).is_ready() {
            return Poll::Ready(Step::Send);
        }
        st.flusher = Some(cx.waker().clone());
        Poll::Pending
    }

    /// Accounts for `n` bytes of `batch` sent; puts the rest back in front.
    fn sent(&self, mut n: usize, batch: &mut Vec<Bytes>) {
        let mut st = self.state.borrow_mut();
        if st.lost.is_some() {
            batch.clear();
            return;
        }
        st.queued -= n.min(st.queued);
        let mut unsent = Vec::new();
        for mut chunk in batch.drain(..) {
            if n >= chunk.len() {
                n -= chunk.len();
            } else {
                chunk.advance(n);
                n = 0;
                unsent.push(chunk);
            }
        }
        for chunk in unsent.into_iter().rev() {
            st.queue.push_front(chunk);
        }
        if st.paused && st.queued <= st.low {
            st.paused = false;
            wake_all(&mut st.drain_waiters);
        }
    }

    fn finish(&self) {
        let mut st = self.state.borrow_mut();
        st.done = true;
        st.paused = false;
        wake_all(&mut st.drain_waiters);
        wake_all(&mut st.closed_waiters);
    }
}

enum Step {
    Send,
    Shutdown,
    Finish,
}

/// Sends what the writer queues until it closes or the connection is lost.
async fn flush(shared: Rc<Shared>) {
    let mut batch = Vec::new();
    loop {
        match poll_fn(|cx| shared.poll_step(cx, &mut batch)).await {
            Step::Send => {
                let had_data = !batch.is_empty();
                let (res, mut back) = shared.sink.send(std::mem::take(&mut batch)).await;
                match res {
                    Ok(0) if had_data => shared.connection_lost("the transport accepted no bytes"),
                    Ok(n) => shared.sent(n, &mut back),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => shared.sent(0, &mut back),
                    Err(e) => shared.connection_lost(&e.to_string()),
                }
                back.clear();
                batch = back;
            }
            Step::Shutdown => {
                if let Err(e) = shared.sink.shutdown().await {
                    // The peer may be gone already; nothing was left to send.
                    tracing::debug!("stream writer: shutdown failed: {e}");
                }
                let closing = shared.state.borrow().closing;
                if closing {
                    break;
                }
                // write_eof: wait for close (or loss) without sending more.
                poll_fn(|cx| {
                    let mut st = shared.state.borrow_mut();
                    if st.closing || st.lost.is_some() {
                        Poll::Ready(())
                    } else {
                        st.flusher = Some(cx.waker().clone());
                        Poll::Pending
                    }
                })
                .await;
                break;
            }
            Step::Finish => {
                // The connection is lost; what the transport still holds of
                // its own (a TLS alert saying why) goes out if it can.
                shared.sink.flush_own().await;
                break;
            }
        }
    }
    shared.finish();
}

/// The writing side of a connection, as asyncio's `StreamWriter`.
///
/// [`write`](StreamWriter::write) never waits: it queues the bytes (as
/// `Bytes`, not copied) and a background task sends them, vectored, as
/// soon as the socket takes them, whether or not anyone awaits
/// [`drain`](StreamWriter::drain). `drain` is the flow control: it waits
/// while more than the high-water mark is queued, until the queue is down
/// to the low-water mark.
///
/// Clones share the connection (a chat server hands one to every task that
/// writes to a client). Dropping the last handle closes the writer as
/// [`close`](StreamWriter::close) does: queued data is still sent first.
/// The reading side of the socket stays open while its
/// [`StreamReader`](crate::StreamReader) lives.
pub struct StreamWriter {
    shared: Rc<Shared>,
}

impl fmt::Debug for StreamWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.shared.state.borrow();
        f.debug_struct("StreamWriter")
            .field("transport", &self.shared.sink)
            .field("queued", &st.queued)
            .field("closing", &st.closing)
            .field("lost", &st.lost)
            .finish()
    }
}

impl Clone for StreamWriter {
    fn clone(&self) -> Self {
        self.shared.state.borrow_mut().handles += 1;
        StreamWriter {
            shared: self.shared.clone(),
        }
    }
}

impl Drop for StreamWriter {
    fn drop(&mut self) {
        let mut st = self.shared.state.borrow_mut();
        st.handles -= 1;
        if st.handles == 0 {
            st.closing = true;
            if let Some(w) = st.flusher.take() {
                w.wake();
            }
        }
    }
}

impl StreamWriter {
    pub(crate) fn with_sink(sink: Sink) -> io::Result<StreamWriter> {
        let shared = Rc::new(Shared {
            at_once: sink.writes_at_once(),
            sink,
            state: RefCell::new(State {
                queue: VecDeque::new(),
                queued: 0,
                high: DEFAULT_HIGH_WATER,
                low: DEFAULT_LOW_WATER,
                paused: false,
                closing: false,
                eof: false,
                lost: None,
                done: false,
                handles: 1,
                flusher: None,
                drain_waiters: Vec::new(),
                closed_waiters: Vec::new(),
            }),
        });
        ringio_runtime::task::Builder::new().spawn(flush(shared.clone()))?;
        Ok(StreamWriter { shared })
    }

    /// A writer over the write half of a TCP stream. Starts its sending
    /// task, so it fails when no ringio loop runs on this thread.
    pub fn from_tcp(half: tcp::OwnedWriteHalf) -> io::Result<StreamWriter> {
        Self::with_sink(Sink::Tcp(half))
    }

    /// A writer over the write half of a Unix stream. Fails when no ringio
    /// loop runs on this thread.
    pub fn from_unix(half: unix::OwnedWriteHalf) -> io::Result<StreamWriter> {
        Self::with_sink(Sink::Unix(half))
    }

    /// A writer over the write end of a pipe (a child process's stdin, see
    /// [`subprocess`](crate::subprocess)). [`close`](StreamWriter::close) and
    /// [`write_eof`](StreamWriter::write_eof) close the pipe once the queued
    /// data is written, so the reader sees end of stream. A reader that is
    /// gone (a child that exited) makes the writer's connection lost:
    /// `drain` and later writes fail with [`WriteError::ConnectionLost`]
    /// naming the broken pipe (a Rust program ignores `SIGPIPE` unless it
    /// opts out, so the write fails instead of killing the process). Fails
    /// when no ringio loop runs on this thread.
    pub fn from_pipe(pipe: PipeWriter) -> io::Result<StreamWriter> {
        Self::with_sink(Sink::Pipe(RefCell::new(Some(Rc::new(pipe)))))
    }

    pub(crate) fn shared(&self) -> Rc<Shared> {
        self.shared.clone()
    }

    fn check_open(st: &State) -> Result<(), WriteError> {
        if let Some(cause) = &st.lost {
            return Err(WriteError::ConnectionLost(connection_lost(cause)));
        }
        if st.closing {
            return Err(WriteError::Closing);
        }
        if st.eof {
            return Err(WriteError::EofWritten);
        }
        Ok(())
    }

    /// Queues `data` to be sent, without waiting (asyncio's `write`).
    /// Takes owned buffers (`Bytes`, `Vec<u8>`, `String`, ...) without a
    /// copy, and borrowed bytes (`b"hello\n"`, `&buf[..n]`, `&str`) as a
    /// copy: see [`WriteData`].
    ///
    /// Fails after `close`, after `write_eof`, and once the connection is
    /// lost ([`WriteError::ConnectionLost`], kind `ConnectionReset`).
    ///
    /// On the epoll backend, a socket's write with nothing queued is sent
    /// at once (one non-blocking `send`, as asyncio's selector transports
    /// do; a failure then marks the connection lost and `drain` reports
    /// it); what the socket does not take is queued, in order. On io_uring
    /// the writer's sending task submits it, batched with the loop's other
    /// operations.
    pub fn write(&self, data: impl WriteData) -> Result<(), WriteError> {
        let mut data = data.into_bytes();
        let mut st = self.shared.state.borrow_mut();
        Self::check_open(&st)?;
        if data.is_empty() {
            return Ok(());
        }
        // Nothing queued and the flusher parked (no send in flight): on
        // epoll, send now, as asyncio's transports do; queue what is left.
        if self.shared.at_once && st.queue.is_empty() && st.flusher.is_some() {
            match self.shared.sink.try_write(&data) {
                Some(Ok(n)) if n == data.len() => return Ok(()),
                Some(Ok(n)) => data.advance(n),
                Some(Err(e)) if e.kind() == io::ErrorKind::WouldBlock => {}
                Some(Err(e)) => {
                    // As asyncio: write does not fail; drain reports it.
                    drop(st);
                    self.shared.connection_lost(&e.to_string());
                    return Ok(());
                }
                None => {}
            }
        }
        st.queued += data.len();
        st.queue.push_back(data);
        if st.queued > st.high {
            st.paused = true;
        }
        if let Some(w) = st.flusher.take() {
            w.wake();
        }
        Ok(())
    }

    /// Queues a copy of `data` (for bytes that are only borrowed).
    pub fn write_slice(&self, data: &[u8]) -> Result<(), WriteError> {
        self.write(Bytes::copy_from_slice(data))
    }

    /// Queues each item in turn (asyncio's `writelines`); stops at the
    /// first that cannot be queued.
    pub fn writelines<I, B>(&self, lines: I) -> Result<(), WriteError>
    where
        I: IntoIterator<Item = B>,
        B: WriteData,
    {
        lines.into_iter().try_for_each(|b| self.write(b))
    }

    /// Waits until it is fine to write more (asyncio's `drain`): at once
    /// when at most the high-water mark is queued; otherwise until the
    /// queue is down to the low-water mark. Fails with
    /// [`WriteError::ConnectionLost`] (kind `ConnectionReset`) when the
    /// connection is lost, also while waiting: it never hangs on a dead
    /// peer. Fails with [`WriteError::Closing`] after `close`.
    pub async fn drain(&self) -> Result<(), WriteError> {
        poll_fn(|cx| {
            let mut st = self.shared.state.borrow_mut();
            if let Some(cause) = &st.lost {
                return Poll::Ready(Err(WriteError::ConnectionLost(connection_lost(cause))));
            }
            if st.closing {
                return Poll::Ready(Err(WriteError::Closing));
            }
            if !st.paused {
                return Poll::Ready(Ok(()));
            }
            register(&mut st.drain_waiters, cx.waker());
            Poll::Pending
        })
        .await
    }

    /// How many bytes are queued and not yet sent (asyncio's
    /// `transport.get_write_buffer_size()`).
    pub fn buffer_size(&self) -> usize {
        self.shared.state.borrow().queued
    }

    /// The high- and low-water marks of [`drain`](StreamWriter::drain).
    pub fn write_buffer_limits(&self) -> (usize, usize) {
        let st = self.shared.state.borrow();
        (st.high, st.low)
    }

    /// Sets the high- and low-water marks (asyncio's
    /// `transport.set_write_buffer_limits`). `low` above `high` is
    /// rejected.
    pub fn set_write_buffer_limits(&self, high: usize, low: usize) -> Result<(), InvalidLimit> {
        if low > high {
            return Err(InvalidLimit::WaterMarks { high, low });
        }
        let mut st = self.shared.state.borrow_mut();
        st.high = high;
        st.low = low;
        if st.queued > high {
            st.paused = true;
        } else if st.paused && st.queued <= low {
            st.paused = false;
            wake_all(&mut st.drain_waiters);
        }
        Ok(())
    }

    /// Closes the writer (asyncio's `close`): it takes no more data; what
    /// was queued is still sent, then the writing side is shut down (the
    /// peer reads end of stream). Await
    /// [`wait_closed`](StreamWriter::wait_closed) for that to finish.
    pub fn close(&self) {
        let mut st = self.shared.state.borrow_mut();
        st.closing = true;
        if let Some(w) = st.flusher.take() {
            w.wake();
        }
    }

    /// True once [`close`](StreamWriter::close) was called or the
    /// connection was lost.
    pub fn is_closing(&self) -> bool {
        let st = self.shared.state.borrow();
        st.closing || st.lost.is_some()
    }

    /// Waits until the writer is closed: everything queued sent and the
    /// writing side shut down (or the connection lost). Call it after
    /// [`close`](StreamWriter::close); before, it waits for the close.
    /// Fails with [`WriteError::ConnectionLost`] when the connection was
    /// lost before the queued data could be sent.
    pub async fn wait_closed(&self) -> Result<(), WriteError> {
        poll_fn(|cx| {
            let mut st = self.shared.state.borrow_mut();
            if !st.done {
                register(&mut st.closed_waiters, cx.waker());
                return Poll::Pending;
            }
            Poll::Ready(match &st.lost {
                Some(cause) => Err(WriteError::ConnectionLost(connection_lost(cause))),
                None => Ok(()),
            })
        })
        .await
    }

    /// Shuts down the writing side once the queued data is sent (asyncio's
    /// `write_eof`): the peer reads end of stream while this side can go on
    /// reading. Later writes fail with [`WriteError::EofWritten`].
    pub fn write_eof(&self) -> Result<(), WriteError> {
        let mut st = self.shared.state.borrow_mut();
        if let Some(cause) = &st.lost {
            return Err(WriteError::ConnectionLost(connection_lost(cause)));
        }
        if st.closing {
            return Err(WriteError::Closing);
        }
        st.eof = true;
        if let Some(w) = st.flusher.take() {
            w.wake();
        }
        Ok(())
    }

    /// Whether [`write_eof`](StreamWriter::write_eof) is supported: always,
    /// for TCP and Unix streams and pipes, and over TLS (where it sends
    /// close_notify first; the peer can go on writing).
    pub fn can_write_eof(&self) -> bool {
        true
    }

    /// What the TLS handshake agreed on (version, cipher suite, ALPN
    /// protocol, the client's server name, the peer's certificates), for a
    /// TLS connection; `None` for any other (feature `tls`).
    #[cfg(feature = "tls")]
    pub fn tls_info(&self) -> Option<crate::tls::TlsInfo> {
        match &self.shared.sink {
            Sink::Tls(t) => Some(t.info()),
            _ => None,
        }
    }

    /// The peer's address, for a TCP connection. A Unix connection or a
    /// pipe gives an `Unsupported` error (for Unix, see
    /// [`unix_peer_addr`](StreamWriter::unix_peer_addr)).
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        match self.shared.sink.carrier() {
            Sink::Tcp(s) => s.peer_addr(),
            other => Err(no_address(other)),
        }
    }

    /// This end's address, for a TCP connection (`Unsupported` otherwise:
    /// for Unix see [`unix_local_addr`](StreamWriter::unix_local_addr)).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        match self.shared.sink.carrier() {
            Sink::Tcp(s) => s.local_addr(),
            other => Err(no_address(other)),
        }
    }

    /// The peer's address, for a Unix connection (`Unsupported` for TCP
    /// and pipes).
    pub fn unix_peer_addr(&self) -> io::Result<std::os::unix::net::SocketAddr> {
        match self.shared.sink.carrier() {
            Sink::Unix(s) => s.peer_addr(),
            other => Err(no_address(other)),
        }
    }

    /// This end's address, for a Unix connection (`Unsupported` for TCP
    /// and pipes).
    pub fn unix_local_addr(&self) -> io::Result<std::os::unix::net::SocketAddr> {
        match self.shared.sink.carrier() {
            Sink::Unix(s) => s.local_addr(),
            other => Err(no_address(other)),
        }
    }
}

/// The error of an address asked of the wrong kind of transport; it says
/// which methods fit this one.
fn no_address(sink: &Sink) -> io::Error {
    let hint = match sink.carrier() {
        Sink::Tcp(_) => ": use peer_addr() / local_addr()",
        Sink::Unix(_) => ": use unix_peer_addr() / unix_local_addr()",
        Sink::Pipe(_) => ", which has no address",
        #[cfg(feature = "tls")]
        Sink::Tls(_) => "",
    };
    io::Error::new(
        io::ErrorKind::Unsupported,
        format!("this writer is over {}{hint}", sink.kind()),
    )
}
