//! [`TlsInfo`]: what a TLS connection's two sides agreed on.

use rustls::pki_types::CertificateDer;

/// What a TLS connection agreed on, from
/// [`StreamWriter::tls_info`](crate::StreamWriter::tls_info) (asyncio's
/// `writer.get_extra_info('ssl_object')`, `'peercert'`, `'cipher'`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TlsInfo {
    /// The TLS version (`TLSv1_3`, `TLSv1_2`).
    pub protocol_version: Option<rustls::ProtocolVersion>,
    /// The cipher suite.
    pub cipher_suite: Option<rustls::CipherSuite>,
    /// The application protocol agreed through ALPN (`b"h2"`,
    /// `b"http/1.1"`), if both sides offered some.
    pub alpn_protocol: Option<Vec<u8>>,
    /// On a server, the name the client asked for (SNI), if it sent one.
    pub server_name: Option<String>,
    /// The peer's certificate chain, its own first (empty when it sent
    /// none: a client without a certificate).
    pub peer_certificates: Vec<CertificateDer<'static>>,
}

impl TlsInfo {
    pub(crate) fn of(conn: &rustls::Connection) -> TlsInfo {
        TlsInfo {
            protocol_version: conn.protocol_version(),
            cipher_suite: conn.negotiated_cipher_suite().map(|s| s.suite()),
            alpn_protocol: conn.alpn_protocol().map(<[u8]>::to_vec),
            server_name: match conn {
                rustls::Connection::Server(s) => s.server_name().map(str::to_owned),
                rustls::Connection::Client(_) => None,
            },
            peer_certificates: conn
                .peer_certificates()
                .map(<[_]>::to_vec)
                .unwrap_or_default(),
        }
    }
}
