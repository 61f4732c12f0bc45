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
}

impl Sink {
    /// Sends from the front of `batch`; returns how many bytes were taken
    /// (the caller puts back the rest) and the batch.
    pub(crate) async fn send(&self, mut batch: Vec<Bytes>) -> (io::Result<usize>, Vec<Bytes>) {
        match self {
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

    /// Shuts down the writing side: the peer (or the child) reads end of
    /// stream.
    pub(crate) async fn shutdown(&self) -> io::Result<()> {
        match self {
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
