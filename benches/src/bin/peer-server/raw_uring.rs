//! The floor: an echo loop written directly on the io-uring crate, with
//! none of a runtime's machinery (no tasks, no wakers, no buffer pool).
//! One accept kept armed; per connection one receive into its own 64 KiB
//! buffer, then sends until the bytes are all written back, then the next
//! receive. One `io_uring_enter` per batch of completions.
//!
//! `raw-uring-fixed` is the same loop with each connection's socket in the
//! ring's registered file table (`IOSQE_FIXED_FILE`: the kernel takes no
//! file reference per operation), to measure what registered files buy.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use io_uring::{opcode, squeue, types};
use ringio_benches::sys;
use ringio_benches::uring::push;

use crate::{announce, BUF};

const ACCEPT: u64 = u64::MAX;
const RECV: u64 = 0;
const SEND: u64 = 1;

struct Conn {
    fd: OwnedFd,
    buf: Vec<u8>,
    /// Bytes received by the last receive, and how many are sent back.
    len: usize,
    sent: usize,
}

/// Connections (and registered file slots) at most, with `fixed`.
const FIXED_SLOTS: u32 = 4096;

fn recv(i: usize, c: &mut Conn, fixed: bool) -> squeue::Entry {
    let (ptr, len) = (c.buf.as_mut_ptr(), c.buf.len() as u32);
    let sqe = if fixed {
        opcode::Recv::new(types::Fixed(i as u32), ptr, len).build()
    } else {
        opcode::Recv::new(types::Fd(c.fd.as_raw_fd()), ptr, len).build()
    };
    sqe.user_data((i as u64) << 1 | RECV)
}

fn send(i: usize, c: &Conn, fixed: bool) -> squeue::Entry {
    let rest = &c.buf[c.sent..c.len];
    let (ptr, len) = (rest.as_ptr(), rest.len() as u32);
    let sqe = if fixed {
        opcode::Send::new(types::Fixed(i as u32), ptr, len).build()
    } else {
        opcode::Send::new(types::Fd(c.fd.as_raw_fd()), ptr, len).build()
    };
    sqe.user_data((i as u64) << 1 | SEND)
}

/// Serves echo until killed; `fixed`: through registered files.
pub fn echo(fixed: bool) -> io::Result<()> {
    let listener = sys::listen_local()?;
    announce(listener.local_addr()?.port())?;
    let mut ring = ringio_benches::uring::ring(4096)?;
    if fixed {
        ring.submitter().register_files_sparse(FIXED_SLOTS)?;
    }
    let accept = opcode::Accept::new(
        types::Fd(listener.as_raw_fd()),
        std::ptr::null_mut(),
        std::ptr::null_mut(),
    )
    .build()
    .user_data(ACCEPT);
    // Connections live in boxes that never move while an operation is in
    // flight: a slot is freed only once its last completion is reaped.
    let mut conns: Vec<Option<Box<Conn>>> = Vec::new();
    let mut free: Vec<usize> = Vec::new();
    // SAFETY: accept writes no buffer (null address pointers).
    unsafe { push(&mut ring, &accept)? };
    let mut done: Vec<(u64, i32)> = Vec::new();
    loop {
        ring.submit_and_wait(1)?;
        done.clear();
        done.extend(ring.completion().map(|c| (c.user_data(), c.result())));
        for &(data, res) in &done {
            if data == ACCEPT {
                if res >= 0 {
                    // SAFETY: a successful accept returns a new fd we own.
                    let fd = unsafe { OwnedFd::from_raw_fd(res) };
                    sys::set_nodelay(fd.as_raw_fd())?;
                    let c = Box::new(Conn {
                        fd,
                        buf: vec![0; BUF],
                        len: 0,
                        sent: 0,
                    });
                    let i = match free.pop() {
                        Some(i) => {
                            conns[i] = Some(c);
                            i
                        }
                        None => {
                            conns.push(Some(c));
                            conns.len() - 1
                        }
                    };
                    if fixed {
                        if i >= FIXED_SLOTS as usize {
                            return Err(io::Error::other("more connections than file slots"));
                        }
                        let raw = conns[i].as_ref().map_or(-1, |c| c.fd.as_raw_fd());
                        ring.submitter().register_files_update(i as u32, &[raw])?;
                    }
                    if let Some(c) = conns[i].as_mut() {
                        // SAFETY: the connection's buffer stays boxed in
                        // `conns` until this receive completes.
                        unsafe { push(&mut ring, &recv(i, c, fixed))? };
                    }
                }
                // SAFETY: as above, no buffer.
                unsafe { push(&mut ring, &accept)? };
                continue;
            }
            let i = (data >> 1) as usize;
            let Some(c) = conns.get_mut(i).and_then(Option::as_mut) else {
                continue;
            };
            if res <= 0 {
                // End of stream or an error: close the connection. No other
                // operation of it is in flight (one at a time).
                if fixed {
                    // The table's reference would keep the socket open.
                    ring.submitter().register_files_update(i as u32, &[-1])?;
                }
                conns[i] = None;
                free.push(i);
                continue;
            }
            let sqe = if data & 1 == RECV {
                c.len = res as usize;
                c.sent = 0;
                send(i, c, fixed)
            } else {
                c.sent += res as usize;
                if c.sent < c.len {
                    send(i, c, fixed)
                } else {
                    recv(i, c, fixed)
                }
            };
            // SAFETY: as above, the box outlives the operation.
            unsafe { push(&mut ring, &sqe)? };
        }
    }
}
