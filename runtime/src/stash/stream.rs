//! The stash of a byte stream: bytes in order, handed out as the next
//! read's bytes.

use std::collections::VecDeque;
use std::task::Waker;

use super::Stash;
use crate::buf::{self, IoBufMut};
use crate::driver::op::KeepBytes;

/// The stash of a stream socket, a pipe or a child's stdout/stderr.
pub(crate) type StreamStash = Stash<VecDeque<u8>>;

impl Stash<VecDeque<u8>> {
    /// Keeps `bytes` for the next read (the part of a received chunk that
    /// did not fit the read's buffer).
    pub(crate) fn push(&self, bytes: &[u8]) {
        self.with(|kept| kept.extend(bytes));
    }

    /// Appends every kept byte to `dst`; `None` when there are none.
    pub(crate) fn take_into_bytes(&self, dst: &mut bytes::BytesMut) -> Option<usize> {
        self.take_with(usize::MAX, &mut |bytes| dst.extend_from_slice(bytes))
    }

    /// Hands up to `room` kept bytes to `put` (in one or two slices) and
    /// drops them from the stash; `None` when there are none or `room` is
    /// 0.
    pub(crate) fn take_with(&self, room: usize, put: &mut dyn FnMut(&[u8])) -> Option<usize> {
        self.with(|kept| {
            if kept.is_empty() || room == 0 {
                return None;
            }
            let n = kept.len().min(room);
            let (a, b) = kept.as_slices();
            let from_a = a.len().min(n);
            put(&a[..from_a]);
            if from_a < n {
                put(&b[..n - from_a]);
            }
            kept.drain(..n);
            Some(n)
        })
    }

    /// Moves kept bytes into `buf` (from its start), as many as fit;
    /// `None` when there are none or `buf` has no room.
    pub(crate) fn take_into<B: IoBufMut>(&self, buf: &mut B) -> Option<usize> {
        self.with(|kept| {
            if kept.is_empty() || buf.bytes_total() == 0 {
                return None;
            }
            let n = buf::fill(buf, kept.make_contiguous());
            kept.drain(..n);
            Some(n)
        })
    }
}

/// A dropped read's completion: keeps the bytes it got and ends the read's
/// turn (inside the driver: the wakers go to `wakes`).
impl KeepBytes for Stash<VecDeque<u8>> {
    fn keep(&self, got: Option<&[u8]>, wakes: &mut Vec<Waker>) {
        if let Some(bytes) = got {
            self.push(bytes);
        }
        self.finish_later(wakes);
    }
}
