//! Sockets on the ring: TCP, UDP and Unix domain sockets, IPv4 and IPv6.
//!
//! The transports under asyncio's streams and datagram endpoints. Every
//! read and write takes an owned buffer and gives it back with the result,
//! so dropping a future in flight is always sound (see [`crate::buf`]).
//! Sockets are `!Send`: each belongs to the loop of the thread that made it
//! and closes through that loop's ring, after every operation queued on it.
//!
//! Names that are not literal addresses ("localhost:8080") are resolved on
//! the blocking pool. Errors are `io::Error`s with the kernel's errno and
//! its `ErrorKind` (`ConnectionRefused`, `ConnectionReset`, `BrokenPipe`,
//! `AddrInUse`, ...).
//!
//! ```
//! use ringio::net::UdpSocket;
//!
//! ringio::run(async {
//!     let a = UdpSocket::bind("127.0.0.1:0").await?;
//!     let b = UdpSocket::bind("127.0.0.1:0").await?;
//!     let (res, _) = a.send_to(&b"ping"[..], b.local_addr()?).await;
//!     res?;
//!     let (res, buf) = b.recv_from(vec![0u8; 16]).await;
//!     let (n, from) = res?;
//!     assert_eq!((&buf[..n], from), (&b"ping"[..], a.local_addr()?));
//!     Ok::<(), std::io::Error>(())
//! })
//! .unwrap()
//! .unwrap();
//! ```

mod acceptor;
mod addr;
mod backlog;
mod socket;
pub mod tcp;
mod udp;
pub mod unix;

pub use addr::ToSocketAddrs;
pub use backlog::default_backlog;
pub use tcp::{TcpListener, TcpListenerOptions, TcpStream};
pub use udp::UdpSocket;
pub use unix::{UnixDatagram, UnixListener, UnixStream};

/// Resolves `addr` ("host:port", ...) to its socket addresses, looking names
/// up on the blocking pool, as asyncio's `loop.getaddrinfo`.
pub async fn lookup_host<A: ToSocketAddrs + ?Sized>(
    addr: &A,
) -> std::io::Result<Vec<std::net::SocketAddr>> {
    addr::resolve(addr).await
}
