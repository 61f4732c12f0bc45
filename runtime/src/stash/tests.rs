//! The stash with fake completions: no ring is involved (so Miri runs
//! these), the "kernel" writes through the pointer the operation's buffer
//! gives, as the real one does with the pointer in the SQE.

use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use super::{DatagramStash, StreamStash};
use crate::buf::{IoBuf, IoBufMut};
use crate::driver::op::read::Read;
use crate::driver::op::recv::Recv;
use crate::driver::op::{KeepDatagram, OpCode};
use crate::driver::Cqe;
use crate::sockaddr::SockAddr;

/// A waker that counts its wakes.
#[derive(Default)]
struct Count(AtomicUsize);

impl Wake for Count {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl Count {
    fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Polls `fut` once with `waker`.
fn poll_once<F: Future>(fut: std::pin::Pin<&mut F>, waker: &Waker) -> Poll<F::Output> {
    fut.poll(&mut Context::from_waker(waker))
}

/// The kernel's side of a read that completed: `src` written through the
/// pointer the buffer hands out for the SQE; returns the CQE.
fn fake_completion<B: IoBufMut>(buf: &mut B, src: &[u8]) -> Cqe {
    let n = src.len().min(buf.bytes_total());
    let ptr = buf.stable_mut_ptr();
    // SAFETY: n <= bytes_total(), the writable size IoBufMut promises.
    unsafe { std::ptr::copy_nonoverlapping(src.as_ptr(), ptr, n) };
    Cqe {
        result: n as i32,
        flags: 0,
        buf_off: 0,
    }
}

/// A read holds the turn, a second read waits for it; the first read's
/// future is dropped and its completion released (as the driver does):
/// its bytes are kept, the turn ends, and the waiting read's waker is
/// handed to the driver's list instead of being woken inside it.
fn dropped_read_keeps_its_bytes<O: OpCode>(
    stash: &Rc<StreamStash>,
    mut op: O,
    buf_of: impl Fn(&mut O) -> Cqe,
) {
    let noop = Waker::noop();
    assert!(poll_once(pin!(stash.begin()), noop).is_ready());
    let count = Arc::new(Count::default());
    let waiter = Waker::from(count.clone());
    let mut next = pin!(stash.begin());
    assert!(poll_once(next.as_mut(), &waiter).is_pending());

    let cqe = buf_of(&mut op);
    let mut wakes = Vec::new();
    op.release(&cqe, &mut wakes);
    assert_eq!(count.get(), 0, "release woke a waker inside the driver");
    assert_eq!(wakes.len(), 1, "the waiting read's waker goes to the list");
    wakes.drain(..).for_each(Waker::wake);
    assert_eq!(count.get(), 1);
    assert!(
        poll_once(next.as_mut(), &waiter).is_ready(),
        "the turn ended"
    );

    // The next read gets the bytes, a small buffer first, in order.
    let mut small = Vec::with_capacity(4);
    assert_eq!(stash.take_into(&mut small), Some(4));
    let mut rest = bytes::BytesMut::with_capacity(64);
    rest.extend_from_slice(b">");
    assert_eq!(stash.take_into(&mut rest), Some(6));
    assert_eq!(&small[..], b"comp");
    assert_eq!(
        &rest[..],
        b"letion",
        "stash bytes go to the start of the buffer"
    );
    assert_eq!(stash.take_into(&mut Vec::with_capacity(8)), None);
    stash.finish();
}

#[test]
fn dropped_recv_into_bytes_mut_keeps_its_bytes() {
    let stash = Rc::new(StreamStash::default());
    let mut head = bytes::BytesMut::with_capacity(32);
    head.extend_from_slice(b"old");
    let op = Recv {
        fd: -1,
        buf: head,
        stash: Some(stash.clone()),
    };
    dropped_read_keeps_its_bytes(&stash, op, |op| fake_completion(&mut op.buf, b"completion"));
}

#[test]
fn dropped_pipe_read_into_a_slice_keeps_its_bytes() {
    let stash = Rc::new(StreamStash::default());
    let op = Read {
        fd: -1,
        buf: vec![0u8; 40].slice(8..30),
        offset: u64::MAX,
        stash: Some(stash.clone()),
    };
    dropped_read_keeps_its_bytes(&stash, op, |op| fake_completion(&mut op.buf, b"completion"));
}

#[test]
fn dropped_read_into_a_boxed_slice_keeps_its_bytes() {
    let stash = Rc::new(StreamStash::default());
    let op = Read {
        fd: -1,
        buf: vec![0u8; 16].into_boxed_slice(),
        offset: u64::MAX,
        stash: Some(stash.clone()),
    };
    dropped_read_keeps_its_bytes(&stash, op, |op| fake_completion(&mut op.buf, b"completion"));
}

#[test]
fn a_failed_or_cancelled_read_ends_its_turn_and_keeps_nothing() {
    let stash = Rc::new(StreamStash::default());
    assert!(poll_once(pin!(stash.begin()), Waker::noop()).is_ready());
    let mut op = Recv {
        fd: -1,
        buf: Vec::with_capacity(8),
        stash: Some(stash.clone()),
    };
    let mut wakes = Vec::new();
    op.release(
        &Cqe {
            result: -libc::ECANCELED,
            flags: 0,
            buf_off: 0,
        },
        &mut wakes,
    );
    assert!(poll_once(pin!(stash.begin()), Waker::noop()).is_ready());
    assert_eq!(stash.take_into(&mut Vec::with_capacity(8)), None);
}

#[test]
fn kept_bytes_extend_a_bytes_mut() {
    let stash = StreamStash::default();
    stash.push(b"abc");
    stash.push(b"def");
    let mut dst = bytes::BytesMut::from(&b"0"[..]);
    assert_eq!(stash.take_into_bytes(&mut dst), Some(6));
    assert_eq!(&dst[..], b"0abcdef");
    assert_eq!(stash.take_into_bytes(&mut dst), None);
}

#[test]
fn kept_datagrams_come_back_whole_in_order_with_their_senders() {
    let stash = DatagramStash::default();
    let a = SockAddr::from_inet(&"127.0.0.1:4000".parse().unwrap());
    let b = SockAddr::from_inet(&"[::1]:5000".parse().unwrap());
    for (payload, from) in [(&b"first"[..], &a), (b"", &b), (b"third one", &a)] {
        assert!(poll_once(pin!(stash.begin()), Waker::noop()).is_ready());
        let mut buf = bytes::BytesMut::with_capacity(16);
        let cqe = fake_completion(&mut buf, payload);
        let mut wakes = Vec::new();
        // SAFETY: the fake kernel wrote `cqe.result` bytes from the start.
        let got = unsafe { crate::buf::written(&mut buf, cqe.result as usize) };
        stash.keep(Some((got, from.clone())), &mut wakes);
    }
    let mut buf = Vec::with_capacity(16);
    let (n, from) = stash.take_into(&mut buf).unwrap();
    assert_eq!(
        (&buf[..n], from.to_inet().unwrap()),
        (&b"first"[..], a.to_inet().unwrap())
    );
    let (n, from) = stash.take_into(&mut Vec::with_capacity(16)).unwrap();
    assert_eq!(
        (n, from.to_inet().unwrap()),
        (0, b.to_inet().unwrap()),
        "an empty datagram is one"
    );
    // A buffer too small gets the first bytes; the rest of that datagram
    // is discarded, as recv(2) does.
    let mut small = bytes::BytesMut::with_capacity(5);
    let cap = small.capacity();
    let (n, _) = stash.take_into(&mut small).unwrap();
    assert_eq!(&small[..n], &b"third one"[..cap.min(9)]);
    assert!(stash.take_into(&mut Vec::with_capacity(16)).is_none());
}
