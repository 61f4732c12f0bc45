//! `UdpSocket`: datagrams over IPv4 or IPv6.

use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, IntoRawFd, RawFd};

use crate::buf::{IoBuf, IoBufMut};
use crate::net::addr::{each_addr, resolve, ToSocketAddrs};
use crate::net::socket::Socket;
use crate::sockaddr::SockAddr;

/// A UDP socket, the transport of asyncio's `create_datagram_endpoint`.
///
/// Each receive gets one datagram; a buffer smaller than the datagram
/// gets its first bytes and the rest is discarded, as with `recv(2)`. A
/// receive dropped in flight (a timeout) loses nothing: a datagram the
/// kernel had already delivered into its buffer is kept, whole, and is the
/// next receive's, with its sender for `recv_from`. (The network may still
/// drop datagrams, as UDP does.)
#[derive(Debug)]
pub struct UdpSocket {
    sock: Socket,
}

impl UdpSocket {
    /// Binds to the first of `addr`'s addresses that works (`"0.0.0.0:0"`,
    /// `"[::1]:9000"`, ...).
    pub async fn bind<A: ToSocketAddrs + ?Sized>(addr: &A) -> io::Result<UdpSocket> {
        each_addr(addr, |a| async move {
            let domain = if a.is_ipv4() {
                libc::AF_INET
            } else {
                libc::AF_INET6
            };
            let sock = Socket::new(domain, libc::SOCK_DGRAM)?;
            sock.bind(&SockAddr::from_inet(&a))?;
            Ok(UdpSocket { sock })
        })
        .await
    }

    /// Takes over a std socket (switched to blocking mode).
    pub fn from_std(socket: std::net::UdpSocket) -> io::Result<UdpSocket> {
        socket.set_nonblocking(false)?;
        Ok(UdpSocket {
            sock: Socket::from_fd(socket.into_raw_fd(), false),
        })
    }

    /// Sets the default peer: [`send`](Self::send) goes there and only its
    /// datagrams are received.
    pub async fn connect<A: ToSocketAddrs + ?Sized>(&self, addr: &A) -> io::Result<()> {
        each_addr(addr, |a| self.sock.connect(SockAddr::from_inet(&a))).await
    }

    /// Sends `buf` as one datagram to `target`.
    pub async fn send_to<B: IoBuf, A: ToSocketAddrs>(
        &self,
        buf: B,
        target: A,
    ) -> (io::Result<usize>, B) {
        let addr = match resolve(&target).await {
            Ok(a) => a[0],
            Err(e) => return (Err(e), buf),
        };
        self.sock.send_to(buf, SockAddr::from_inet(&addr)).await
    }

    /// Receives one datagram into the start of `buf`, with its sender.
    /// Dropping the future loses no datagram (see the type's docs).
    pub async fn recv_from<B: IoBufMut>(&self, buf: B) -> (io::Result<(usize, SocketAddr)>, B) {
        let (res, buf) = self.sock.recv_from(buf).await;
        (res.and_then(|(n, a)| Ok((n, a.to_inet()?))), buf)
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
        self.sock.local_addr()?.to_inet()
    }

    /// The connected peer's address.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.sock.peer_addr()?.to_inet()
    }

    /// Allows sending to broadcast addresses (`SO_BROADCAST`).
    pub fn set_broadcast(&self, on: bool) -> io::Result<()> {
        self.sock
            .set_int(libc::SOL_SOCKET, libc::SO_BROADCAST, on as libc::c_int)
    }

    /// The socket's pending error (`SO_ERROR`), clearing it.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.sock.take_error()
    }
}

impl AsRawFd for UdpSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.raw()
    }
}
