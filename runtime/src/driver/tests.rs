//! Unit tests of the op lifecycle against a real ring.

use std::future::{poll_fn, Future};
use std::os::fd::AsRawFd;
use std::task::Poll;

use super::op::nop::Nop;
use super::op::poll::PollAdd;
use super::op::read::Read;
use super::op::{MultiOp, Op};
use crate::pipe::pipe;
use crate::{Backend, Runtime};

#[test]
fn nop_completes_and_entry_is_freed() {
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        let done = Op::submit(crate::context::driver(), Nop).await;
        assert_eq!(done.result.unwrap(), 0);
    })
    .unwrap();
    assert_eq!(rt.ops_in_flight(), 0);
}

#[test]
fn full_sq_is_flushed_and_cq_overflow_is_drained() {
    // 8 SQ entries, 8 CQ entries: 64 ops pushed in one go overflow both.
    let rt = Runtime::builder()
        .backend(Backend::IoUring)
        .entries(8)
        .cq_entries(8)
        .build()
        .unwrap();
    rt.block_on(async {
        let ops: Vec<_> = (0..64)
            .map(|_| Op::submit(crate::context::driver(), Nop))
            .collect();
        let mut ok = 0;
        for op in ops {
            ok += usize::from(op.await.result.is_ok());
        }
        assert_eq!(ok, 64);
    })
    .unwrap();
    let stats = rt.driver_stats();
    assert!(stats.sq_full_flushes >= 7, "{stats:?}");
    assert!(stats.cq_overflows >= 1, "{stats:?}");
    assert_eq!(stats.submitted, 64);
    assert_eq!(rt.ops_in_flight(), 0);
}

#[test]
fn dropped_read_is_cancelled_and_drained() {
    let rt = Runtime::new().unwrap();
    let (r, _w) = pipe().unwrap();
    rt.block_on(async {
        let op = Op::submit(
            crate::context::driver(),
            Read {
                fd: r.as_raw_fd(),
                buf: vec![0u8; 4096],
                offset: u64::MAX,
                stash: None,
            },
        );
        // Let it reach the kernel, then drop it while it waits for data.
        let mut op = Some(op);
        poll_fn(|cx| {
            if let Some(o) = op.as_mut() {
                assert!(std::pin::Pin::new(o).poll(cx).is_pending());
            }
            Poll::Ready(())
        })
        .await;
        crate::task::yield_now().await;
        assert_eq!(
            crate::context::current()
                .unwrap()
                .driver
                .borrow()
                .in_flight(),
            1
        );
        drop(op);
        settle().await;
    })
    .unwrap();
}

#[test]
fn multishot_poll_keeps_its_entry_across_completions() {
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        let (r, w) = pipe().unwrap();
        let mut op = MultiOp::submit(
            crate::context::driver(),
            PollAdd {
                fd: r.as_raw_fd(),
                events: libc::POLLIN as u32,
                multi: true,
            },
            0,
        )
        .unwrap();
        let mut seen = 0;
        for round in 0..3u8 {
            let (res, _) = w.write(vec![round]).await;
            assert_eq!(res.unwrap(), 1);
            let cqe = poll_fn(|cx| op.poll_next(cx)).await.unwrap();
            assert!(cqe.result > 0, "poll mask {}", cqe.result);
            assert!(
                io_uring::cqueue::more(cqe.flags),
                "multishot must keep going"
            );
            let (res, _) = r.read(vec![0u8; 8]).await;
            assert_eq!(res.unwrap(), 1);
            seen += 1;
        }
        assert_eq!(seen, 3);
        drop(op);
        settle().await;
    })
    .unwrap();
    assert_eq!(rt.ops_in_flight(), 0);
}

#[test]
fn ops_outside_a_loop_fail_with_a_clear_error() {
    let op = Op::submit(crate::context::driver(), Nop);
    let rt = Runtime::new().unwrap();
    let done = rt.block_on(op).unwrap();
    let err = done.result.unwrap_err();
    assert!(err.to_string().contains("no ringio event loop"), "{err}");
}

#[test]
fn setup_flags_are_probed() {
    let rt = Runtime::builder()
        .backend(Backend::IoUring)
        .build()
        .unwrap();
    let f = rt.ring_features();
    // DEFER_TASKRUN implies SINGLE_ISSUER; whatever the kernel gave, the
    // ring works (the other tests run on it).
    if f.defer_taskrun {
        assert!(f.single_issuer);
    }
    let plain = Runtime::builder()
        .backend(Backend::IoUring)
        .defer_taskrun(false)
        .build()
        .unwrap();
    assert!(!plain.ring_features().defer_taskrun);
}

/// Lets the loop turn until no operation is in flight (at most 1 s).
async fn settle() {
    for _ in 0..1000 {
        if crate::context::current()
            .unwrap()
            .driver
            .borrow()
            .in_flight()
            == 0
        {
            return;
        }
        crate::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    panic!("operations still in flight after 1 s");
}

/// A waker that records whether it ran while the driver was borrowed.
#[derive(Default)]
struct DriverFreeWaker {
    wakes: std::sync::atomic::AtomicUsize,
    inside_driver: std::sync::atomic::AtomicBool,
}

impl std::task::Wake for DriverFreeWaker {
    fn wake(self: std::sync::Arc<Self>) {
        use std::sync::atomic::Ordering::SeqCst;
        self.wakes.fetch_add(1, SeqCst);
        // A waker may run anything, such as a call that submits an
        // operation: that borrows the driver.
        let borrowed =
            crate::context::current().is_some_and(|h| h.driver.try_borrow_mut().is_err());
        if borrowed {
            self.inside_driver.store(true, SeqCst);
        }
    }
}

/// A dropped read on a stream socket (`complete_first`: after its
/// completion was reaped, else while in the kernel) hands its turn to the
/// next read: that read's waker must run after the driver's borrow, not
/// inside it (from `OpCode::release`).
fn next_read_is_woken_outside_the_driver(complete_first: bool) {
    use std::sync::atomic::Ordering::SeqCst;
    use std::sync::Arc;
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        let (a, b) = crate::net::UnixStream::pair().unwrap();
        let mut first = Box::pin(a.read(vec![0u8; 64]));
        let pending = poll_fn(|cx| Poll::Ready(first.as_mut().poll(cx).is_pending())).await;
        assert!(pending);
        let probe = Arc::new(DriverFreeWaker::default());
        let waker = std::task::Waker::from(probe.clone());
        let mut second = Box::pin(a.read(vec![0u8; 64]));
        let mut cx = std::task::Context::from_waker(&waker);
        assert!(
            second.as_mut().poll(&mut cx).is_pending(),
            "waits for the first read's turn"
        );
        let settle = || crate::time::sleep(std::time::Duration::from_millis(30));
        if complete_first {
            // The completion is reaped into the entry; the future stays,
            // and its drop releases the completion.
            let (res, _) = b.write_all(&b"bytes"[..]).await;
            res.unwrap();
            settle().await;
            drop(first);
        } else {
            // Dropped in the kernel: the reap releases the completion (of
            // the cancel or of the bytes).
            drop(first);
            let (res, _) = b.write_all(&b"bytes"[..]).await;
            res.unwrap();
            settle().await;
        }
        assert!(
            probe.wakes.load(SeqCst) >= 1,
            "the second read was not woken"
        );
        assert!(
            !probe.inside_driver.load(SeqCst),
            "a waker ran while the driver was borrowed"
        );
        let (res, buf) = second.await;
        assert_eq!(&buf[..res.unwrap()], b"bytes");
    })
    .unwrap();
}

#[test]
fn release_in_reap_wakes_after_the_borrow() {
    next_read_is_woken_outside_the_driver(false);
}

#[test]
fn release_in_drop_op_wakes_after_the_borrow() {
    next_read_is_woken_outside_the_driver(true);
}

#[test]
fn park_does_not_sleep_while_wakers_wait() {
    use std::sync::atomic::Ordering::SeqCst;
    use std::time::{Duration, Instant};
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        // A timer bounds the park, so the test cannot hang.
        let mut timer = Box::pin(crate::time::sleep(Duration::from_secs(2)));
        let pending = poll_fn(|cx| Poll::Ready(timer.as_mut().poll(cx).is_pending())).await;
        assert!(pending);
        let h = crate::context::current().unwrap();
        // As if a flush had reaped a completion while a task ran.
        let probe = std::sync::Arc::new(DriverFreeWaker::default());
        h.driver.borrow_mut().wakes_mut().push(probe.clone().into());
        let started = Instant::now();
        h.turn(true).unwrap();
        assert_eq!(probe.wakes.load(SeqCst), 1);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the loop slept {:?} with a waker to wake",
            started.elapsed()
        );
    })
    .unwrap();
}
