//! Helpers for the programs written directly on the io-uring crate (the
//! load generator and the raw io_uring server).

use std::io;

use io_uring::{squeue, IoUring};

/// A ring of `entries` that runs completion work only when the thread
/// waits in `io_uring_enter` (single issuer, deferred task work), or a
/// plain one on kernels without those flags.
pub fn ring(entries: u32) -> io::Result<IoUring> {
    IoUring::builder()
        .setup_single_issuer()
        .setup_defer_taskrun()
        .build(entries)
        .or_else(|_| IoUring::new(entries))
}

/// Queues `sqe`, submitting what is queued first if the ring is full.
///
/// # Safety
///
/// The buffer `sqe` points into must stay allocated and unmoved until its
/// completion is reaped or the process exits.
pub unsafe fn push(ring: &mut IoUring, sqe: &squeue::Entry) -> io::Result<()> {
    loop {
        // SAFETY: the caller keeps the buffer alive (this fn's contract).
        if unsafe { ring.submission().push(sqe) }.is_ok() {
            return Ok(());
        }
        ring.submit()?;
    }
}
