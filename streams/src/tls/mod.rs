//! TLS over the streams (cargo feature `tls`), with rustls 0.23 and its
//! `ring` provider: asyncio's `ssl=` of `open_connection` and
//! `start_server`.
//!
//! - Client: [`open_tls_connection`] with a
//!   [`ClientTls`] (the rustls `ClientConfig` and the server's name);
//!   [`from_tcp_tls`] and [`from_unix_tls`] over a connected socket.
//! - Server: [`ServerOptions::tls`](crate::ServerOptions::tls) with a
//!   rustls `ServerConfig`, for [`start_server_with`](crate::start_server_with)
//!   and [`start_unix_server_with`](crate::start_unix_server_with); each connection's handshake runs in its own
//!   task before the handler is called; a TLS failure is reported
//!   through the loop's unhandled-error report, naming the peer (a client
//!   that hung up or stalled is only logged at debug level).
//!
//! [`StreamReader`](crate::StreamReader) and
//! [`StreamWriter`](crate::StreamWriter) work unchanged over TLS: limits,
//! `drain` and its water marks count plaintext bytes; a read dropped
//! while it waits loses nothing (it waits only on the socket's receive,
//! and decrypts after it without waiting); `close()` and `write_eof()`
//! send close_notify before shutting the socket's writing side. A
//! handshake that fails is a [`TlsError`] that says what went wrong;
//! [`StreamWriter::tls_info`](crate::StreamWriter::tls_info) tells what
//! one that succeeded agreed on ([`TlsInfo`]: version, ALPN, SNI, the
//! peer's certificates).
//!
//! The TLS layer is rustls's buffered `Connection`: ciphertext received
//! (from the loop's pool of receive buffers, as on plain TCP) is copied
//! into rustls, decrypted there and copied into the reader's buffer;
//! plaintext written is encrypted into rustls's records, which are copied
//! into one reused buffer that one write sends. Against tokio-rustls, which
//! reads into and writes from rustls's buffers directly, that is one more
//! copy each way: it shows with 16 KiB messages (server CPU 0.95x), not
//! with small ones (1.15x or better), where the multishot receive saves
//! more. No `unsafe` code.

mod client;
mod error;
mod handshake;
mod info;
mod server;
mod session;
pub(crate) mod transport;

use std::time::Duration;

pub use client::{
    from_tcp_tls, from_unix_tls, open_tls_connection, open_tls_connection_with, ClientTls,
};
pub use error::TlsError;
pub use info::TlsInfo;
pub(crate) use server::accept;

/// The rustls crate these streams use, for its configs and certificate
/// types.
#[doc(no_inline)]
pub use rustls;

/// How long a handshake may take by default: 60 s, as asyncio's
/// `ssl_handshake_timeout`.
pub const DEFAULT_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(60);
