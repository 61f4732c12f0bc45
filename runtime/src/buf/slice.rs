//! A range of an owned buffer.

use super::{IoBuf, IoBufMut};

/// The bytes `begin..end` of an owned buffer, made by [`IoBuf::slice`].
///
/// An operation on a slice reads or writes only that range; `into_inner`
/// gives the whole buffer back.
#[derive(Debug)]
pub struct Slice<T> {
    buf: T,
    begin: usize,
    end: usize,
}

impl<T> Slice<T> {
    pub(crate) fn new(buf: T, begin: usize, end: usize) -> Self {
        Slice { buf, begin, end }
    }

    /// Offset of the first byte of the slice in the whole buffer.
    pub fn begin(&self) -> usize {
        self.begin
    }

    /// Offset one past the last byte of the slice in the whole buffer.
    pub fn end(&self) -> usize {
        self.end
    }

    /// The whole buffer.
    pub fn get_ref(&self) -> &T {
        &self.buf
    }

    /// The whole buffer, back from the slice.
    pub fn into_inner(self) -> T {
        self.buf
    }
}

// SAFETY: the range lies inside the inner buffer (checked at construction),
// whose memory is stable by T's own guarantee.
unsafe impl<T: IoBuf> IoBuf for Slice<T> {
    fn stable_ptr(&self) -> *const u8 {
        self.buf.stable_ptr().wrapping_add(self.begin)
    }
    fn bytes_init(&self) -> usize {
        self.buf.bytes_init().clamp(self.begin, self.end) - self.begin
    }
    fn bytes_total(&self) -> usize {
        self.end - self.begin
    }
}

// SAFETY: as above; writes stay inside `begin..end` of the inner buffer.
unsafe impl<T: IoBufMut> IoBufMut for Slice<T> {
    fn stable_mut_ptr(&mut self) -> *mut u8 {
        self.buf.stable_mut_ptr().wrapping_add(self.begin)
    }
    unsafe fn set_init(&mut self, pos: usize) {
        // Claiming bytes past the inner buffer's initialised prefix is only
        // sound when the slice starts inside that prefix (no gap of
        // uninitialised bytes before `begin`).
        if self.begin <= self.buf.bytes_init() {
            // SAFETY: bytes before `begin` are initialised (checked above) and
            // the caller wrote `pos` bytes from `begin`.
            unsafe { self.buf.set_init(self.begin + pos) };
        }
    }
}
