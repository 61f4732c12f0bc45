//! Bytes that a dropped read received, kept for the next read.
//!
//! With completion-based I/O a cancelled receive can race its completion:
//! the kernel may already have copied bytes out of the socket into the
//! buffer of a read whose future is gone. Those bytes must not vanish. Every
//! receive on a stream socket is counted here while it is outstanding; when
//! a dropped one completes, its bytes are appended to the stash. A new read
//! first waits until no receive is outstanding (so bytes are never
//! reordered: a dropped receive always got bytes that precede the new
//! read's), then returns stashed bytes before asking the kernel for more.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::poll_fn;
use std::task::{Poll, Waker};

use crate::buf::IoBufMut;

/// The per-socket stash (shared by the socket and its receive ops).
#[derive(Debug, Default)]
pub(crate) struct Stash {
    inner: RefCell<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    bytes: VecDeque<u8>,
    outstanding: usize,
    waiters: Vec<Waker>,
}

impl Stash {
    /// Waits until no receive is outstanding, then counts a new one.
    pub(crate) async fn begin(&self) {
        poll_fn(|cx| {
            let mut inner = self.inner.borrow_mut();
            if inner.outstanding == 0 {
                inner.outstanding = 1;
                Poll::Ready(())
            } else {
                if !inner.waiters.iter().any(|w| w.will_wake(cx.waker())) {
                    inner.waiters.push(cx.waker().clone());
                }
                Poll::Pending
            }
        })
        .await
    }

    /// Ends a receive counted by `begin`; `dropped` holds the bytes a
    /// receive got for a future that is gone.
    pub(crate) fn finish(&self, dropped: Option<&[u8]>) {
        let waiters = {
            let mut inner = self.inner.borrow_mut();
            if let Some(b) = dropped {
                inner.bytes.extend(b);
            }
            inner.outstanding = inner.outstanding.saturating_sub(1);
            std::mem::take(&mut inner.waiters)
        };
        for w in waiters {
            w.wake();
        }
    }

    /// Keeps `bytes` for the next read (the part of a received chunk that
    /// did not fit the read's buffer).
    pub(crate) fn push(&self, bytes: &[u8]) {
        self.inner.borrow_mut().bytes.extend(bytes);
    }

    /// Appends every stashed byte to `dst`; `None` when there are none.
    pub(crate) fn take_into_bytes(&self, dst: &mut bytes::BytesMut) -> Option<usize> {
        let mut inner = self.inner.borrow_mut();
        if inner.bytes.is_empty() {
            return None;
        }
        let (a, b) = inner.bytes.as_slices();
        dst.extend_from_slice(a);
        dst.extend_from_slice(b);
        let n = inner.bytes.len();
        inner.bytes.clear();
        Some(n)
    }

    /// Moves stashed bytes into `buf` (from its start); `None` when empty.
    pub(crate) fn take_into<B: IoBufMut>(&self, buf: &mut B) -> Option<usize> {
        let mut inner = self.inner.borrow_mut();
        if inner.bytes.is_empty() || buf.bytes_total() == 0 {
            return None;
        }
        let n = inner.bytes.len().min(buf.bytes_total());
        let ptr = buf.stable_mut_ptr();
        for (i, b) in inner.bytes.drain(..n).enumerate() {
            // SAFETY: i < n <= bytes_total(), the writable size of `buf`.
            unsafe { ptr.add(i).write(b) };
        }
        // SAFETY: the first n bytes were just written.
        unsafe { buf.set_init(n) };
        Some(n)
    }
}
