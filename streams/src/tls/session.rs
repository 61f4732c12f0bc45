//! The TLS session a connection's reader and writer share: rustls's state
//! machine, fed the ciphertext the reader receives and drained of the
//! records the writer sends. Its `RefCell` is never borrowed across an
//! await: every method here runs to its end without waiting.

use std::cell::RefCell;
use std::fmt;
use std::io::{self, BufRead, Write};
use std::task::{Context, Poll, Waker};

use bytes::{Bytes, BytesMut};

use super::error::TlsError;

/// How many of the peer's first bytes are kept, to name a plain-text peer.
const PREVIEW: usize = 16;

pub(crate) struct Session {
    state: RefCell<State>,
}

struct State {
    conn: rustls::Connection,
    /// The start of what the peer sent.
    received: Vec<u8>,
    /// The writer's flusher, waiting for records to send (records the
    /// reader's side makes: alerts, key updates).
    flusher: Option<Waker>,
    /// A failure found after some plaintext was decrypted: that plaintext
    /// is read first, then this.
    pending: Option<TlsError>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.state.borrow();
        f.debug_struct("Session")
            .field("version", &st.conn.protocol_version())
            .field("handshaking", &st.conn.is_handshaking())
            .finish()
    }
}

impl State {
    fn wake_flusher(&mut self) {
        if self.conn.wants_write() {
            if let Some(w) = self.flusher.take() {
                w.wake();
            }
        }
    }
}

/// Moves the decrypted bytes rustls holds to `dst`; returns how many.
fn drain_plaintext(conn: &mut rustls::Connection, dst: &mut BytesMut) -> usize {
    let mut reader = conn.reader();
    let mut n = 0;
    while let Ok(chunk) = reader.fill_buf() {
        if chunk.is_empty() {
            break;
        }
        let len = chunk.len();
        dst.extend_from_slice(chunk);
        reader.consume(len);
        n += len;
    }
    n
}

impl Session {
    pub(crate) fn new(conn: rustls::Connection) -> Session {
        Session {
            state: RefCell::new(State {
                conn,
                received: Vec::new(),
                flusher: None,
                pending: None,
            }),
        }
    }

    pub(crate) fn is_handshaking(&self) -> bool {
        self.state.borrow().conn.is_handshaking()
    }

    /// Feeds `data` received from the peer (empty: end of stream) and
    /// appends what it decrypts to to `dst`; returns how many plaintext
    /// bytes that was. Consumes all of `data`.
    pub(crate) fn ingest(&self, mut data: &[u8], dst: &mut BytesMut) -> Result<usize, TlsError> {
        let mut guard = self.state.borrow_mut();
        let st = &mut *guard;
        if st.received.len() < PREVIEW {
            let take = (PREVIEW - st.received.len()).min(data.len());
            st.received.extend_from_slice(&data[..take]);
        }
        if data.is_empty() {
            // Tells rustls of the end of stream (a read of 0).
            st.conn.read_tls(&mut data)?;
            return Ok(0);
        }
        let mut n = 0;
        while !data.is_empty() {
            // 0 once close_notify came: what follows it is not read.
            if st.conn.read_tls(&mut data)? == 0 {
                break;
            }
            if let Err(e) = st.conn.process_new_packets() {
                // rustls queued an alert saying why: let the writer send it.
                st.wake_flusher();
                let e = TlsError::from_rustls(e, &st.received);
                // The records before the bad one were good: they are read
                // before the failure is.
                n += drain_plaintext(&mut st.conn, dst);
                if n == 0 {
                    return Err(e);
                }
                st.pending = Some(e);
                return Ok(n);
            }
            // The plaintext buffer is small (16 KiB): empty it before more.
            n += drain_plaintext(&mut st.conn, dst);
        }
        st.wake_flusher();
        Ok(n)
    }

    /// What a read gets without receiving more: the decrypted bytes rustls
    /// holds (moved to `dst`), `Ok(0)` after the peer's close_notify, an
    /// `UnexpectedEof` error after an end of stream without one. `None`:
    /// receive more.
    pub(crate) fn take_plaintext(&self, dst: &mut BytesMut) -> Option<io::Result<usize>> {
        let mut st = self.state.borrow_mut();
        let n = drain_plaintext(&mut st.conn, dst);
        if n > 0 {
            return Some(Ok(n));
        }
        if let Some(e) = st.pending.take() {
            return Some(Err(e.into()));
        }
        match st.conn.reader().fill_buf() {
            Ok(_) => Some(Ok(0)),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => None,
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Some(Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "TLS: the peer closed the connection without a close_notify, so what was \
                 received may be cut short (a peer that ends with close() sends one)",
            ))),
            Err(e) => Some(Err(e)),
        }
    }

    /// A failure kept for after the plaintext that came before it.
    pub(crate) fn take_pending(&self) -> Option<TlsError> {
        self.state.borrow_mut().pending.take()
    }

    /// The error for an end of stream during the handshake: a plain-text
    /// peer when what it sent was not TLS, else a peer that hung up.
    pub(crate) fn handshake_eof(&self) -> TlsError {
        let st = self.state.borrow();
        match TlsError::from_rustls(
            rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
            &st.received,
        ) {
            e @ TlsError::NotTls { .. } => e,
            _ => TlsError::HandshakeEof,
        }
    }

    /// Encrypts the front of `batch`, as much as rustls's bounded buffer of
    /// records takes; returns how many plaintext bytes it took.
    pub(crate) fn write_plaintext(&self, batch: &[Bytes]) -> io::Result<usize> {
        let mut st = self.state.borrow_mut();
        let mut writer = st.conn.writer();
        let mut n = 0;
        for chunk in batch {
            let k = writer.write(chunk)?;
            n += k;
            if k < chunk.len() {
                break;
            }
        }
        Ok(n)
    }

    /// The records waiting to be sent, if any, moved into `out` (a buffer
    /// reused from flush to flush) and returned as `Bytes`.
    pub(crate) fn take_output(&self, out: &mut BytesMut) -> Option<Bytes> {
        use bytes::BufMut;
        let mut st = self.state.borrow_mut();
        if !st.conn.wants_write() {
            return None;
        }
        out.clear();
        let mut w = out.writer();
        while st.conn.wants_write() {
            // Writing into memory cannot fail.
            if st.conn.write_tls(&mut w).is_err() {
                break;
            }
        }
        Some(out.split().freeze())
    }

    /// Ready when records wait to be sent; else keeps `cx`'s waker for
    /// when the reader's side makes some.
    pub(crate) fn poll_output(&self, cx: &mut Context<'_>) -> Poll<()> {
        let mut st = self.state.borrow_mut();
        if st.conn.wants_write() {
            return Poll::Ready(());
        }
        st.flusher = Some(cx.waker().clone());
        Poll::Pending
    }

    /// What the handshake agreed on.
    pub(crate) fn info(&self) -> super::TlsInfo {
        super::TlsInfo::of(&self.state.borrow().conn)
    }

    /// Queues the close_notify alert (sent by the next flush).
    pub(crate) fn send_close_notify(&self) {
        self.state.borrow_mut().conn.send_close_notify();
    }
}
