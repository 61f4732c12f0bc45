//! The owned halves of a `UnixStream`, for a reader task and a writer task.

use std::fmt;
use std::io;
use std::net::Shutdown;
use std::os::unix::net::SocketAddr;
use std::rc::Rc;

use super::UnixStream;
use crate::buf::{IoBuf, IoBufMut};
use crate::net::socket::Socket;

/// The reading half of a [`UnixStream`] (from [`UnixStream::into_split`]).
#[derive(Debug)]
pub struct OwnedReadHalf {
    sock: Rc<Socket>,
}

/// The writing half of a [`UnixStream`]. Dropping it shuts down the writing
/// side, so the peer reads end of stream.
#[derive(Debug)]
pub struct OwnedWriteHalf {
    sock: Rc<Socket>,
    shutdown_on_drop: bool,
}

/// The two halves given to [`OwnedReadHalf::reunite`] came from different
/// streams; they are handed back.
#[derive(Debug)]
pub struct ReuniteError(pub OwnedReadHalf, pub OwnedWriteHalf);

impl fmt::Display for ReuniteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the halves are not from the same UnixStream")
    }
}

impl std::error::Error for ReuniteError {}

impl OwnedReadHalf {
    pub(crate) fn new(sock: Rc<Socket>) -> Self {
        OwnedReadHalf { sock }
    }

    /// Reads into the start of `buf`; `Ok(0)` at end of stream. As
    /// [`UnixStream::read`].
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

    /// One poll of a read from the loop's receive-buffer pool. As
    /// [`UnixStream::poll_read_pooled`].
    pub fn poll_read_pooled(
        &self,
        cx: &mut std::task::Context<'_>,
        room: usize,
        put: &mut dyn FnMut(&[u8]),
    ) -> std::task::Poll<Option<io::Result<usize>>> {
        self.sock.poll_recv_pooled(cx, room, put)
    }

    /// The address of the other end.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.sock.peer_addr()?.to_unix()
    }

    /// This end's address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.sock.local_addr()?.to_unix()
    }

    /// Puts the halves back together into the stream they came from.
    pub fn reunite(self, mut write: OwnedWriteHalf) -> Result<UnixStream, ReuniteError> {
        if !Rc::ptr_eq(&self.sock, &write.sock) {
            return Err(ReuniteError(self, write));
        }
        write.shutdown_on_drop = false;
        let sock = write.sock.clone();
        drop(write);
        drop(self);
        UnixStream::from_rc(sock)
            .map_err(|_| unreachable!("both halves were dropped, so the stream has one owner"))
    }
}

impl OwnedWriteHalf {
    pub(crate) fn new(sock: Rc<Socket>) -> Self {
        OwnedWriteHalf {
            sock,
            shutdown_on_drop: true,
        }
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

    /// Writes the initialised bytes of `buf`. As [`UnixStream::write`].
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

    /// Shuts down the writing side: the peer reads end of stream.
    pub async fn shutdown(&self) -> io::Result<()> {
        self.sock.shutdown(Shutdown::Write).await
    }

    /// The address of the other end.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.sock.peer_addr()?.to_unix()
    }

    /// This end's address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.sock.local_addr()?.to_unix()
    }
}

impl Drop for OwnedWriteHalf {
    fn drop(&mut self) {
        if self.shutdown_on_drop {
            // A synchronous shutdown(2): it does not block and must happen
            // now, before the read half may be kept for longer.
            // SAFETY: plain system call on an fd we keep open.
            unsafe { libc::shutdown(self.sock.raw(), libc::SHUT_WR) };
        }
    }
}
