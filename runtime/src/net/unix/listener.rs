//! `UnixListener`: a listening Unix stream socket.

use std::io;
use std::os::fd::{AsRawFd, IntoRawFd, RawFd};
use std::os::unix::net::SocketAddr;
use std::path::Path;

use super::UnixStream;
use crate::net::acceptor::Acceptor;
use crate::net::backlog::default_backlog;
use crate::net::socket::Socket;
use crate::sockaddr::SockAddr;

/// A Unix stream socket listening for connections (asyncio's
/// `start_unix_server`). The socket file is not removed on drop, as with
/// std; remove it with [`crate::fs::remove_file`] when done.
#[derive(Debug)]
pub struct UnixListener {
    // Dropped first: cancels the armed accept before the fd closes.
    acceptor: Acceptor,
    sock: Socket,
}

impl UnixListener {
    /// Binds to `path` and listens with the kernel's largest backlog
    /// ([`default_backlog`]). Fails with `AddrInUse` when the file exists.
    pub fn bind<P: AsRef<Path>>(path: P) -> io::Result<UnixListener> {
        Self::bind_with_backlog(path, default_backlog())
    }

    /// As [`bind`](Self::bind), with the given backlog.
    pub fn bind_with_backlog<P: AsRef<Path>>(path: P, backlog: u32) -> io::Result<UnixListener> {
        let addr = SockAddr::from_unix_path(path.as_ref())?;
        let sock = Socket::new(libc::AF_UNIX, libc::SOCK_STREAM)?;
        sock.bind(&addr)?;
        sock.listen(backlog)?;
        Ok(UnixListener {
            acceptor: Acceptor::default(),
            sock,
        })
    }

    /// Takes over a listening std socket (switched to blocking mode).
    pub fn from_std(listener: std::os::unix::net::UnixListener) -> io::Result<UnixListener> {
        listener.set_nonblocking(false)?;
        Ok(UnixListener {
            acceptor: Acceptor::default(),
            sock: Socket::from_fd(listener.into_raw_fd(), false),
        })
    }

    /// Waits for the next connection; returns it with the peer's address
    /// (usually unnamed). Errors leave the listener usable, and running out
    /// of descriptors makes the next call pause first, as for
    /// [`crate::net::TcpListener::accept`].
    pub async fn accept(&self) -> io::Result<(UnixStream, SocketAddr)> {
        let fd = self.acceptor.accept(self.sock.raw()).await?;
        let stream = UnixStream::from_socket(Socket::from_fd(fd, true));
        let peer = stream.peer_addr()?;
        Ok((stream, peer))
    }

    /// The address the listener is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.sock.local_addr()?.to_unix()
    }
}

impl AsRawFd for UnixListener {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.raw()
    }
}
