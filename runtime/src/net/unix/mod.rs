//! Unix domain sockets: [`UnixListener`], [`UnixStream`] (with owned
//! halves) and [`UnixDatagram`]. Addresses are std's
//! [`std::os::unix::net::SocketAddr`]; a path starting with a NUL byte
//! names an abstract socket.

mod datagram;
mod listener;
mod split;
mod stream;

pub use datagram::UnixDatagram;
pub use listener::UnixListener;
pub use split::{OwnedReadHalf, OwnedWriteHalf, ReuniteError};
pub use stream::UnixStream;
