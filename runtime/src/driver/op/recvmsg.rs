//! `IORING_OP_RECVMSG` into one owned buffer, with the sender's address
//! (datagram `recv_from`).

use std::os::fd::RawFd;

use io_uring::{opcode, squeue, types};

use super::OpCode;
use crate::buf::IoBufMut;
use crate::net::sockaddr::SockAddr;

/// The message header and what it points at, boxed together.
pub(crate) struct MsgIn {
    msg: libc::msghdr,
    iov: libc::iovec,
    addr: SockAddr,
}

/// Receives one datagram into `0..bytes_total()` of `buf`.
pub(crate) struct RecvMsg<B> {
    pub(crate) fd: RawFd,
    pub(crate) buf: B,
    hdr: Box<MsgIn>,
}

impl<B: IoBufMut> RecvMsg<B> {
    pub(crate) fn new(fd: RawFd, buf: B) -> RecvMsg<B> {
        RecvMsg {
            fd,
            buf,
            hdr: Box::new(MsgIn {
                // SAFETY: msghdr is plain data; all-zero is a valid header.
                msg: unsafe { std::mem::zeroed() },
                iov: libc::iovec {
                    iov_base: std::ptr::null_mut(),
                    iov_len: 0,
                },
                addr: SockAddr::empty(),
            }),
        }
    }

    /// The sender's address, as the kernel filled it in.
    pub(crate) fn source(&self) -> SockAddr {
        let mut a = self.hdr.addr.clone();
        a.set_len(self.hdr.msg.msg_namelen);
        a
    }
}

// SAFETY: the SQE points at the boxed header, which points at its own boxed
// fields and at `buf`'s stable memory; none of it moves with the op.
unsafe impl<B: IoBufMut> OpCode for RecvMsg<B> {
    fn sqe(&mut self) -> squeue::Entry {
        let h = &mut *self.hdr;
        h.iov = libc::iovec {
            iov_base: self.buf.stable_mut_ptr() as *mut libc::c_void,
            iov_len: self.buf.bytes_total(),
        };
        h.msg.msg_name = h.addr.as_mut_ptr() as *mut libc::c_void;
        h.msg.msg_namelen = SockAddr::capacity();
        h.msg.msg_iov = &mut h.iov;
        h.msg.msg_iovlen = 1;
        opcode::RecvMsg::new(types::Fd(self.fd), &mut h.msg).build()
    }
}
