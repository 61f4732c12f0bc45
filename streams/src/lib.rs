//! ringio-streams: asyncio's streams (`StreamReader`, `StreamWriter`,
//! `open_connection`, `start_server`) on ringio's io_uring sockets.
//!
//! | asyncio | ringio-streams |
//! |---|---|
//! | `open_connection(host, port, limit=)` | [`open_connection`], [`open_connection_with`] |
//! | `start_server(cb, host, port, limit=, backlog=, reuse_port=)` | [`start_server`], [`start_server_with`], [`ServerOptions`] |
//! | `open_unix_connection`, `start_unix_server` | [`open_unix_connection`], [`start_unix_server`] |
//! | `StreamReader`: `read`, `readline`, `readexactly`, `readuntil`, `at_eof`, `async for` | [`StreamReader`], [`Lines`] |
//! | `StreamWriter`: `write`, `writelines`, `drain`, `close`, `wait_closed`, `write_eof` | [`StreamWriter`] |
//! | `Server`: `serve_forever`, `close`, `wait_closed`, `is_serving` | [`Server`], [`UnixServer`] |
//! | `IncompleteReadError`, `LimitOverrunError` | [`ReadError::IncompleteRead`], [`ReadError::LimitOverrun`] |
//! | `open_connection(..., ssl=, server_hostname=)`, `start_server(..., ssl=)`, `get_extra_info('ssl_object')` (feature `tls`) | `open_tls_connection`, `ServerOptions::tls`, `StreamWriter::tls_info`: see the `tls` module |
//! | `create_subprocess_exec`, `create_subprocess_shell`, `Process.communicate` | [`create_subprocess_exec`], [`create_subprocess_shell`], [`subprocess::Process`] |
//!
//! The semantics are asyncio's: a reader buffers and its limit (64 KiB by
//! default) bounds `readline`/`readuntil`; `write` never waits and `drain`
//! waits while more than the high-water mark (64 KiB) is queued, until the
//! queue is down to the low-water mark (16 KiB). What is Rust's own:
//! results instead of exceptions ([`ReadError`], [`WriteError`],
//! [`InvalidLimit`]), reads that return `bytes::Bytes` cut from the
//! reader's buffer without copying, and cancellation by dropping: a read
//! dropped while it waits (a timeout) loses no byte. A child process's
//! pipes are streams too: see [`subprocess`].
//!
//! An echo server and a client, in one program:
//!
//! ```
//! use ringio::streams::{open_connection, start_server, ReadError, StreamReader, StreamWriter};
//!
//! async fn handle_echo(mut reader: StreamReader, writer: StreamWriter) -> Result<(), ReadError> {
//!     let data = reader.read(100).await?;
//!     println!("received {:?} from {:?}", data, writer.peer_addr());
//!     writer.write(data).map_err(std::io::Error::from)?;
//!     writer.drain().await.map_err(std::io::Error::from)?;
//!     writer.close();
//!     Ok(())
//! }
//!
//! ringio::run(async {
//!     let server = start_server(handle_echo, "127.0.0.1:0").await?;
//!
//!     let (mut reader, writer) = open_connection(server.local_addr()?).await?;
//!     writer.write("Hello World!")?;
//!     let data = reader.read(100).await?;
//!     assert_eq!(data, "Hello World!");
//!     writer.close();
//!     writer.wait_closed().await?;
//!
//!     server.close();
//!     server.wait_closed().await;
//!     Ok::<(), Box<dyn std::error::Error>>(())
//! })
//! .unwrap()
//! .unwrap();
//! ```
//!
//! # Dependencies
//!
//! `ringio-runtime` (the sockets, pipes and child processes), `bytes` (the buffers) and `tracing`
//! (where a server reports a failed handler); with the feature `tls`, `rustls` (ring provider).
//! No `unsafe` code.
#![forbid(unsafe_code)]

mod connect;
mod error;
mod reader;
mod server;
mod sink;
mod source;
pub mod subprocess;
#[cfg(feature = "tls")]
pub mod tls;
mod write_data;
mod writer;

/// The `bytes` crate, whose [`Bytes`] the readers return and the writers
/// take.
#[doc(no_inline)]
pub use bytes;
pub use bytes::Bytes;
pub use connect::{
    from_tcp, from_unix, open_connection, open_connection_with, open_unix_connection,
    open_unix_connection_with, StreamOptions,
};
pub use error::{InvalidLimit, ReadError, WriteError};
pub use reader::{Lines, StreamReader, DEFAULT_LIMIT};
pub use server::{
    start_server, start_server_with, start_unix_server, start_unix_server_with, HandlerResult,
    Server, ServerOptions, UnixServer,
};
pub use source::Feeder;
pub use subprocess::{create_subprocess_exec, create_subprocess_shell};
#[cfg(feature = "tls")]
pub use tls::{open_tls_connection, open_tls_connection_with, ClientTls, TlsError};
pub use write_data::WriteData;
pub use writer::{StreamWriter, DEFAULT_HIGH_WATER, DEFAULT_LOW_WATER};
