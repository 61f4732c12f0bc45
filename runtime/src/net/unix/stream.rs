//! `UnixStream`: a connected Unix stream socket.

use std::io;
use std::net::Shutdown;
use std::os::fd::{AsRawFd, IntoRawFd, RawFd};
use std::os::unix::net::SocketAddr;
use std::path::Path;
use std::rc::Rc;

use super::split::{OwnedReadHalf, OwnedWriteHalf};
use crate::buf::{IoBuf, IoBufMut};
use crate::net::socket::Socket;
use crate::sockaddr::SockAddr;

/// A Unix stream connection (asyncio's `open_unix_connection`). Reads and
/// writes behave as [`crate::net::TcpStream`]'s, including that a dropped
/// read loses no bytes.
#[derive(Debug)]
pub struct UnixStream {
    sock: Socket,
}

impl UnixStream {
    pub(crate) fn from_socket(sock: Socket) -> UnixStream {
        UnixStream { sock }
    }

    /// Connects to the socket at `path`.
    pub async fn connect<P: AsRef<Path>>(path: P) -> io::Result<UnixStream> {
        let addr = SockAddr::from_unix_path(path.as_ref())?;
        let sock = Socket::new(libc::AF_UNIX, libc::SOCK_STREAM)?;
        sock.connect(addr).await?;
        Ok(UnixStream { sock })
    }

    /// A connected pair of unnamed sockets.
    pub fn pair() -> io::Result<(UnixStream, UnixStream)> {
        let (a, b) = Socket::pair(libc::SOCK_STREAM)?;
        Ok((UnixStream { sock: a }, UnixStream { sock: b }))
    }

    /// Takes over a connected std socket (switched to blocking mode).
    pub fn from_std(stream: std::os::unix::net::UnixStream) -> io::Result<UnixStream> {
        stream.set_nonblocking(false)?;
        Ok(UnixStream {
            sock: Socket::from_fd(stream.into_raw_fd(), true),
        })
    }

    /// Reads into the start of `buf`; `Ok(0)` at end of stream.
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
    pub async fn write<B: IoBuf>(&self, buf: B) -> (io::Result<usize>, B) {
        self.sock.send(buf).await
    }

    /// Writes all of `buf`.
    pub async fn write_all<B: IoBuf>(&self, buf: B) -> (io::Result<()>, B) {
        self.sock.send_all(buf).await
    }

    /// Writes the buffers in order with one gathered write.
    pub async fn writev<B: IoBuf>(&self, bufs: Vec<B>) -> (io::Result<usize>, Vec<B>) {
        self.sock.writev(bufs).await
    }

    /// Shuts down reading, writing or both.
    pub async fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.sock.shutdown(how).await
    }

    /// This end's address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.sock.local_addr()?.to_unix()
    }

    /// The other end's address.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.sock.peer_addr()?.to_unix()
    }

    /// Splits into a read half and a write half for two tasks.
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        let sock = Rc::new(self.sock);
        (OwnedReadHalf::new(sock.clone()), OwnedWriteHalf::new(sock))
    }

    pub(crate) fn from_rc(sock: Rc<Socket>) -> Result<UnixStream, Rc<Socket>> {
        Rc::try_unwrap(sock).map(|sock| UnixStream { sock })
    }
}

impl AsRawFd for UnixStream {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.raw()
    }
}
