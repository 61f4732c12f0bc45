//! The write direction of a `Compat`: one owned buffer, one write in
//! flight.
//!
//! `poll_write` copies the caller's bytes into the owned buffer (the one
//! copy of this direction: the kernel may read the buffer after the poll
//! returned), submits a write of all of it and returns at once; the next
//! `poll_write` waits for that write first, and `poll_flush` waits for it
//! alone. An error of a write already reported as accepted is returned by
//! the next `poll_write`, `poll_flush` or `poll_shutdown`.

use std::io::{self, IoSlice};
use std::rc::Rc;
use std::task::{ready, Context, Poll};

use crate::owned::{OwnedWrite, ShutdownFuture, WriteFuture};

enum State {
    Idle,
    Writing(WriteFuture),
    ShuttingDown(ShutdownFuture),
    Shut,
}

pub(crate) struct Writer {
    /// Empty (and without capacity) while its memory is in the write in
    /// flight.
    buf: Vec<u8>,
    /// The most one `poll_write` takes.
    cap: usize,
    state: State,
}

impl Writer {
    pub(crate) fn new(cap: usize) -> Writer {
        Writer {
            buf: Vec::new(),
            cap: cap.max(1),
            state: State::Idle,
        }
    }

    /// Whether no write or shutdown is in flight.
    pub(crate) fn is_idle(&self) -> bool {
        matches!(self.state, State::Idle | State::Shut)
    }

    /// Waits for the write in flight, if any.
    pub(crate) fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let State::Writing(write) = &mut self.state {
            let (res, mut buf) = ready!(write.as_mut().poll(cx));
            buf.clear();
            self.buf = buf;
            self.state = State::Idle;
            res?;
        }
        Poll::Ready(Ok(()))
    }

    /// Takes as much of `bufs` as fits in the owned buffer (one copy) and
    /// starts writing it.
    pub(crate) fn poll_write_vectored<T: OwnedWrite>(
        &mut self,
        io: &Rc<T>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_flush(cx))?;
        if matches!(self.state, State::ShuttingDown(_) | State::Shut) {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "write after shutdown: the writing side is already closed",
            )));
        }
        for b in bufs {
            let room = self.cap - self.buf.len();
            if room == 0 {
                break;
            }
            self.buf.extend_from_slice(&b[..b.len().min(room)]);
        }
        let n = self.buf.len();
        if n == 0 {
            return Poll::Ready(Ok(0));
        }
        let mut write = T::write_all_owned(io.clone(), std::mem::take(&mut self.buf));
        // Poll once so that the write is submitted now, not at the flush.
        match write.as_mut().poll(cx) {
            Poll::Pending => self.state = State::Writing(write),
            Poll::Ready((res, mut buf)) => {
                buf.clear();
                self.buf = buf;
                res?;
            }
        }
        Poll::Ready(Ok(n))
    }

    /// Waits for the write in flight, then shuts the writing side down.
    pub(crate) fn poll_shutdown<T: OwnedWrite>(
        &mut self,
        io: &Rc<T>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            match &mut self.state {
                State::Writing(_) => ready!(self.poll_flush(cx))?,
                State::Idle => self.state = State::ShuttingDown(T::shutdown_owned(io.clone())),
                State::ShuttingDown(shutdown) => {
                    let res = ready!(shutdown.as_mut().poll(cx));
                    self.state = State::Shut;
                    return Poll::Ready(res);
                }
                State::Shut => return Poll::Ready(Ok(())),
            }
        }
    }
}
