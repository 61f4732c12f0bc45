//! Owned buffers for completion-based I/O.
//!
//! With io_uring the kernel writes into a buffer after the call that started
//! the operation has returned, so the buffer cannot be borrowed from the
//! caller: a dropped future would leave the kernel writing into freed memory.
//! Every ringio I/O call therefore takes its buffer **by value** and hands it
//! back with the result, `let (res, buf) = reader.read(buf).await;`. If the
//! future is dropped first, the runtime keeps the buffer alive until the
//! kernel is done with it, then frees it.
//!
//! [`IoBuf`] is a buffer the kernel may read (writes), [`IoBufMut`] one it may
//! write (reads). [`IoBuf::slice`] narrows either to a range.

mod slice;

pub use slice::Slice;

use std::ops::{Bound, RangeBounds};

/// A buffer whose bytes the kernel may read until the operation completes.
///
/// # Safety
///
/// `stable_ptr` must point to `bytes_init()` initialised bytes that stay at
/// the same address while the value is moved (heap memory the value owns, or
/// `'static` memory), and are not freed or changed until the value is
/// dropped or handed out through `&mut`.
pub unsafe trait IoBuf: Unpin + 'static {
    /// Pointer to the first byte; stable across moves of `self`.
    fn stable_ptr(&self) -> *const u8;

    /// Number of initialised bytes (what a write sends).
    fn bytes_init(&self) -> usize;

    /// Capacity in bytes (what a read may fill).
    fn bytes_total(&self) -> usize;

    /// A view of `range` of this buffer, for an operation on part of it.
    ///
    /// # Panics
    ///
    /// When the range is out of order or past `bytes_total()`, as slicing a
    /// `Vec` would.
    fn slice(self, range: impl RangeBounds<usize>) -> Slice<Self>
    where
        Self: Sized,
    {
        let begin = match range.start_bound() {
            Bound::Included(&n) => n,
            Bound::Excluded(&n) => n + 1,
            Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            Bound::Included(&n) => n + 1,
            Bound::Excluded(&n) => n,
            Bound::Unbounded => self.bytes_total(),
        };
        assert!(
            begin <= end && end <= self.bytes_total(),
            "slice {begin}..{end} out of a buffer of {} bytes",
            self.bytes_total()
        );
        Slice::new(self, begin, end)
    }
}

/// A buffer the kernel may write into until the operation completes.
///
/// # Safety
///
/// As for [`IoBuf`], and `stable_mut_ptr` must be valid for writes of
/// `bytes_total()` bytes.
pub unsafe trait IoBufMut: IoBuf {
    /// Mutable pointer to the first byte; stable across moves of `self`.
    fn stable_mut_ptr(&mut self) -> *mut u8;

    /// Marks the first `pos` bytes as initialised (never shrinks).
    ///
    /// # Safety
    ///
    /// The first `pos` bytes must have been written.
    unsafe fn set_init(&mut self, pos: usize);
}

// SAFETY: a Vec's heap buffer does not move when the Vec is moved; len bytes
// are initialised and capacity bytes are allocated.
unsafe impl IoBuf for Vec<u8> {
    fn stable_ptr(&self) -> *const u8 {
        self.as_ptr()
    }
    fn bytes_init(&self) -> usize {
        self.len()
    }
    fn bytes_total(&self) -> usize {
        self.capacity()
    }
}

// SAFETY: as for IoBuf; the whole capacity is writable.
unsafe impl IoBufMut for Vec<u8> {
    fn stable_mut_ptr(&mut self) -> *mut u8 {
        self.as_mut_ptr()
    }
    unsafe fn set_init(&mut self, pos: usize) {
        if self.len() < pos {
            // SAFETY: the caller guarantees the first `pos` bytes were
            // written, and `pos <= capacity` since the kernel wrote them.
            unsafe { self.set_len(pos) };
        }
    }
}

// SAFETY: a boxed slice's heap memory does not move with the Box; all of it
// is initialised.
unsafe impl IoBuf for Box<[u8]> {
    fn stable_ptr(&self) -> *const u8 {
        self.as_ptr()
    }
    fn bytes_init(&self) -> usize {
        self.len()
    }
    fn bytes_total(&self) -> usize {
        self.len()
    }
}

// SAFETY: as for IoBuf; all of it is writable.
unsafe impl IoBufMut for Box<[u8]> {
    fn stable_mut_ptr(&mut self) -> *mut u8 {
        self.as_mut_ptr()
    }
    unsafe fn set_init(&mut self, _pos: usize) {}
}

// SAFETY: 'static memory never moves or goes away.
unsafe impl IoBuf for &'static [u8] {
    fn stable_ptr(&self) -> *const u8 {
        self.as_ptr()
    }
    fn bytes_init(&self) -> usize {
        self.len()
    }
    fn bytes_total(&self) -> usize {
        self.len()
    }
}

// SAFETY: 'static memory never moves or goes away.
unsafe impl IoBuf for &'static str {
    fn stable_ptr(&self) -> *const u8 {
        self.as_ptr()
    }
    fn bytes_init(&self) -> usize {
        self.len()
    }
    fn bytes_total(&self) -> usize {
        self.len()
    }
}

// SAFETY: Bytes is a refcounted view of immutable heap (or static) memory
// that does not move when the handle moves.
unsafe impl IoBuf for bytes::Bytes {
    fn stable_ptr(&self) -> *const u8 {
        self.as_ptr()
    }
    fn bytes_init(&self) -> usize {
        self.len()
    }
    fn bytes_total(&self) -> usize {
        self.len()
    }
}

// SAFETY: BytesMut owns its heap region; moving the handle does not move it.
unsafe impl IoBuf for bytes::BytesMut {
    fn stable_ptr(&self) -> *const u8 {
        self.as_ptr()
    }
    fn bytes_init(&self) -> usize {
        self.len()
    }
    fn bytes_total(&self) -> usize {
        self.capacity()
    }
}

// SAFETY: as for IoBuf; the spare capacity is allocated and writable.
unsafe impl IoBufMut for bytes::BytesMut {
    fn stable_mut_ptr(&mut self) -> *mut u8 {
        self.as_mut_ptr()
    }
    unsafe fn set_init(&mut self, pos: usize) {
        if self.len() < pos {
            // SAFETY: the caller guarantees the first `pos` bytes were written.
            unsafe { self.set_len(pos) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vec_reports_len_and_capacity() {
        let mut v = Vec::with_capacity(16);
        v.extend_from_slice(b"abc");
        assert_eq!(v.bytes_init(), 3);
        assert!(v.bytes_total() >= 16);
        // SAFETY: 3 bytes are initialised already; set_init never shrinks.
        unsafe { v.set_init(2) };
        assert_eq!(v.len(), 3);
    }

    #[test]
    fn slice_narrows_the_range() {
        let s = vec![1u8, 2, 3, 4, 5].slice(1..4);
        assert_eq!(s.begin(), 1);
        assert_eq!(s.end(), 4);
        assert_eq!(s.bytes_init(), 3);
        assert_eq!(s.bytes_total(), 3);
        assert_eq!(s.into_inner(), vec![1, 2, 3, 4, 5]);
    }
}
