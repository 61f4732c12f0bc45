//! [`TlsError`]: why a TLS connection could not be set up, in words that
//! say what to do, and how rustls's errors map onto it.

use std::fmt;
use std::io;
use std::time::Duration;

use rustls::{AlertDescription, CertificateError, Error as RustlsError};

/// Why a TLS handshake (or a TLS connection) failed.
///
/// The handshake failures people meet most have a variant of their own,
/// with a message that says what to do: [`UnknownIssuer`](TlsError::UnknownIssuer),
/// [`WrongName`](TlsError::WrongName), [`NotTls`](TlsError::NotTls) (a
/// plain-text peer), [`ProtocolMismatch`](TlsError::ProtocolMismatch).
/// The other side of a certificate failure sees
/// [`CertificateRejected`](TlsError::CertificateRejected).
///
/// Converts into an [`io::Error`] that holds it (`get_ref()` and
/// `downcast` give it back): kind `TimedOut` for a handshake timeout,
/// `UnexpectedEof` for a peer that closed during the handshake,
/// `InvalidInput` for a bad server name, the error itself for
/// [`Io`](TlsError::Io), `InvalidData` for the rest.
#[derive(Debug)]
#[non_exhaustive]
pub enum TlsError {
    /// The peer's certificate is not signed by an authority this side
    /// trusts (a self-signed certificate, or a private CA, not in the
    /// `RootCertStore`).
    UnknownIssuer,
    /// The server's certificate is not valid for the name the client asked
    /// for (the `server_name` given to [`ClientTls`](crate::ClientTls)).
    WrongName {
        /// The name the client asked for.
        expected: String,
        /// The names the certificate is valid for (empty when rustls did
        /// not say).
        presented: Vec<String>,
    },
    /// The peer's certificate is invalid for another reason: expired, not
    /// yet valid, badly signed, revoked, ...
    BadCertificate(CertificateError),
    /// The peer refused this side's certificate: it ended the handshake
    /// with the alert named (`UnknownCA`: it does not trust the authority
    /// that signed it; `BadCertificate`: for instance not valid for the
    /// name it asked for).
    CertificateRejected(AlertDescription),
    /// The peer does not speak TLS: what it sent is not a TLS record (a
    /// plain-text server or client, HTTP say). `received` holds the first
    /// bytes it sent.
    NotTls {
        /// The first bytes the peer sent (at most 16).
        received: Vec<u8>,
    },
    /// The two sides have no protocol in common: TLS version, cipher
    /// suite, key exchange group, signature scheme or application protocol
    /// (ALPN). The text says which, as far as this side knows.
    ProtocolMismatch(String),
    /// The peer closed the connection during the handshake without saying
    /// why (no TLS alert).
    HandshakeEof,
    /// The handshake did not finish in time (asyncio's
    /// `ssl_handshake_timeout`, 60 s by default).
    HandshakeTimeout(Duration),
    /// The server name is neither a DNS name nor an IP address.
    InvalidServerName(String),
    /// Another TLS failure, as rustls reports it (a peer that breaks the
    /// protocol, a record that fails to decrypt, ...).
    Protocol(RustlsError),
    /// The connection itself failed (refused, reset, ...).
    Io(io::Error),
}

impl TlsError {
    /// Maps a rustls error; `received` is the start of what the peer sent
    /// (to tell a plain-text peer from a TLS one that misbehaves).
    pub(crate) fn from_rustls(e: RustlsError, received: &[u8]) -> TlsError {
        match e {
            RustlsError::InvalidMessage(_)
            | RustlsError::InappropriateMessage { .. }
            | RustlsError::PeerSentOversizedRecord
                if !received.is_empty() && !looks_like_tls(received) =>
            {
                TlsError::NotTls {
                    received: received.to_vec(),
                }
            }
            RustlsError::InvalidCertificate(CertificateError::UnknownIssuer) => {
                TlsError::UnknownIssuer
            }
            RustlsError::InvalidCertificate(CertificateError::NotValidForNameContext {
                expected,
                presented,
            }) => TlsError::WrongName {
                expected: server_name_text(&expected),
                presented,
            },
            RustlsError::InvalidCertificate(CertificateError::NotValidForName) => {
                TlsError::WrongName {
                    expected: String::from("(the name asked for)"),
                    presented: Vec::new(),
                }
            }
            RustlsError::InvalidCertificate(c) => TlsError::BadCertificate(c),
            RustlsError::AlertReceived(a) if is_certificate_alert(a) => {
                TlsError::CertificateRejected(a)
            }
            RustlsError::AlertReceived(
                a @ (AlertDescription::ProtocolVersion
                | AlertDescription::HandshakeFailure
                | AlertDescription::InsufficientSecurity
                | AlertDescription::NoApplicationProtocol),
            ) => TlsError::ProtocolMismatch(format!(
                "the peer refused the handshake with alert {a:?}"
            )),
            RustlsError::PeerIncompatible(p) => TlsError::ProtocolMismatch(format!(
                "the peer offers nothing this side accepts ({p:?})"
            )),
            RustlsError::NoApplicationProtocol => {
                TlsError::ProtocolMismatch(String::from("no application protocol (ALPN) in common"))
            }
            other => TlsError::Protocol(other),
        }
    }

    /// The error as an `io::Error` holding it, of the kind the type's doc
    /// lists.
    pub(crate) fn into_io(self) -> io::Error {
        if let TlsError::Io(e) = self {
            return e;
        }
        let kind = match &self {
            TlsError::HandshakeTimeout(_) => io::ErrorKind::TimedOut,
            TlsError::HandshakeEof => io::ErrorKind::UnexpectedEof,
            TlsError::InvalidServerName(_) => io::ErrorKind::InvalidInput,
            _ => io::ErrorKind::InvalidData,
        };
        io::Error::new(kind, self)
    }
}

/// True when `bytes` start as a TLS record does: a content type from 20
/// (change_cipher_spec) to 24 (heartbeat), then major version 3.
fn looks_like_tls(bytes: &[u8]) -> bool {
    matches!(bytes, [20..=24] | [20..=24, 3, ..])
}

fn is_certificate_alert(a: AlertDescription) -> bool {
    matches!(
        a,
        AlertDescription::BadCertificate
            | AlertDescription::UnsupportedCertificate
            | AlertDescription::CertificateRevoked
            | AlertDescription::CertificateExpired
            | AlertDescription::CertificateUnknown
            | AlertDescription::UnknownCA
            | AlertDescription::CertificateRequired
            | AlertDescription::AccessDenied
    )
}

fn server_name_text(name: &rustls::pki_types::ServerName<'_>) -> String {
    match name {
        rustls::pki_types::ServerName::DnsName(d) => d.as_ref().to_owned(),
        rustls::pki_types::ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        other => format!("{other:?}"),
    }
}

/// The first bytes of what a peer sent, as text when they are text.
fn preview(bytes: &[u8]) -> String {
    let text: String = bytes.escape_ascii().to_string();
    format!("\"{text}\"")
}

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsError::UnknownIssuer => f.write_str(
                "TLS: the peer's certificate is signed by an authority this side does not trust \
                 (unknown issuer): add the CA's certificate (for a self-signed certificate, the \
                 certificate itself) to the RootCertStore of the rustls config",
            ),
            TlsError::WrongName {
                expected,
                presented,
            } if presented.is_empty() => write!(
                f,
                "TLS: the server's certificate is not valid for {expected}: connect with a \
                 server name the certificate names"
            ),
            TlsError::WrongName {
                expected,
                presented,
            } => write!(
                f,
                "TLS: the server's certificate is not valid for {expected} (it names {}): connect \
                 with a server name the certificate names",
                presented.join(", ")
            ),
            TlsError::BadCertificate(c) => write!(
                f,
                "TLS: the peer's certificate is invalid ({c:?}): check its dates and signature, \
                 or have the peer use a valid one"
            ),
            TlsError::CertificateRejected(a) => write!(
                f,
                "TLS: the peer rejected this side's certificate (alert {a:?}): the peer must \
                 trust the authority that signed it, and it must name the host the peer asked for"
            ),
            TlsError::NotTls { received } => write!(
                f,
                "TLS: the peer does not speak TLS (it sent {}): it is a plain-text peer; connect \
                 without TLS, or to the port where it serves TLS",
                preview(received)
            ),
            TlsError::ProtocolMismatch(why) => write!(
                f,
                "TLS: no protocol in common with the peer ({why}): allow a TLS version, cipher \
                 suite and ALPN protocol the peer supports"
            ),
            TlsError::HandshakeEof => f.write_str(
                "TLS: the peer closed the connection during the handshake without saying why: \
                 it may not speak TLS, or it refused this side",
            ),
            TlsError::HandshakeTimeout(d) => write!(
                f,
                "TLS: the handshake did not finish within {d:?}: the peer is too slow or does \
                 not speak TLS"
            ),
            TlsError::InvalidServerName(name) => write!(
                f,
                "TLS: {name:?} is not a valid server name: give a DNS name or an IP address"
            ),
            TlsError::Protocol(e) => write!(f, "TLS: {e}"),
            TlsError::Io(e) => write!(f, "TLS: the connection failed: {e}"),
        }
    }
}

impl std::error::Error for TlsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TlsError::Protocol(e) => Some(e),
            TlsError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for TlsError {
    fn from(e: io::Error) -> Self {
        TlsError::Io(e)
    }
}

impl From<TlsError> for io::Error {
    fn from(e: TlsError) -> Self {
        e.into_io()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_told_from_tls() {
        assert!(looks_like_tls(&[22, 3, 1, 0, 5]));
        assert!(looks_like_tls(&[21]));
        assert!(!looks_like_tls(b"HTTP/1.1 400"));
        assert!(!looks_like_tls(b"GET / HTTP/1.1"));
        let e = TlsError::from_rustls(
            RustlsError::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
            b"HTTP/1.1 400 Bad",
        );
        assert!(matches!(e, TlsError::NotTls { .. }), "{e:?}");
        assert!(e.to_string().contains("does not speak TLS"), "{e}");
        assert!(e.to_string().contains("HTTP/1.1 400"), "{e}");
        // The same error from a peer whose records look like TLS is a
        // protocol error, not a plain-text peer.
        let e = TlsError::from_rustls(
            RustlsError::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
            &[22, 3, 3, 0, 1],
        );
        assert!(matches!(e, TlsError::Protocol(_)), "{e:?}");
    }
}
