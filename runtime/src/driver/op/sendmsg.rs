//! `IORING_OP_SENDMSG` of one owned buffer to an address (datagram
//! `send_to`).

use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::OpCode;
use crate::buf::IoBuf;
use crate::net::sockaddr::SockAddr;

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
}

// SAFETY: the SQE points at the boxed header, which points at its own boxed
// fields and at `buf`'s stable memory; none of it moves with the op.
unsafe impl<B: IoBuf> OpCode for SendMsg<B> {
    fn sqe(&mut self) -> squeue::Entry {
        let h = &mut *self.hdr;
        h.iov = libc::iovec {
            iov_base: self.buf.stable_ptr() as *mut libc::c_void,
            iov_len: self.buf.bytes_init(),
        };
        h.msg.msg_name = h.addr.as_ptr() as *mut libc::c_void;
        h.msg.msg_namelen = h.addr.len();
        h.msg.msg_iov = &mut h.iov;
        h.msg.msg_iovlen = 1;
        opcode::SendMsg::new(types::Fd(self.fd), &h.msg)
            .flags(libc::MSG_NOSIGNAL as u32)
            .build()
    }
}
