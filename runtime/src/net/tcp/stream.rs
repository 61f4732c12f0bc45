//! `TcpStream`: a connected TCP socket with owned-buffer reads and writes.

use std::io;
use std::net::{Shutdown, SocketAddr};
use std::os::fd::{AsRawFd, IntoRawFd, RawFd};
use std::rc::Rc;

use super::split::{OwnedReadHalf, OwnedWriteHalf};
use crate::buf::{IoBuf, IoBufMut};
use crate::net::addr::{each_addr, ToSocketAddrs};
use crate::net::socket::Socket;
use crate::sockaddr::SockAddr;

/// A TCP connection, the transport under asyncio's `open_connection`.
///
/// Reads and writes take the buffer by value and give it back with the
/// result (`let (res, buf) = stream.read(buf).await;`). Dropping a read in
/// flight is safe and loses no bytes: what the kernel had already received
/// for it is returned by the next read. [`TcpStream::into_split`] gives a
/// read half and a write half for two tasks.
#[derive(Debug)]
pub struct TcpStream {
    sock: Socket,
}

impl TcpStream {
    pub(crate) fn from_socket(sock: Socket) -> TcpStream {
        TcpStream { sock }
    }

    /// Connects to `addr`, trying each address it resolves to in turn.
    /// A closed port fails with `ErrorKind::ConnectionRefused`.
    pub async fn connect<A: ToSocketAddrs + ?Sized>(addr: &A) -> io::Result<TcpStream> {
        each_addr(addr, |a| async move {
            let domain = if a.is_ipv4() {
                libc::AF_INET
            } else {
                libc::AF_INET6
            };
            let sock = Socket::new(domain, libc::SOCK_STREAM)?;
            sock.connect(SockAddr::from_inet(&a)).await?;
            Ok(TcpStream { sock })
        })
        .await
    }

    /// Takes over a connected std socket (switched to blocking mode: the
    /// ring does the waiting).
    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        stream.set_nonblocking(false)?;
        Ok(TcpStream {
            sock: Socket::from_fd(stream.into_raw_fd(), true),
        })
    }

    /// Reads up to `buf.bytes_total()` bytes into the start of `buf`;
    /// `Ok(0)` once the peer has shut down its writing side.
    pub async fn read<B: IoBufMut>(&self, buf: B) -> (io::Result<usize>, B) {
        self.sock.recv(buf).await
    }

    /// Receives what the socket has (up to 64 KiB, plus less than one pool
    /// buffer: see [`Builder::read_buffers`](crate::Builder::read_buffers))
    /// and appends it to `dst`, growing it as needed; `Ok(0)` once the peer
    /// has shut down its writing side. While the socket is idle no buffer is
    /// held: the kernel picks one from the loop's shared pool when data
    /// arrives. The first call arms a multishot receive that stays armed on
    /// the socket, so later reads submit nothing; once it is armed, `read`
    /// takes its bytes from it too, in order. Dropping the future loses no
    /// bytes (the next read returns them).
    pub async fn read_buf(&self, dst: &mut bytes::BytesMut) -> io::Result<usize> {
        self.sock.read_buf(dst).await
    }

    /// One poll of a read from the loop's receive-buffer pool, for
    /// poll-based readers (ringio-compat's `poll_read`): up to `room` bytes
    /// go to `put` (in one or more slices, in order), copied straight out
    /// of the pool, with no buffer held while the socket is idle and no
    /// submission per read (the multishot receive of
    /// [`read_buf`](Self::read_buf) stays armed). Bytes of a received chunk
    /// beyond `room` are kept for the next read. `Ready(Some(Ok(0)))` at
    /// end of stream. A read abandoned between polls loses nothing.
    ///
    /// `Ready(None)`: this read cannot be served from the pool (the epoll
    /// backend, the pool turned off or momentarily empty, a kernel before
    /// Linux 6.0, a socket that `read_buf` switched to direct receives):
    /// read with [`read`](Self::read) instead. Use from the socket's loop.
    pub fn poll_read_pooled(
        &self,
        cx: &mut std::task::Context<'_>,
        room: usize,
        put: &mut dyn FnMut(&[u8]),
    ) -> std::task::Poll<Option<io::Result<usize>>> {
        self.sock.poll_recv_pooled(cx, room, put)
    }

    /// Sends what the socket can take of `buf` right now, without waiting
    /// and without going through the loop: returns how many bytes it took,
    /// or an error of kind `WouldBlock` when its send buffer is full (as
    /// tokio's `try_write`). It is not ordered with a `write` still in
    /// flight on this socket: use it only when none is. On the epoll
    /// backend this is how a write costs one system call and no loop turn;
    /// on io_uring, `write` batches with the loop's other submissions.
    pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        self.sock.try_send(buf)
    }

    /// Writes the initialised bytes of `buf`; returns how many were sent.
    /// A peer that is gone gives `BrokenPipe` or `ConnectionReset`.
    pub async fn write<B: IoBuf>(&self, buf: B) -> (io::Result<usize>, B) {
        self.sock.send(buf).await
    }

    /// Writes all of `buf`, looping over short writes.
    pub async fn write_all<B: IoBuf>(&self, buf: B) -> (io::Result<()>, B) {
        self.sock.send_all(buf).await
    }

    /// Writes the buffers in order with one gathered write; returns how
    /// many bytes were taken in total (possibly fewer than all).
    pub async fn writev<B: IoBuf>(&self, bufs: Vec<B>) -> (io::Result<usize>, Vec<B>) {
        self.sock.writev(bufs).await
    }

    /// Shuts down the reading side, the writing side (the peer reads end
    /// of stream) or both.
    pub async fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.sock.shutdown(how).await
    }

    /// Sets `TCP_NODELAY` (send small writes at once, no Nagle delay).
    pub fn set_nodelay(&self, on: bool) -> io::Result<()> {
        self.sock
            .set_int(libc::IPPROTO_TCP, libc::TCP_NODELAY, on as libc::c_int)
    }

    /// Whether `TCP_NODELAY` is set.
    pub fn nodelay(&self) -> io::Result<bool> {
        Ok(self.sock.get_int(libc::IPPROTO_TCP, libc::TCP_NODELAY)? != 0)
    }

    /// The address of the other end.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.sock.peer_addr()?.to_inet()
    }

    /// This end's address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.sock.local_addr()?.to_inet()
    }

    /// The socket's pending error (`SO_ERROR`), clearing it.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.sock.take_error()
    }

    /// Splits into a read half and a write half that two tasks can use at
    /// once; [`OwnedReadHalf::reunite`] puts them back together.
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        let sock = Rc::new(self.sock);
        (OwnedReadHalf::new(sock.clone()), OwnedWriteHalf::new(sock))
    }

    pub(crate) fn from_rc(sock: Rc<Socket>) -> Result<TcpStream, Rc<Socket>> {
        Rc::try_unwrap(sock).map(|sock| TcpStream { sock })
    }
}

impl AsRawFd for TcpStream {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.raw()
    }
}
