//! The stash of a datagram socket: whole datagrams with their senders,
//! each handed out as one receive.

use std::collections::VecDeque;
use std::task::Waker;

use super::Stash;
use crate::buf::{self, IoBufMut};
use crate::driver::Cqe;
use crate::net::sockaddr::SockAddr;

/// One datagram a dropped receive got.
pub(crate) struct Datagram {
    bytes: Box<[u8]>,
    from: SockAddr,
}

/// The stash of a UDP or Unix datagram socket.
pub(crate) type DatagramStash = Stash<VecDeque<Datagram>>;

impl Stash<VecDeque<Datagram>> {
    /// The completion `cqe` of a dropped receive into `buf` from `from`:
    /// keeps the datagram (also an empty one) and ends the receive's turn
    /// (inside the driver: the wakers go to `wakes`).
    pub(crate) fn keep_completed<B: IoBufMut>(
        &self,
        buf: &mut B,
        cqe: &Cqe,
        from: SockAddr,
        wakes: &mut Vec<Waker>,
    ) {
        if let Ok(n) = usize::try_from(cqe.result) {
            // SAFETY: a receive's result counts the bytes the kernel wrote
            // at the start of its buffer.
            let bytes = unsafe { buf::written(buf, n) }.into();
            self.with(|kept| kept.push_back(Datagram { bytes, from }));
        }
        self.finish_later(wakes);
    }

    /// Moves the oldest kept datagram into the start of `buf` (as many
    /// bytes as fit; the rest is discarded, as `recv(2)` does); returns the
    /// bytes copied and the sender, `None` when none is kept.
    pub(crate) fn take_into<B: IoBufMut>(&self, buf: &mut B) -> Option<(usize, SockAddr)> {
        let d = self.with(VecDeque::pop_front)?;
        Some((buf::fill(buf, &d.bytes), d.from))
    }
}
