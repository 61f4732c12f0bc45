//! Where a [`StreamWriter`](crate::StreamWriter) sends its bytes: a TCP or
//! Unix socket's write half, or the write end of a pipe (a child's stdin).

use std::cell::RefCell;
use std::io;
use std::rc::Rc;

use bytes::{Bytes, BytesMut};
use ringio_runtime::net::{tcp, unix};
use ringio_runtime::pipe::PipeWriter;

/// The most bytes of several queued chunks copied into one pipe write: a
/// pipe has no gathered write here, so small chunks are joined instead of
/// costing a system call each. The size of a pipe's default capacity.
const PIPE_JOIN: usize = 64 * 1024;

/// The transport under a writer. An enum rather than a trait object, as
/// [`Source`](crate::source::Source) is.
#[derive(Debug)]
pub(crate) enum Sink {
    Tcp(tcp::OwnedWriteHalf),
    Unix(unix::OwnedWriteHalf),
    /// `None` once shut down: closing a pipe's write end is how its reader
    /// learns the end of the stream. Shared (`Rc`) so that no `RefCell`
    /// borrow is held across a write's await.
    Pipe(RefCell<Option<Rc<PipeWriter>>>),
    /// TLS over one of the others (a socket).
    #[cfg(feature = "tls")]
    Tls(crate::tls::transport::TlsSink),
}

impl Sink {
    /// Sends from the front of `batch`; returns how many bytes were taken
    /// (the caller puts back the rest) and the batch. An empty batch sends
    /// nothing, except on TLS: there it sends the records the reading side
    /// made (see [`poll_output`](Sink::poll_output)).
    pub(crate) async fn send(&self, batch: Vec<Bytes>) -> (io::Result<usize>, Vec<Bytes>) {
        match self {
            #[cfg(feature = "tls")]
            Sink::Tls(t) => t.send(batch).await,
            _ => self.send_plain(batch).await,
        }
    }

    /// Ready when the transport has bytes of its own to send (TLS records
    /// the reading side made: alerts, key updates); keeps `cx`'s waker
    /// otherwise. Never ready for other transports.
    pub(crate) fn poll_output(&self, cx: &mut std::task::Context<'_>) -> std::task::Poll<()> {
        match self {
            #[cfg(feature = "tls")]
            Sink::Tls(t) => t.poll_output(cx),
            _ => {
                let _ = cx;
                std::task::Poll::Pending
            }
        }
    }

    /// Sends what the transport holds of its own (TLS: an alert queued
    /// when the connection failed), best effort: the connection is being
    /// dropped.
    pub(crate) async fn flush_own(&self) {
        #[cfg(feature = "tls")]
        if let Sink::Tls(t) = self {
            if let Err(e) = t.flush().await {
                tracing::debug!("stream writer: sending a TLS alert failed: {e}");
            }
        }
    }

    /// Sends all of `data` (TLS sends its records through this); gives
    /// `data` back, emptied, so its allocation can be reused.
    #[cfg(feature = "tls")]
    pub(crate) async fn send_all_plain(&self, mut data: Bytes) -> io::Result<Bytes> {
        use bytes::Buf;
        while !data.is_empty() {
            let (res, mut back) = self.send_plain(vec![data]).await;
            let n = match res {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => 0,
                Err(e) => return Err(e),
            };
            data = back.pop().unwrap_or_default();
            data.advance(n.min(data.len()));
        }
        Ok(data)
    }

    /// [`send`](Sink::send) of a transport that is not TLS.
    async fn send_plain(&self, mut batch: Vec<Bytes>) -> (io::Result<usize>, Vec<Bytes>) {
        match self {
            #[cfg(feature = "tls")]
            Sink::Tls(_) => (Err(tls_over_tls()), batch),
            Sink::Pipe(cell) => {
                let Some(pipe) = cell.borrow().clone() else {
                    return (Err(shut_down()), batch);
                };
                let res = pipe.write(join_front(&batch)).await.0;
                (res, batch)
            }
            Sink::Tcp(s) if batch.len() == 1 => {
                let (res, one) = s.write(batch.remove(0)).await;
                batch.push(one);
                (res, batch)
            }
            Sink::Unix(s) if batch.len() == 1 => {
                let (res, one) = s.write(batch.remove(0)).await;
                batch.push(one);
                (res, batch)
            }
            Sink::Tcp(s) => s.writev(batch).await,
            Sink::Unix(s) => s.writev(batch).await,
        }
    }

    /// Whether [`try_write`](Sink::try_write) is worth a try before
    /// queueing: a plain socket on the epoll backend, where a write is one
    /// non-blocking system call (asyncio's selector transports send at
    /// once the same way). On io_uring the flusher's sends batch with the
    /// loop's other submissions instead.
    pub(crate) fn writes_at_once(&self) -> bool {
        matches!(self, Sink::Tcp(_) | Sink::Unix(_))
            && ringio_runtime::Backend::current() == Some(ringio_runtime::Backend::Epoll)
    }

    /// Sends what the socket takes of `data` now, without waiting; `None`
    /// for a sink that cannot (see [`writes_at_once`](Sink::writes_at_once)).
    pub(crate) fn try_write(&self, data: &[u8]) -> Option<io::Result<usize>> {
        match self {
            Sink::Tcp(s) => Some(s.try_write(data)),
            Sink::Unix(s) => Some(s.try_write(data)),
            _ => None,
        }
    }

    /// Shuts down the writing side: the peer (or the child) reads end of
    /// stream.
    pub(crate) async fn shutdown(&self) -> io::Result<()> {
        match self {
            #[cfg(feature = "tls")]
            Sink::Tls(t) => t.shutdown().await,
            _ => self.shutdown_plain().await,
        }
    }

    /// [`shutdown`](Sink::shutdown) of a transport that is not TLS.
    pub(crate) async fn shutdown_plain(&self) -> io::Result<()> {
        match self {
            #[cfg(feature = "tls")]
            Sink::Tls(_) => Err(tls_over_tls()),
            Sink::Tcp(s) => s.shutdown().await,
            Sink::Unix(s) => s.shutdown().await,
            Sink::Pipe(cell) => {
                // Dropping the last handle closes the fd (through the ring).
                drop(cell.borrow_mut().take());
                Ok(())
            }
        }
    }

    /// What the transport is, for error messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Sink::Tcp(_) => "a TCP stream",
            Sink::Unix(_) => "a Unix stream",
            Sink::Pipe(_) => "a pipe",
            #[cfg(feature = "tls")]
            Sink::Tls(t) => match t.raw() {
                Sink::Unix(_) => "TLS over a Unix stream",
                _ => "TLS over a TCP stream",
            },
        }
    }

    /// The transport that carries the bytes: the socket under TLS, else
    /// this one.
    pub(crate) fn carrier(&self) -> &Sink {
        match self {
            #[cfg(feature = "tls")]
            Sink::Tls(t) => t.raw(),
            _ => self,
        }
    }
}

/// The first chunk of `batch`, or, when it is small and more follow, the
/// front chunks joined up to [`PIPE_JOIN`] bytes.
fn join_front(batch: &[Bytes]) -> Bytes {
    match batch {
        [] => Bytes::new(),
        [first, ..] if batch.len() == 1 || first.len() >= PIPE_JOIN => first.clone(),
        _ => {
            let mut joined = BytesMut::with_capacity(PIPE_JOIN);
            for chunk in batch {
                let room = PIPE_JOIN - joined.len();
                if room == 0 {
                    break;
                }
                joined.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            joined.freeze()
        }
    }
}

#[cfg(feature = "tls")]
fn tls_over_tls() -> io::Error {
    io::Error::new(io::ErrorKind::Unsupported, "TLS over TLS is not supported")
}

fn shut_down() -> io::Error {
    io::Error::new(
        io::ErrorKind::BrokenPipe,
        "the pipe's write end is already closed",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_front_keeps_order_and_bound() {
        assert!(join_front(&[]).is_empty());
        let big = Bytes::from(vec![7u8; PIPE_JOIN + 1]);
        assert_eq!(join_front(&[big.clone(), Bytes::from_static(b"x")]), big);
        let small = [Bytes::from_static(b"ab"), Bytes::from_static(b"cd")];
        assert_eq!(join_front(&small), "abcd");
        let many: Vec<Bytes> = (0..3)
            .map(|i| Bytes::from(vec![i; PIPE_JOIN / 2]))
            .collect();
        let j = join_front(&many);
        assert_eq!(j.len(), PIPE_JOIN);
        assert!(j[..PIPE_JOIN / 2].iter().all(|&b| b == 0));
        assert!(j[PIPE_JOIN / 2..].iter().all(|&b| b == 1));
    }
}
