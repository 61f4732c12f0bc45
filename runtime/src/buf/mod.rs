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

// SAFETY: 'static memory never moves or goes away. (A byte-string literal,
// `b"ping"`, is a `&'static [u8; N]`.)
unsafe impl<const N: usize> IoBuf for &'static [u8; N] {
    fn stable_ptr(&self) -> *const u8 {
        self.as_ptr()
    }
    fn bytes_init(&self) -> usize {
        N
    }
    fn bytes_total(&self) -> usize {
        N
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

// SAFETY: as for IoBuf; the spare capacity is allocated and writable, and
// the pointer is derived from the whole allocation (below).
unsafe impl IoBufMut for bytes::BytesMut {
    fn stable_mut_ptr(&mut self) -> *mut u8 {
        // `as_mut_ptr` would go through `DerefMut` to the initialised
        // `len` bytes, and a pointer derived from that slice may not write
        // past them (Stacked Borrows), yet the kernel and the stash fill the
        // spare capacity. With `len` at 0 for a moment, the spare capacity
        // is the whole allocation: a pointer from it covers every byte.
        let len = self.len();
        // SAFETY: 0 <= capacity, and no byte needs to be initialised.
        unsafe { self.set_len(0) };
        let ptr = self.spare_capacity_mut().as_mut_ptr().cast::<u8>();
        // SAFETY: the first `len` bytes are still initialised: nothing
        // wrote to them since they were.
        unsafe { self.set_len(len) };
        ptr
    }
    unsafe fn set_init(&mut self, pos: usize) {
        if self.len() < pos {
            // SAFETY: the caller guarantees the first `pos` bytes were written.
            unsafe { self.set_len(pos) };
        }
    }
}

/// Copies as much of `src` as fits into the start of `buf` and marks it
/// initialised; returns how many bytes were copied.
pub(crate) fn fill<B: IoBufMut>(buf: &mut B, src: &[u8]) -> usize {
    let n = src.len().min(buf.bytes_total());
    let ptr = buf.stable_mut_ptr();
    // SAFETY: n <= bytes_total(), the writable size of `buf` (IoBufMut);
    // `copy` is correct even if `src` overlapped the buffer; after it, the
    // first n bytes are written.
    unsafe {
        std::ptr::copy(src.as_ptr(), ptr, n);
        buf.set_init(n);
    }
    n
}

/// The result of an operation that read into `buf` from its start: the
/// count of bytes it got, which are then marked initialised.
///
/// # Safety
///
/// `result` must be that operation's: `Ok(n)` means the kernel wrote `n`
/// bytes at the start of `buf`.
pub(crate) unsafe fn bytes_read<B: IoBufMut>(
    result: std::io::Result<u32>,
    buf: &mut B,
) -> std::io::Result<usize> {
    result.map(|n| {
        // SAFETY: the caller guarantees the kernel wrote the `n` bytes.
        unsafe { buf.set_init(n as usize) };
        n as usize
    })
}

/// The first `n` bytes of `buf` (at most `bytes_total()`), which an
/// operation wrote whether or not `buf` counts them as initialised yet.
///
/// # Safety
///
/// The first `min(n, bytes_total())` bytes of `buf` must have been written.
pub(crate) unsafe fn written<B: IoBufMut>(buf: &mut B, n: usize) -> &[u8] {
    let n = n.min(buf.bytes_total());
    // SAFETY: the pointer is valid for bytes_total() bytes (IoBufMut) and
    // the caller guarantees the first n of them were written; the slice
    // borrows `buf`, so nothing changes them while it lives.
    unsafe { std::slice::from_raw_parts(buf.stable_mut_ptr(), n) }
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

    /// What the kernel does with the pointer a read gets: writes `src`
    /// from the start of the buffer, up to `bytes_total()`.
    fn fake_kernel_read<B: IoBufMut>(buf: &mut B, src: &[u8]) -> usize {
        let n = src.len().min(buf.bytes_total());
        let ptr = buf.stable_mut_ptr();
        // SAFETY: n <= bytes_total(), the writable size IoBufMut promises.
        unsafe { std::ptr::copy_nonoverlapping(src.as_ptr(), ptr, n) };
        n
    }

    /// A completion into each kind of buffer: the whole capacity is
    /// writable through `stable_mut_ptr`, also past the initialised part
    /// (the Stacked Borrows check of Miri catches a pointer that only
    /// covers `len` bytes).
    fn completion_fills_past_len<B: IoBufMut + AsRef<[u8]>>(mut buf: B) {
        let total = buf.bytes_total();
        let src: Vec<u8> = (0..total).map(|i| (i % 251) as u8).collect();
        let n = fake_kernel_read(&mut buf, &src);
        assert_eq!(n, total);
        // SAFETY: the fake kernel wrote n bytes from the start.
        unsafe { buf.set_init(n) };
        assert_eq!(buf.bytes_init(), total);
        assert_eq!(buf.as_ref(), &src[..]);
    }

    #[test]
    fn bytes_mut_is_writable_to_capacity() {
        let mut b = bytes::BytesMut::with_capacity(64);
        b.extend_from_slice(b"head");
        completion_fills_past_len(b);
        completion_fills_past_len(bytes::BytesMut::with_capacity(32));
    }

    #[test]
    fn vec_is_writable_to_capacity() {
        let mut v = Vec::with_capacity(64);
        v.extend_from_slice(b"head");
        completion_fills_past_len(v);
        completion_fills_past_len(Vec::with_capacity(32));
    }

    #[test]
    fn boxed_slice_is_writable_to_its_end() {
        completion_fills_past_len(vec![7u8; 48].into_boxed_slice());
    }

    #[test]
    fn slice_of_bytes_mut_is_writable_to_its_end() {
        let mut b = bytes::BytesMut::with_capacity(64);
        b.extend_from_slice(b"head");
        let mut s = b.slice(2..40);
        let src = [9u8; 38];
        assert_eq!(fake_kernel_read(&mut s, &src), 38);
        // SAFETY: the fake kernel wrote 38 bytes from the slice's start.
        unsafe { s.set_init(38) };
        let b = s.into_inner();
        assert_eq!(&b[..], &[b"he".as_slice(), &src].concat()[..]);
    }

    #[test]
    fn fill_copies_what_fits_and_marks_it_initialised() {
        let mut b = bytes::BytesMut::with_capacity(8);
        b.extend_from_slice(b"xy");
        let cap = b.bytes_total();
        let src: Vec<u8> = (0..cap as u8 + 5).collect();
        assert_eq!(fill(&mut b, &src), cap);
        assert_eq!(&b[..], &src[..cap]);
        let mut v: Vec<u8> = Vec::with_capacity(16);
        assert_eq!(fill(&mut v, b"abc"), 3);
        assert_eq!(v, b"abc");
        let mut s = vec![0u8; 10].slice(4..6);
        assert_eq!(fill(&mut s, b"zzz"), 2);
        assert_eq!(s.into_inner(), [0, 0, 0, 0, b'z', b'z', 0, 0, 0, 0]);
    }

    #[test]
    fn written_reads_bytes_past_len() {
        let mut b = bytes::BytesMut::with_capacity(32);
        b.extend_from_slice(b"ab");
        let n = fake_kernel_read(&mut b, b"completion");
        // SAFETY: the fake kernel wrote n bytes from the start.
        let got = unsafe { written(&mut b, n) };
        assert_eq!(got, b"completion");
        assert_eq!(b.len(), 2, "written does not claim the bytes");
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
