//! The TLS transport under a reader ([`TlsSource`]) and a writer
//! ([`TlsSink`]): a socket's [`Source`] and [`Sink`] carrying the
//! ciphertext, and the [`Session`] both share.

use std::cell::RefCell;
use std::io;
use std::rc::Rc;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};

use super::session::Session;
use crate::sink::Sink;
use crate::source::Source;

/// The reading side: receives ciphertext, hands out plaintext.
#[derive(Debug)]
pub(crate) struct TlsSource {
    raw: Box<Source>,
    session: Rc<Session>,
    /// The receive buffer, reused from read to read (`None` while a read
    /// holds it, or after a dropped read took it).
    scratch: RefCell<Option<BytesMut>>,
}

impl TlsSource {
    pub(crate) fn new(raw: Source, session: Rc<Session>) -> TlsSource {
        TlsSource {
            raw: Box::new(raw),
            session,
            scratch: RefCell::new(None),
        }
    }

    /// Appends the next plaintext to `dst`; `Ok(0)` after the peer's
    /// close_notify. The only wait is the socket's receive, which loses
    /// nothing when dropped; decrypting happens after it, without a wait,
    /// so a dropped read loses no byte.
    pub(crate) async fn read_buf(&self, dst: &mut BytesMut) -> io::Result<usize> {
        loop {
            if let Some(res) = self.session.take_plaintext(dst) {
                return res;
            }
            let taken = self.scratch.borrow_mut().take();
            let mut cipher = taken.unwrap_or_default();
            cipher.clear();
            let res = match self.raw.read_plain(&mut cipher).await {
                Ok(_) => self.session.ingest(&cipher, dst).map_err(io::Error::from),
                Err(e) => Err(e),
            };
            cipher.clear();
            *self.scratch.borrow_mut() = Some(cipher);
            match res? {
                0 => continue,
                n => return Ok(n),
            }
        }
    }
}

/// The writing side: encrypts plaintext, sends the records.
#[derive(Debug)]
pub(crate) struct TlsSink {
    raw: Box<Sink>,
    session: Rc<Session>,
    /// The buffer records are copied into to be sent, reused once a send
    /// gives it back whole.
    out: RefCell<BytesMut>,
}

impl TlsSink {
    pub(crate) fn new(raw: Sink, session: Rc<Session>) -> TlsSink {
        TlsSink {
            raw: Box::new(raw),
            session,
            out: RefCell::new(BytesMut::new()),
        }
    }

    /// What the handshake agreed on.
    pub(crate) fn info(&self) -> super::TlsInfo {
        self.session.info()
    }

    /// The socket under the TLS layer.
    pub(crate) fn raw(&self) -> &Sink {
        &self.raw
    }

    /// Encrypts from the front of `batch` and sends the records; returns
    /// how many plaintext bytes were taken (sent, once this returns). An
    /// empty batch sends the records the reader's side made.
    pub(crate) async fn send(&self, batch: Vec<Bytes>) -> (io::Result<usize>, Vec<Bytes>) {
        let mut taken = 0;
        // Twice at most: a first write may find rustls's buffer full of
        // records the reader's side made.
        for _ in 0..2 {
            match self.session.write_plaintext(&batch) {
                Ok(n) => taken += n,
                Err(e) => return (Err(e), batch),
            }
            if let Err(e) = self.flush().await {
                return (Err(e), batch);
            }
            if taken > 0 || batch.iter().all(Bytes::is_empty) {
                break;
            }
        }
        (Ok(taken), batch)
    }

    /// Sends every record rustls holds.
    pub(crate) async fn flush(&self) -> io::Result<()> {
        loop {
            let mut out = std::mem::take(&mut *self.out.borrow_mut());
            let Some(records) = self.session.take_output(&mut out) else {
                *self.out.borrow_mut() = out;
                return Ok(());
            };
            drop(out);
            let sent = self.raw.send_all_plain(records).await?;
            // The allocation comes back when nothing else holds it.
            if let Ok(mut back) = sent.try_into_mut() {
                back.clear();
                *self.out.borrow_mut() = back;
            }
        }
    }

    /// Sends close_notify, then shuts down the socket's writing side.
    pub(crate) async fn shutdown(&self) -> io::Result<()> {
        self.session.send_close_notify();
        self.flush().await?;
        self.raw.shutdown_plain().await
    }

    /// Ready when records wait to be sent.
    pub(crate) fn poll_output(&self, cx: &mut Context<'_>) -> Poll<()> {
        self.session.poll_output(cx)
    }
}
