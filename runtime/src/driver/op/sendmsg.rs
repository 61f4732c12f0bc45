//! `IORING_OP_SENDMSG` of one owned buffer to an address (datagram
//! `send_to`).

use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::{syscall_result, Interest, OpCode, Readiness};
use crate::buf::IoBuf;
use crate::sockaddr::SockAddr;

/// The message header and what it points at, boxed together so that the
/// kernel's pointers stay valid while the op moves.
pub(crate) struct MsgOut {
    msg: libc::msghdr,
    iov: libc::iovec,
    addr: SockAddr,
}

/// Sends the initialised bytes of `buf` to `addr` (`MSG_NOSIGNAL`).
pub(crate) struct SendMsg<B> {
    pub(crate) fd: RawFd,
    pub(crate) buf: B,
    hdr: Box<MsgOut>,
}

impl<B: IoBuf> SendMsg<B> {
    pub(crate) fn new(fd: RawFd, buf: B, addr: SockAddr) -> SendMsg<B> {
        SendMsg {
            fd,
            buf,
            hdr: Box::new(MsgOut {
                // SAFETY: msghdr is plain data; all-zero is a valid (empty) header.
                msg: unsafe { std::mem::zeroed() },
                iov: libc::iovec {
                    iov_base: std::ptr::null_mut(),
                    iov_len: 0,
                },
                addr,
            }),
        }
    }

    /// Points the boxed header at `buf` and the address.
    fn header(&mut self) -> *const libc::msghdr {
        let h = &mut *self.hdr;
        h.iov = libc::iovec {
            iov_base: self.buf.stable_ptr() as *mut libc::c_void,
            iov_len: self.buf.bytes_init(),
        };
        h.msg.msg_name = h.addr.as_ptr() as *mut libc::c_void;
        h.msg.msg_namelen = h.addr.len();
        h.msg.msg_iov = &mut h.iov;
        h.msg.msg_iovlen = 1;
        &h.msg
    }
}

// SAFETY: the SQE points at the boxed header, which points at its own boxed
// fields and at `buf`'s stable memory; none of it moves with the op.
unsafe impl<B: IoBuf> OpCode for SendMsg<B> {
    fn sqe(&mut self) -> squeue::Entry {
        let msg = self.header();
        opcode::SendMsg::new(types::Fd(self.fd), msg)
            .flags(libc::MSG_NOSIGNAL as u32)
            .build()
    }

    fn readiness(&self) -> Readiness {
        Readiness::Fd(self.fd, Interest::Write)
    }

    fn attempt(&mut self) -> i32 {
        let msg = self.header();
        let flags = libc::MSG_NOSIGNAL | libc::MSG_DONTWAIT;
        // SAFETY: the header points at live boxed fields and `buf`'s bytes.
        syscall_result(unsafe { libc::sendmsg(self.fd, msg, flags) })
    }
}
