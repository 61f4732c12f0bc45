//! The stash of a datagram socket: whole datagrams with their senders,
//! each handed out as one receive.

use std::collections::VecDeque;
use std::task::Waker;

use super::Stash;
use crate::buf::{self, IoBufMut};
use crate::driver::op::KeepDatagram;
use crate::sockaddr::SockAddr;

/// One datagram a dropped receive got.
pub(crate) struct Datagram {
    bytes: Box<[u8]>,
    from: SockAddr,
}

/// The stash of a UDP or Unix datagram socket.
pub(crate) type DatagramStash = Stash<VecDeque<Datagram>>;

impl Stash<VecDeque<Datagram>> {
    /// Moves the oldest kept datagram into the start of `buf` (as many
    /// bytes as fit; the rest is discarded, as `recv(2)` does); returns the
    /// bytes copied and the sender, `None` when none is kept.
    pub(crate) fn take_into<B: IoBufMut>(&self, buf: &mut B) -> Option<(usize, SockAddr)> {
        let d = self.with(VecDeque::pop_front)?;
        Some((buf::fill(buf, &d.bytes), d.from))
    }
}

/// A dropped receive's completion: keeps the datagram it got (also an empty
/// one) with its sender and ends the receive's turn (inside the driver: the
/// wakers go to `wakes`).
impl KeepDatagram for Stash<VecDeque<Datagram>> {
    fn keep(&self, got: Option<(&[u8], SockAddr)>, wakes: &mut Vec<Waker>) {
        if let Some((bytes, from)) = got {
            let bytes = bytes.into();
            self.with(|kept| kept.push_back(Datagram { bytes, from }));
        }
        self.finish_later(wakes);
    }
}
