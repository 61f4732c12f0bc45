//! TCP: [`TcpListener`], [`TcpStream`] and its owned halves.

mod listener;
mod split;
mod stream;

pub use listener::{TcpListener, TcpListenerOptions};
pub use split::{OwnedReadHalf, OwnedWriteHalf, ReuniteError};
pub use stream::TcpStream;
