//! `IORING_OP_RECVMSG` into one owned buffer, with the sender's address
//! (datagram `recv` and `recv_from`), and a stash for the datagram of a
//! receive whose future was dropped after the kernel had filled it.
//! Readiness backend: `recvmsg(2)` with `MSG_DONTWAIT` on readiness.

use std::os::fd::RawFd;
use std::rc::Rc;
use std::task::Waker;

use io_uring::{opcode, squeue, types};

use super::{syscall_result, Interest, KeepDatagram, OpCode, Readiness};
use crate::buf::IoBufMut;
use crate::driver::Cqe;
use crate::sockaddr::SockAddr;

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
    /// Where the datagram of a dropped-but-completed receive goes, with its
    /// sender, so that the next receive returns it. The receive holds the
    /// stash's turn; its completion ends it.
    pub(crate) stash: Option<Rc<dyn KeepDatagram>>,
}

impl<B: IoBufMut> RecvMsg<B> {
    pub(crate) fn new(fd: RawFd, buf: B, stash: Option<Rc<dyn KeepDatagram>>) -> RecvMsg<B> {
        RecvMsg {
            fd,
            buf,
            stash,
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

    /// Points the boxed header at `buf` and the address storage.
    fn header(&mut self) -> *mut libc::msghdr {
        let h = &mut *self.hdr;
        h.iov = libc::iovec {
            iov_base: self.buf.stable_mut_ptr() as *mut libc::c_void,
            iov_len: self.buf.bytes_total(),
        };
        h.msg.msg_name = h.addr.as_mut_ptr() as *mut libc::c_void;
        h.msg.msg_namelen = SockAddr::capacity();
        h.msg.msg_iov = &mut h.iov;
        h.msg.msg_iovlen = 1;
        &mut h.msg
    }
}

// SAFETY: the SQE points at the boxed header, which points at its own boxed
// fields and at `buf`'s stable memory; none of it moves with the op.
unsafe impl<B: IoBufMut> OpCode for RecvMsg<B> {
    fn sqe(&mut self) -> squeue::Entry {
        let msg = self.header();
        opcode::RecvMsg::new(types::Fd(self.fd), msg).build()
    }

    fn readiness(&self) -> Readiness {
        Readiness::Fd(self.fd, Interest::Read)
    }

    fn attempt(&mut self) -> i32 {
        let msg = self.header();
        // SAFETY: the header points at live boxed fields and `buf`'s memory.
        let n = unsafe { libc::recvmsg(self.fd, msg, libc::MSG_DONTWAIT) };
        syscall_result(n)
    }

    fn release(&mut self, cqe: &Cqe, wakes: &mut Vec<Waker>) {
        if let Some(stash) = self.stash.take() {
            let from = self.source();
            let got = usize::try_from(cqe.result).ok().map(|n| {
                // SAFETY: a receive's result counts the bytes written at
                // the start of its buffer.
                (unsafe { crate::buf::written(&mut self.buf, n) }, from)
            });
            stash.keep(got, wakes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stash::DatagramStash;

    /// The kernel's side of a receive that completed: the datagram written
    /// through the iovec and the sender through `msg_name`, the pointers the
    /// header holds once the SQE is built (read, as the kernel reads them;
    /// a `&mut` to the header would stand for Rust code, not the kernel).
    /// No ring is involved (Miri runs this).
    fn fake_completion<B: IoBufMut>(op: &mut RecvMsg<B>, datagram: &[u8], from: &SockAddr) -> Cqe {
        let _sqe = op.sqe();
        let (base, room, name) = {
            let h = &*op.hdr;
            (
                h.iov.iov_base.cast::<u8>(),
                h.iov.iov_len,
                h.msg.msg_name.cast::<u8>(),
            )
        };
        let n = datagram.len().min(room);
        // SAFETY: the iovec describes `room` writable bytes of the op's
        // buffer, and msg_name room for any address, as the kernel is told.
        unsafe {
            std::ptr::copy_nonoverlapping(datagram.as_ptr(), base, n);
            std::ptr::copy_nonoverlapping(from.as_ptr().cast::<u8>(), name, from.len() as usize);
        }
        op.hdr.msg.msg_namelen = from.len();
        Cqe {
            result: n as i32,
            flags: 0,
            buf_off: 0,
        }
    }

    #[test]
    fn a_dropped_receive_keeps_its_datagram_and_sender() {
        let stash = Rc::new(DatagramStash::default());
        let from = SockAddr::from_inet(&"[::1]:7070".parse().unwrap());
        let mut buf = bytes::BytesMut::with_capacity(64);
        buf.extend_from_slice(b"stale");
        let mut op = RecvMsg::new(-1, buf, Some(stash.clone()));
        let cqe = fake_completion(&mut op, b"a datagram past len", &from);
        let mut wakes = Vec::new();
        op.release(&cqe, &mut wakes);
        let mut next = Vec::with_capacity(64);
        let (n, got_from) = stash.take_into(&mut next).unwrap();
        assert_eq!(&next[..n], b"a datagram past len");
        assert_eq!(got_from.to_inet().unwrap(), from.to_inet().unwrap());
    }
}
