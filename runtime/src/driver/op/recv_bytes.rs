//! A receive appended to a `BytesMut`, room reserved only when the call is
//! made: the readiness backend's `read_buf` (no provided-buffer pool
//! there), made on the readiness path by a [`ReadyCall`](super::ReadyCall),
//! which holds no buffer while the socket waits.

use std::cell::RefCell;
use std::os::fd::RawFd;

use bytes::BytesMut;

use super::syscall_result;

thread_local! {
    /// The loop thread's landing area for receives into a buffer with too
    /// little room: the call receives up to `want` bytes here and only what
    /// arrived is copied into the buffer, so a 128-byte message costs a
    /// 128-byte allocation, not a fresh `want`-byte one (allocating and
    /// freeing 16 KiB per read made glibc move the heap top with `brk`
    /// every few reads).
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// One non-blocking receive of at most `want` bytes from `fd`, appended to
/// `buf`: its count, or `-errno` (`-EAGAIN`: nothing queued). It receives
/// straight into `buf` when `buf` already has `want` bytes of room (a large
/// read), otherwise into the thread's scratch buffer and copies what came:
/// either way a socket waiting for data holds no buffer, and nothing is
/// reserved that the receive does not fill.
pub(crate) fn recv_append(fd: RawFd, buf: &mut BytesMut, want: usize) -> i32 {
    let spare = buf.capacity() - buf.len();
    if spare >= want {
        let room = buf.spare_capacity_mut().as_mut_ptr();
        // SAFETY: `room` starts at least `want` bytes of `buf`'s spare
        // capacity, which nothing else touches during the call.
        let n = unsafe { libc::recv(fd, room.cast(), want, libc::MSG_DONTWAIT) };
        let result = syscall_result(n);
        if let Ok(got) = usize::try_from(result) {
            // SAFETY: the call initialised `got` (<= want) bytes there.
            unsafe { buf.set_len(buf.len() + got) };
        }
        return result;
    }
    SCRATCH.with_borrow_mut(|scratch| {
        if scratch.len() < want {
            scratch.resize(want, 0);
        }
        // SAFETY: `scratch` holds at least `want` initialised bytes,
        // borrowed mutably for the call.
        let n = unsafe { libc::recv(fd, scratch.as_mut_ptr().cast(), want, libc::MSG_DONTWAIT) };
        let result = syscall_result(n);
        if let Ok(got) = usize::try_from(result) {
            if buf.capacity() == 0 {
                // Exactly what came, in one allocation.
                *buf = BytesMut::from(&scratch[..got]);
            } else {
                buf.extend_from_slice(&scratch[..got]);
            }
        }
        result
    })
}
