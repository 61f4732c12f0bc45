//! The TLS handshake, run before a connection's reader and writer exist,
//! and the reader and writer made once it is done.

use std::rc::Rc;
use std::time::Duration;

use bytes::BytesMut;

use super::error::TlsError;
use super::session::Session;
use super::transport::{TlsSink, TlsSource};
use crate::reader::StreamReader;
use crate::sink::Sink;
use crate::source::Source;
use crate::writer::StreamWriter;

/// Runs the handshake of `conn` over a socket's `source` and `sink`
/// within `timeout`, then makes the connection's reader (with `limit`)
/// and writer.
pub(crate) async fn establish(
    source: Source,
    sink: Sink,
    conn: rustls::Connection,
    timeout: Duration,
    limit: usize,
) -> Result<(StreamReader, StreamWriter), TlsError> {
    let session = Rc::new(Session::new(conn));
    // Application data that came with the peer's last handshake flight.
    let mut early = BytesMut::new();
    match ringio_runtime::time::timeout(timeout, handshake(&session, &source, &sink, &mut early))
        .await
    {
        Ok(res) => res?,
        Err(_) => return Err(TlsError::HandshakeTimeout(timeout)),
    }
    let writer = StreamWriter::with_sink(Sink::Tls(TlsSink::new(sink, session.clone())))?;
    let mut reader = StreamReader::with_source(Source::Tls(TlsSource::new(source, session)), limit)
        .map_err(std::io::Error::from)?;
    reader.prefill(early);
    reader.link_writer(writer.shared());
    Ok((reader, writer))
}

async fn handshake(
    session: &Session,
    source: &Source,
    sink: &Sink,
    early: &mut BytesMut,
) -> Result<(), TlsError> {
    let mut cipher = BytesMut::new();
    loop {
        flush(session, sink).await?;
        if !session.is_handshaking() {
            return Ok(());
        }
        cipher.clear();
        let n = loop {
            match source.read_plain(&mut cipher).await {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                res => break res?,
            }
        };
        if n == 0 {
            session.ingest(&[], early)?;
            return Err(session.handshake_eof());
        }
        if let Err(e) = session
            .ingest(&cipher, early)
            .and_then(|_| session.take_pending().map_or(Ok(()), Err))
        {
            // Send the alert rustls queued, so that the peer learns why
            // (best effort: the peer may be gone).
            let _ = flush(session, sink).await;
            return Err(e);
        }
    }
}

async fn flush(session: &Session, sink: &Sink) -> std::io::Result<()> {
    let mut out = BytesMut::new();
    while let Some(records) = session.take_output(&mut out) {
        sink.send_all_plain(records).await?;
    }
    Ok(())
}
