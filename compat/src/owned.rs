//! The ringio types `Compat` wraps, seen through two small traits:
//! a read that takes an owned buffer and gives it back, and a write of a
//! whole owned buffer, each as a boxed future that owns what it needs
//! (an `Rc` of the socket or pipe and the buffer), so that it can be kept
//! between polls of a poll-based trait.

use std::future::Future;
use std::io;
use std::net::Shutdown;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use ringio_runtime::net::{tcp, unix, TcpStream, UnixStream};
use ringio_runtime::pipe::{PipeReader, PipeWriter};

/// A read in flight: its result and the buffer it filled.
pub(crate) type ReadFuture = Pin<Box<dyn Future<Output = (io::Result<usize>, Vec<u8>)>>>;
/// A write in flight: its result and the buffer it wrote from.
pub(crate) type WriteFuture = Pin<Box<dyn Future<Output = (io::Result<()>, Vec<u8>)>>>;
/// A shutdown of the writing side in flight.
pub(crate) type ShutdownFuture = Pin<Box<dyn Future<Output = io::Result<()>>>>;

mod sealed {
    pub trait Sealed {}
}

/// A ringio type that reads into owned buffers: [`TcpStream`],
/// [`UnixStream`], their read halves and [`PipeReader`] (a child's stdout
/// and stderr). Sealed: implemented by ringio only.
pub trait OwnedRead: sealed::Sealed + 'static {
    #[doc(hidden)]
    fn read_owned(io: Rc<Self>, buf: Vec<u8>) -> ReadFuture;
    /// A read served from the loop's receive-buffer pool (sockets), or
    /// `Ready(None)` when it cannot be (then `read_owned`).
    #[doc(hidden)]
    fn poll_read_pooled(
        io: &Self,
        cx: &mut Context<'_>,
        room: usize,
        put: &mut dyn FnMut(&[u8]),
    ) -> Poll<Option<io::Result<usize>>>;
}

/// A ringio type that writes from owned buffers: [`TcpStream`],
/// [`UnixStream`], their write halves and [`PipeWriter`] (a child's
/// stdin). Sealed: implemented by ringio only.
pub trait OwnedWrite: sealed::Sealed + 'static {
    #[doc(hidden)]
    fn write_all_owned(io: Rc<Self>, buf: Vec<u8>) -> WriteFuture;
    #[doc(hidden)]
    fn shutdown_owned(io: Rc<Self>) -> ShutdownFuture;
}

macro_rules! owned_read {
    ($($t:ty => |$io:ident, $cx:ident, $room:ident, $put:ident| $pooled:expr),*) => {$(
        impl sealed::Sealed for $t {}
        impl OwnedRead for $t {
            fn read_owned(io: Rc<Self>, buf: Vec<u8>) -> ReadFuture {
                Box::pin(async move { io.read(buf).await })
            }
            fn poll_read_pooled(
                $io: &Self,
                $cx: &mut Context<'_>,
                $room: usize,
                $put: &mut dyn FnMut(&[u8]),
            ) -> Poll<Option<io::Result<usize>>> {
                $pooled
            }
        }
    )*};
}

macro_rules! owned_write {
    ($($t:ty => |$io:ident| $shutdown:expr),*) => {$(
        impl OwnedWrite for $t {
            fn write_all_owned(io: Rc<Self>, buf: Vec<u8>) -> WriteFuture {
                Box::pin(async move { io.write_all(buf).await })
            }
            fn shutdown_owned($io: Rc<Self>) -> ShutdownFuture {
                Box::pin(async move { $shutdown })
            }
        }
    )*};
}

owned_read!(
    TcpStream => |io, cx, room, put| io.poll_read_pooled(cx, room, put),
    UnixStream => |io, cx, room, put| io.poll_read_pooled(cx, room, put),
    tcp::OwnedReadHalf => |io, cx, room, put| io.poll_read_pooled(cx, room, put),
    unix::OwnedReadHalf => |io, cx, room, put| io.poll_read_pooled(cx, room, put),
    // A pipe has no provided-buffer receive: every read is an owned one.
    PipeReader => |_io, _cx, _room, _put| Poll::Ready(None)
);
impl sealed::Sealed for tcp::OwnedWriteHalf {}
impl sealed::Sealed for unix::OwnedWriteHalf {}
impl sealed::Sealed for PipeWriter {}

owned_write!(
    TcpStream => |io| io.shutdown(Shutdown::Write).await,
    UnixStream => |io| io.shutdown(Shutdown::Write).await,
    tcp::OwnedWriteHalf => |io| io.shutdown().await,
    unix::OwnedWriteHalf => |io| io.shutdown().await,
    // A pipe has no half-close: its end closes when it is dropped (drop
    // the Compat, as with tokio's ChildStdin).
    PipeWriter => |io| { drop(io); Ok(()) }
);
