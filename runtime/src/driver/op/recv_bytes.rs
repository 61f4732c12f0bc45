//! A receive into the spare room of a `BytesMut`, reserved only when the
//! call is made: the readiness backend's `read_buf` (no provided-buffer
//! pool there), which holds no buffer while the socket waits.

use std::cell::RefCell;
use std::os::fd::RawFd;

use bytes::BytesMut;
use io_uring::{opcode, squeue, types};

use super::{short, syscall_result, Interest, OpCode, Readiness};

thread_local! {
    /// The loop thread's landing area for receives into a buffer with too
    /// little room: the call receives up to `want` bytes here and only what
    /// arrived is copied into the buffer, so a 128-byte message costs a
    /// 128-byte allocation, not a fresh `want`-byte one (allocating and
    /// freeing 16 KiB per read made glibc move the heap top with `brk`
    /// every few reads).
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Receives at most `want` bytes after `buf`'s length. On the readiness
/// backend [`attempt`](OpCode::attempt) appends them (`appended` is set);
/// on io_uring the kernel writes into the reserved spare room and the
/// caller adds the count to the length.
pub(crate) struct RecvBytes {
    pub(crate) fd: RawFd,
    pub(crate) buf: BytesMut,
    pub(crate) want: usize,
    /// Set once a try has appended what it received to `buf`.
    pub(crate) appended: bool,
}

impl RecvBytes {
    /// A receive of at most `want` bytes appended to `buf`.
    pub(crate) fn new(fd: RawFd, buf: BytesMut, want: usize) -> RecvBytes {
        RecvBytes {
            fd,
            buf,
            want,
            appended: false,
        }
    }

    /// Reserves `want` bytes; returns where they start.
    fn room(&mut self) -> *mut u8 {
        self.buf.reserve(self.want);
        self.buf.spare_capacity_mut().as_mut_ptr().cast()
    }
}

// SAFETY: the SQE points into `buf`'s heap allocation, which moving the op
// does not move and which is not resized until the completion.
unsafe impl OpCode for RecvBytes {
    fn sqe(&mut self) -> squeue::Entry {
        let len = self.want.min(u32::MAX as usize) as u32;
        opcode::Recv::new(types::Fd(self.fd), self.room(), len).build()
    }

    /// Without building the SQE, which would reserve the room now.
    fn opcode(&mut self) -> u32 {
        u32::from(opcode::Recv::CODE)
    }

    fn readiness(&self) -> Readiness {
        Readiness::Fd(self.fd, Interest::Read)
    }

    /// Receives straight into `buf` when it already has `want` bytes of
    /// room (a large read), otherwise into the thread's scratch buffer and
    /// copies what came; either way a socket waiting for data holds no
    /// buffer, and nothing is reserved that the receive does not fill.
    fn attempt(&mut self) -> i32 {
        let spare = self.buf.capacity() - self.buf.len();
        if spare >= self.want {
            let room = self.buf.spare_capacity_mut().as_mut_ptr();
            // SAFETY: `room` starts at least `want` bytes of `buf`'s spare
            // capacity, which nothing else touches during the call.
            let n = unsafe { libc::recv(self.fd, room.cast(), self.want, libc::MSG_DONTWAIT) };
            let result = syscall_result(n);
            if let Ok(got) = usize::try_from(result) {
                // SAFETY: the call initialised `got` (<= want) bytes there.
                unsafe { self.buf.set_len(self.buf.len() + got) };
                self.appended = true;
            }
            return result;
        }
        SCRATCH.with_borrow_mut(|scratch| {
            if scratch.len() < self.want {
                scratch.resize(self.want, 0);
            }
            // SAFETY: `scratch` holds at least `want` initialised bytes,
            // borrowed mutably for the call.
            let n = unsafe {
                libc::recv(
                    self.fd,
                    scratch.as_mut_ptr().cast(),
                    self.want,
                    libc::MSG_DONTWAIT,
                )
            };
            let result = syscall_result(n);
            if let Ok(got) = usize::try_from(result) {
                if self.buf.capacity() == 0 {
                    // Exactly what came, in one allocation.
                    self.buf = BytesMut::from(&scratch[..got]);
                } else {
                    self.buf.extend_from_slice(&scratch[..got]);
                }
                self.appended = true;
            }
            result
        })
    }

    /// A stream socket: a short receive emptied its queue.
    fn drained(&self, result: i32) -> bool {
        short(result, self.want)
    }
}
