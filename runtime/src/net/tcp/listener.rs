//! `TcpListener`: a listening TCP socket.

use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, IntoRawFd, RawFd};

use super::TcpStream;
use crate::net::acceptor::Acceptor;
use crate::net::addr::{each_addr, ToSocketAddrs};
use crate::net::backlog::default_backlog;
use crate::net::socket::Socket;
use crate::sockaddr::SockAddr;

/// A TCP socket listening for connections, as the server side of asyncio's
/// `start_server`.
///
/// ```
/// use ringio::net::{TcpListener, TcpStream};
///
/// ringio::run(async {
///     let listener = TcpListener::bind("127.0.0.1:0").await?;
///     let addr = listener.local_addr()?;
///     let client = TcpStream::connect(&addr).await?;
///     let (server, peer) = listener.accept().await?;
///     assert_eq!(peer, client.local_addr()?);
///     let (res, _) = client.write_all(b"hi".to_vec()).await;
///     res?;
///     let (n, buf) = server.read(Vec::with_capacity(8)).await;
///     assert_eq!(&buf[..n?], b"hi");
///     Ok::<(), std::io::Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
#[derive(Debug)]
pub struct TcpListener {
    // Dropped first: cancels the armed accept before the fd closes.
    acceptor: Acceptor,
    sock: Socket,
}

/// How to set up a [`TcpListener`]: backlog and `SO_REUSEPORT`.
/// `SO_REUSEADDR` is always on, as in asyncio.
#[derive(Debug, Clone, Copy)]
pub struct TcpListenerOptions {
    backlog: u32,
    reuse_port: bool,
}

impl Default for TcpListenerOptions {
    fn default() -> Self {
        TcpListenerOptions {
            backlog: default_backlog(),
            reuse_port: false,
        }
    }
}

impl TcpListenerOptions {
    /// Defaults: the kernel's largest backlog ([`default_backlog`], from
    /// `somaxconn`), no `SO_REUSEPORT`.
    pub fn new() -> Self {
        Self::default()
    }

    /// The length of the queue of connections not yet accepted (the kernel
    /// caps it at `somaxconn`).
    pub fn backlog(mut self, backlog: u32) -> Self {
        self.backlog = backlog;
        self
    }

    /// `SO_REUSEPORT`: several listeners (one per loop, thread-per-core)
    /// share the port and the kernel spreads connections among them.
    pub fn reuse_port(mut self, on: bool) -> Self {
        self.reuse_port = on;
        self
    }

    /// Binds to the first of `addr`'s addresses that works, and listens.
    pub async fn bind<A: ToSocketAddrs + ?Sized>(self, addr: &A) -> io::Result<TcpListener> {
        each_addr(addr, |a| async move { self.bind_one(a) }).await
    }

    fn bind_one(&self, addr: SocketAddr) -> io::Result<TcpListener> {
        let domain = if addr.is_ipv4() {
            libc::AF_INET
        } else {
            libc::AF_INET6
        };
        let sock = Socket::new(domain, libc::SOCK_STREAM)?;
        sock.set_int(libc::SOL_SOCKET, libc::SO_REUSEADDR, 1)?;
        if self.reuse_port {
            sock.set_int(libc::SOL_SOCKET, libc::SO_REUSEPORT, 1)?;
        }
        sock.bind(&SockAddr::from_inet(&addr))?;
        sock.listen(self.backlog)?;
        Ok(TcpListener {
            acceptor: Acceptor::default(),
            sock,
        })
    }
}

impl TcpListener {
    /// Binds to `addr` (`"127.0.0.1:8080"`, `"[::1]:0"`, a `SocketAddr`, or a
    /// host name resolved on the blocking pool) with the default options.
    /// A port of 0 picks a free port; see [`TcpListener::local_addr`].
    pub async fn bind<A: ToSocketAddrs + ?Sized>(addr: &A) -> io::Result<TcpListener> {
        TcpListenerOptions::default().bind(addr).await
    }

    /// Options (backlog, `SO_REUSEPORT`) for [`TcpListenerOptions::bind`].
    pub fn options() -> TcpListenerOptions {
        TcpListenerOptions::default()
    }

    /// Takes over a listening std socket (switched to blocking mode: the
    /// ring does the waiting).
    pub fn from_std(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        listener.set_nonblocking(false)?;
        Ok(TcpListener {
            acceptor: Acceptor::default(),
            sock: Socket::from_fd(listener.into_raw_fd(), false),
        })
    }

    /// Waits for the next connection; returns it with the peer's address.
    ///
    /// Errors such as `EMFILE` (too many open files) are returned, and the
    /// listener stays usable: once the error clears, `accept` succeeds.
    /// Dropping the future loses no connection.
    ///
    /// After `EMFILE`, `ENFILE`, `ENOBUFS` or `ENOMEM` the next `accept`
    /// first pauses (1 ms, doubling per further such error up to 50 ms,
    /// reset by a success), so a plain `loop { listener.accept().await }`
    /// does not spin while descriptors are exhausted, and a waiting client
    /// gets in within about 50 ms once one is freed. Linux offers no way to
    /// wait for a descriptor to be freed; closing idle connections (or
    /// raising `RLIMIT_NOFILE`) is the caller's remedy.
    pub async fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        let fd = self.acceptor.accept(self.sock.raw()).await?;
        let stream = TcpStream::from_socket(Socket::from_fd(fd, true));
        let peer = stream.peer_addr()?;
        Ok((stream, peer))
    }

    /// The address the listener is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.sock.local_addr()?.to_inet()
    }
}

impl AsRawFd for TcpListener {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.raw()
    }
}
