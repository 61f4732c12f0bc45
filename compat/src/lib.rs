//! ringio-compat: the rest of Rust's async ecosystem on a ringio loop.
//!
//! - [`Compat`] puts ringio's sockets and pipes under tokio's and futures'
//!   `AsyncRead`/`AsyncBufRead`/`AsyncWrite` and hyper's `rt::Read`/
//!   `rt::Write`, with one copy per direction (socket reads on io_uring
//!   copy straight out of the loop's receive-buffer pool; writes and
//!   other reads go through one owned buffer per direction), and reads
//!   that lose nothing when a read future is dropped (see [`Compat`] for
//!   why a completion-based runtime needs the copy);
//! - [`RingioExecutor`] is hyper's `Executor` (HTTP/2 streams and client
//!   connections become ringio tasks; `!Send` services are fine);
//! - [`RingioTimer`] is hyper's `Timer` (`header_read_timeout`, HTTP/2
//!   keep-alive) on the loop's timer wheel.
//!
//! A hyper HTTP/1 server and a hyper client on the same ringio loop:
//!
//! ```
//! use std::convert::Infallible;
//! use bytes::Bytes;
//! use http_body_util::{BodyExt, Empty, Full};
//! use hyper::{server::conn::http1, service::service_fn, Request, Response};
//! use ringio::compat::{Compat, RingioExecutor};
//! use ringio::net::{TcpListener, TcpStream};
//!
//! ringio::run(async {
//!     let listener = TcpListener::bind("127.0.0.1:0").await?;
//!     let addr = listener.local_addr()?;
//!     ringio::spawn(async move {
//!         let (stream, _) = listener.accept().await?;
//!         let hello = service_fn(|_req| async {
//!             Ok::<_, Infallible>(Response::new(Full::new(Bytes::from("Hello, World!"))))
//!         });
//!         http1::Builder::new().serve_connection(Compat::new(stream), hello).await
//!             .map_err(std::io::Error::other)
//!     });
//!
//!     let stream = TcpStream::connect(&addr).await?;
//!     let (mut sender, conn) = hyper::client::conn::http1::handshake(Compat::new(stream))
//!         .await
//!         .map_err(std::io::Error::other)?;
//!     ringio::spawn(conn);
//!     let req = Request::get("/").header("host", "localhost").body(Empty::<Bytes>::new()).unwrap();
//!     let res = sender.send_request(req).await.map_err(std::io::Error::other)?;
//!     let body = res.into_body().collect().await.map_err(std::io::Error::other)?.to_bytes();
//!     assert_eq!(body, "Hello, World!");
//!     # let _ = RingioExecutor;
//!     Ok::<(), std::io::Error>(())
//! })
//! .unwrap()
//! .unwrap();
//! ```
//!
//! Features (all on by default): `tokio-io` (tokio's traits only: no tokio
//! runtime is built), `futures-io`, `hyper` (hyper with no features of its
//! own: the application picks `http1`, `http2`, `server`, `client`).
#![forbid(unsafe_code)]
// With every feature off, `Compat` implements no trait and its parts are
// unused.
#![cfg_attr(
    not(any(feature = "tokio-io", feature = "futures-io", feature = "hyper")),
    allow(dead_code, unused_macros)
)]

#[macro_use]
mod forward;

mod compat;
#[cfg(feature = "hyper")]
mod executor;
#[cfg(feature = "futures-io")]
mod futures_io;
#[cfg(feature = "hyper")]
mod hyper_io;
mod owned;
mod reader;
#[cfg(feature = "hyper")]
mod timer;
#[cfg(feature = "tokio-io")]
mod tokio_io;
mod writer;

pub use compat::{Compat, DEFAULT_BUFFER};
#[cfg(feature = "hyper")]
pub use executor::RingioExecutor;
pub use owned::{OwnedRead, OwnedWrite};
#[cfg(feature = "hyper")]
pub use timer::{RingioSleep, RingioTimer};
