//! `UnixDatagram`: datagrams between Unix sockets.

use std::io;
use std::os::fd::{AsRawFd, IntoRawFd, RawFd};
use std::os::unix::net::SocketAddr;
use std::path::Path;

use crate::buf::{IoBuf, IoBufMut};
use crate::net::socket::Socket;
use crate::sockaddr::SockAddr;

/// A Unix datagram socket. Unlike UDP, delivery between sockets of one
/// machine is reliable and ordered, and a receive dropped in flight (a
/// timeout) loses nothing either: a datagram the kernel had already
/// delivered into its buffer is kept, whole, and is the next receive's,
/// with its sender for `recv_from`.
#[derive(Debug)]
pub struct UnixDatagram {
    sock: Socket,
}

impl UnixDatagram {
    /// A socket bound to `path`.
    pub fn bind<P: AsRef<Path>>(path: P) -> io::Result<UnixDatagram> {
        let addr = SockAddr::from_unix_path(path.as_ref())?;
        let sock = Socket::new(libc::AF_UNIX, libc::SOCK_DGRAM)?;
        sock.bind(&addr)?;
        Ok(UnixDatagram { sock })
    }

    /// A socket bound to no address (it can send, and receive replies
    /// only once connected or bound).
    pub fn unbound() -> io::Result<UnixDatagram> {
        Ok(UnixDatagram {
            sock: Socket::new(libc::AF_UNIX, libc::SOCK_DGRAM)?,
        })
    }

    /// A connected pair of unnamed sockets.
    pub fn pair() -> io::Result<(UnixDatagram, UnixDatagram)> {
        let (a, b) = Socket::pair(libc::SOCK_DGRAM)?;
        Ok((UnixDatagram { sock: a }, UnixDatagram { sock: b }))
    }

    /// Takes over a std socket (switched to blocking mode).
    pub fn from_std(socket: std::os::unix::net::UnixDatagram) -> io::Result<UnixDatagram> {
        socket.set_nonblocking(false)?;
        Ok(UnixDatagram {
            sock: Socket::from_fd(socket.into_raw_fd(), false),
        })
    }

    /// Sets the default peer for [`send`](Self::send) and
    /// [`recv`](Self::recv).
    pub async fn connect<P: AsRef<Path>>(&self, path: P) -> io::Result<()> {
        let addr = SockAddr::from_unix_path(path.as_ref())?;
        self.sock.connect(addr).await
    }

    /// Sends `buf` as one datagram to the socket at `path`.
    pub async fn send_to<B: IoBuf, P: AsRef<Path>>(
        &self,
        buf: B,
        path: P,
    ) -> (io::Result<usize>, B) {
        match SockAddr::from_unix_path(path.as_ref()) {
            Ok(addr) => self.sock.send_to(buf, addr).await,
            Err(e) => (Err(e), buf),
        }
    }

    /// Receives one datagram into the start of `buf`, with its sender.
    /// Dropping the future loses no datagram (see the type's docs).
    pub async fn recv_from<B: IoBufMut>(&self, buf: B) -> (io::Result<(usize, SocketAddr)>, B) {
        let (res, buf) = self.sock.recv_from(buf).await;
        (res.and_then(|(n, a)| Ok((n, a.to_unix()?))), buf)
    }

    /// Sends `buf` to the connected peer.
    pub async fn send<B: IoBuf>(&self, buf: B) -> (io::Result<usize>, B) {
        self.sock.send(buf).await
    }

    /// Receives one datagram from the connected peer. Dropping the future
    /// loses no datagram (see the type's docs).
    pub async fn recv<B: IoBufMut>(&self, buf: B) -> (io::Result<usize>, B) {
        self.sock.recv(buf).await
    }

    /// This socket's address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.sock.local_addr()?.to_unix()
    }

    /// The connected peer's address.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.sock.peer_addr()?.to_unix()
    }
}

impl AsRawFd for UnixDatagram {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.raw()
    }
}
