//! The client side of TLS: [`ClientTls`] (asyncio's `ssl=` and
//! `server_hostname=`) and [`open_tls_connection`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use ringio_runtime::net::{TcpStream, ToSocketAddrs, UnixStream};
use rustls::pki_types::ServerName;
use rustls::ClientConfig;

use super::error::TlsError;
use super::handshake::establish;
use super::DEFAULT_HANDSHAKE_TIMEOUT;
use crate::connect::StreamOptions;
use crate::reader::StreamReader;
use crate::sink::Sink;
use crate::source::Source;
use crate::writer::StreamWriter;

/// How a client speaks TLS: the rustls config (trusted roots, ALPN, ...),
/// the name of the server (checked against its certificate, sent as SNI)
/// and the handshake timeout. asyncio's `ssl=`, `server_hostname=` and
/// `ssl_handshake_timeout=` of `open_connection`.
#[derive(Clone)]
pub struct ClientTls {
    config: Arc<ClientConfig>,
    server_name: ServerName<'static>,
    handshake_timeout: Duration,
}

impl fmt::Debug for ClientTls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientTls")
            .field("server_name", &self.server_name)
            .field("alpn", &self.config.alpn_protocols)
            .field("handshake_timeout", &self.handshake_timeout)
            .finish()
    }
}

impl ClientTls {
    /// TLS with `config` to the server named `server_name` (a DNS name or
    /// an IP address). A name that is neither fails with
    /// [`TlsError::InvalidServerName`].
    pub fn new(config: Arc<ClientConfig>, server_name: &str) -> Result<ClientTls, TlsError> {
        let name = ServerName::try_from(server_name.to_owned())
            .map_err(|_| TlsError::InvalidServerName(server_name.to_owned()))?;
        Ok(Self::with_server_name(config, name))
    }

    /// TLS with `config` to the server `server_name`, already parsed.
    pub fn with_server_name(config: Arc<ClientConfig>, server_name: ServerName<'static>) -> Self {
        ClientTls {
            config,
            server_name,
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
        }
    }

    /// How long the handshake may take (60 s by default, as asyncio's
    /// `ssl_handshake_timeout`); then it fails with
    /// [`TlsError::HandshakeTimeout`].
    pub fn handshake_timeout(mut self, timeout: Duration) -> Self {
        self.handshake_timeout = timeout;
        self
    }
}

/// Connects over TCP, runs the TLS handshake and returns the connection's
/// reader and writer (asyncio's `open_connection(host, port, ssl=...)`).
/// They work as over plain TCP; the writer's
/// [`close`](StreamWriter::close) sends TLS's close_notify first, and the
/// reader sees end of stream at the peer's close_notify (an end of stream
/// without one is an `UnexpectedEof` error: the data may be cut short).
///
/// A failed handshake is a [`TlsError`] that says what went wrong
/// (unknown issuer, wrong name, a peer that does not speak TLS, no
/// protocol in common, ...).
///
/// ```
/// use std::sync::Arc;
/// use ringio::streams::tls::{rustls, ClientTls};
/// use ringio::streams::{open_tls_connection, start_server_with, ServerOptions, StreamReader, StreamWriter};
///
/// async fn echo(mut reader: StreamReader, writer: StreamWriter) -> Result<(), Box<dyn std::error::Error>> {
///     let line = reader.readline().await?;
///     writer.write(line)?;
///     writer.close();
///     Ok(())
/// }
///
/// let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
/// let key = rustls::pki_types::PrivateKeyDer::Pkcs8(cert.key_pair.serialize_der().into());
/// let server_config = rustls::ServerConfig::builder()
///     .with_no_client_auth()
///     .with_single_cert(vec![cert.cert.der().clone()], key)
///     .unwrap();
/// let mut roots = rustls::RootCertStore::empty();
/// roots.add(cert.cert.der().clone()).unwrap();
/// let client_config = rustls::ClientConfig::builder().with_root_certificates(roots).with_no_client_auth();
///
/// ringio::run(async {
///     let options = ServerOptions::new().tls(Arc::new(server_config));
///     let server = start_server_with(echo, "127.0.0.1:0", options).await?;
///     let tls = ClientTls::new(Arc::new(client_config), "localhost")?;
///     let (mut reader, writer) = open_tls_connection(server.local_addr()?, tls).await?;
///     writer.write("hello over TLS\n")?;
///     assert_eq!(reader.readline().await?, "hello over TLS\n");
///     Ok::<(), Box<dyn std::error::Error>>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub async fn open_tls_connection<A: ToSocketAddrs>(
    addr: A,
    tls: ClientTls,
) -> Result<(StreamReader, StreamWriter), TlsError> {
    open_tls_connection_with(addr, tls, StreamOptions::default()).await
}

/// [`open_tls_connection`] with options (the reader's limit).
pub async fn open_tls_connection_with<A: ToSocketAddrs>(
    addr: A,
    tls: ClientTls,
    options: StreamOptions,
) -> Result<(StreamReader, StreamWriter), TlsError> {
    let stream = TcpStream::connect(&addr).await?;
    from_tcp_tls(stream, tls, options).await
}

/// Runs the client's TLS handshake over a connected [`TcpStream`] and
/// wraps it in a reader and a writer (asyncio's
/// `open_connection(sock=..., ssl=...)`), setting `TCP_NODELAY`.
pub async fn from_tcp_tls(
    stream: TcpStream,
    tls: ClientTls,
    options: StreamOptions,
) -> Result<(StreamReader, StreamWriter), TlsError> {
    stream.set_nodelay(true)?;
    let (r, w) = stream.into_split();
    client_handshake(Source::Tcp(r), Sink::Tcp(w), tls, options).await
}

/// Runs the client's TLS handshake over a connected [`UnixStream`] and
/// wraps it in a reader and a writer (asyncio's
/// `open_unix_connection(path, ssl=...)`; a server serves it with
/// [`start_unix_server_with`](crate::start_unix_server_with) and
/// [`ServerOptions::tls`](crate::ServerOptions::tls)).
pub async fn from_unix_tls(
    stream: UnixStream,
    tls: ClientTls,
    options: StreamOptions,
) -> Result<(StreamReader, StreamWriter), TlsError> {
    let (r, w) = stream.into_split();
    client_handshake(Source::Unix(r), Sink::Unix(w), tls, options).await
}

async fn client_handshake(
    source: Source,
    sink: Sink,
    tls: ClientTls,
    options: StreamOptions,
) -> Result<(StreamReader, StreamWriter), TlsError> {
    let conn = rustls::ClientConnection::new(tls.config, tls.server_name)
        .map_err(|e| TlsError::from_rustls(e, &[]))?;
    establish(
        source,
        sink,
        conn.into(),
        tls.handshake_timeout,
        options.get_limit(),
    )
    .await
}
