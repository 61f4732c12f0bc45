//! The server side of TLS: each accepted connection's handshake.

use std::sync::Arc;
use std::time::Duration;

use rustls::ServerConfig;

use super::error::TlsError;
use super::handshake::establish;
use crate::reader::StreamReader;
use crate::sink::Sink;
use crate::source::Source;
use crate::writer::StreamWriter;

/// Runs the server's handshake with `config` over an accepted socket's
/// `source` and `sink`.
pub(crate) async fn accept(
    source: Source,
    sink: Sink,
    config: Arc<ServerConfig>,
    timeout: Duration,
    limit: usize,
) -> Result<(StreamReader, StreamWriter), TlsError> {
    let conn = rustls::ServerConnection::new(config).map_err(|e| TlsError::from_rustls(e, &[]))?;
    establish(source, sink, conn.into(), timeout, limit).await
}
