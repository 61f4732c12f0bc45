//! The read direction of a `Compat`: reads served from the loop's pool
//! (sockets on io_uring: see `Reader::poll_read`), else one owned buffer
//! and one read in flight.
//!
//! The kernel reads into the owned buffer (a ring operation may write into
//! it after the poll that started it returned, so it cannot be the
//! caller's borrowed slice); the caller's slice is then filled from it.
//! That is the one copy of this direction.
//!
//! Cancellation safety: the read in flight belongs to the `Compat`, not to
//! the caller's `poll_read`. A read future the caller drops between polls
//! (a timeout, a `select!` that took another branch) leaves the operation
//! and its buffer here; its bytes are served by the next poll, and bytes
//! the caller had no room for stay until they are read.

use std::io;
use std::rc::Rc;
use std::task::{ready, Context, Poll};

use crate::owned::{OwnedRead, ReadFuture};

pub(crate) struct Reader {
    /// Bytes received and not yet handed out are `buf[pos..]`. Empty (and
    /// without capacity) while its memory is in the read in flight.
    buf: Vec<u8>,
    pos: usize,
    /// The size of the owned buffer each read asks the kernel to fill.
    cap: usize,
    in_flight: Option<ReadFuture>,
}

impl Reader {
    pub(crate) fn new(cap: usize) -> Reader {
        Reader {
            buf: Vec::new(),
            pos: 0,
            cap: cap.max(1),
            in_flight: None,
        }
    }

    /// Whether nothing is in flight and no received byte is unread.
    pub(crate) fn is_idle(&self) -> bool {
        self.in_flight.is_none() && self.pos == self.buf.len()
    }

    /// The bytes received and not yet consumed, reading more when there
    /// are none; an empty slice at end of stream.
    pub(crate) fn poll_fill_buf<T: OwnedRead>(
        &mut self,
        io: &Rc<T>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<&[u8]>> {
        if self.pos < self.buf.len() {
            return Poll::Ready(Ok(&self.buf[self.pos..]));
        }
        let read = match &mut self.in_flight {
            Some(read) => read,
            None => {
                let mut buf = std::mem::take(&mut self.buf);
                buf.clear();
                buf.reserve_exact(self.cap);
                self.pos = 0;
                self.in_flight.insert(T::read_owned(io.clone(), buf))
            }
        };
        let (res, buf) = ready!(read.as_mut().poll(cx));
        self.in_flight = None;
        self.buf = buf;
        self.pos = 0;
        match res {
            Ok(_) => Poll::Ready(Ok(&self.buf[..])),
            Err(e) => {
                self.buf.clear();
                Poll::Ready(Err(e))
            }
        }
    }

    /// Marks `n` bytes of the last [`poll_fill_buf`](Reader::poll_fill_buf)
    /// as handed out.
    pub(crate) fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.buf.len());
    }

    /// Hands up to `room` bytes to `put` (which appends them; it may be
    /// called more than once), reading when nothing is buffered; `Ok(0)`
    /// at end of stream (or when `room` is 0).
    ///
    /// With nothing buffered here and no owned read in flight, the read is
    /// served from the loop's receive-buffer pool: the bytes are copied
    /// from the pool buffer the kernel filled straight into the caller's
    /// (the one copy), and no owned buffer is held while waiting.
    pub(crate) fn poll_read<T: OwnedRead>(
        &mut self,
        io: &Rc<T>,
        cx: &mut Context<'_>,
        room: usize,
        mut put: impl FnMut(&[u8]),
    ) -> Poll<io::Result<usize>> {
        if room == 0 {
            return Poll::Ready(Ok(0));
        }
        if self.pos == self.buf.len() && self.in_flight.is_none() {
            if let Some(got) = ready!(T::poll_read_pooled(io, cx, room, &mut put)) {
                return Poll::Ready(got);
            }
        }
        let avail = ready!(self.poll_fill_buf(io, cx))?;
        let n = avail.len().min(room);
        put(&avail[..n]);
        self.consume(n);
        Poll::Ready(Ok(n))
    }
}
