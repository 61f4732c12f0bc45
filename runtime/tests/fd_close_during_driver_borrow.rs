//! A socket dropped by user code running inside the driver (here: a waker
//! replaced during a poll, whose destructor drops the socket) is not closed
//! directly: a receive already queued for its fd would otherwise reach
//! whatever the fd number is reused for, and take another socket's bytes.

use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::io::Write;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use ringio_runtime::net::UnixStream;
use ringio_runtime::time::timeout;
use ringio_runtime::{run, yield_now};

thread_local! {
    /// The socket the dropper waker drops.
    static VICTIM: RefCell<Option<UnixStream>> = const { RefCell::new(None) };
}

/// A waker whose destructor drops [`VICTIM`] (user code that runs wherever
/// the runtime drops the waker).
struct Dropper;
impl Wake for Dropper {
    fn wake(self: Arc<Self>) {}
}
impl Drop for Dropper {
    fn drop(&mut self) {
        VICTIM.with(|v| drop(v.borrow_mut().take()));
    }
}

fn noop_waker() -> Waker {
    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }
    Waker::from(Arc::new(Noop))
}

#[test]
fn a_socket_dropped_inside_the_driver_does_not_hand_its_queued_receive_to_a_new_socket() {
    run(async {
        let (b, _b_peer) = UnixStream::pair().unwrap();
        let mut b = Some(b);
        let (d, _d_peer) = UnixStream::pair().unwrap();
        let mut read_d = pin!(d.read(vec![0u8; 64]));
        let (c, _c_peer, c_fd, b_fd) = poll_fn(|_| {
            let b = b.take().expect("polled once");
            let noop = noop_waker();
            let mut noop_cx = Context::from_waker(&noop);
            // 1. A receive for b is queued (not yet submitted), then
            //    dropped: the SQE stays queued, with a cancel behind it.
            {
                let mut read_b = pin!(b.read(vec![0u8; 64]));
                assert!(read_b.as_mut().poll(&mut noop_cx).is_pending());
            }
            let b_fd = std::os::fd::AsRawFd::as_raw_fd(&b);
            VICTIM.with(|v| *v.borrow_mut() = Some(b));
            // 2. The read on d waits with the dropper waker; polling it with
            //    another waker drops the dropper inside the driver's poll,
            //    which drops b there.
            let dropper = Waker::from(Arc::new(Dropper));
            assert!(read_d
                .as_mut()
                .poll(&mut Context::from_waker(&dropper))
                .is_pending());
            drop(dropper);
            assert!(read_d.as_mut().poll(&mut noop_cx).is_pending());
            assert!(VICTIM.with(|v| v.borrow().is_none()), "b was dropped");
            // 3. A new socket, with bytes waiting, before the queue is
            //    submitted.
            let (c, mut c_peer) = std::os::unix::net::UnixStream::pair().unwrap();
            c_peer.write_all(b"hello").unwrap();
            let c_fd = std::os::fd::AsRawFd::as_raw_fd(&c);
            Poll::Ready((UnixStream::from_std(c).unwrap(), c_peer, c_fd, b_fd))
        })
        .await;
        // Let the queued SQEs run.
        yield_now().await;
        yield_now().await;
        let got = timeout(Duration::from_secs(2), c.read(vec![0u8; 64])).await;
        let (res, buf) = got.unwrap_or_else(|_| {
            panic!(
                "the new socket's bytes were taken by the dropped socket's receive \
                 (fd {c_fd} reused b's fd {b_fd})"
            )
        });
        let n = res.unwrap();
        assert_eq!(&buf[..n], b"hello");
    })
    .unwrap();
}
