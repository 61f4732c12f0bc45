//! Unit tests of the op lifecycle against a real ring.

use std::future::{poll_fn, Future};
use std::os::fd::AsRawFd;
use std::task::Poll;

use super::op::nop::Nop;
use super::op::poll::PollAdd;
use super::op::read::Read;
use super::op::{MultiOp, Op};
use crate::pipe::pipe;
use crate::Runtime;

#[test]
fn nop_completes_and_entry_is_freed() {
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        let done = Op::submit(Nop).await;
        assert_eq!(done.result.unwrap(), 0);
    })
    .unwrap();
    assert_eq!(rt.ops_in_flight(), 0);
}

#[test]
fn full_sq_is_flushed_and_cq_overflow_is_drained() {
    // 8 SQ entries, 8 CQ entries: 64 ops pushed in one go overflow both.
    let rt = Runtime::builder().entries(8).cq_entries(8).build().unwrap();
    rt.block_on(async {
        let ops: Vec<_> = (0..64).map(|_| Op::submit(Nop)).collect();
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
        let op = Op::submit(Read {
            fd: r.as_raw_fd(),
            buf: vec![0u8; 4096],
            offset: u64::MAX,
        });
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
        let mut op = MultiOp::submit(PollAdd {
            fd: r.as_raw_fd(),
            events: libc::POLLIN as u32,
            multi: true,
        })
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
    let op = Op::submit(Nop);
    let rt = Runtime::new().unwrap();
    let done = rt.block_on(op).unwrap();
    let err = done.result.unwrap_err();
    assert!(err.to_string().contains("no ringio event loop"), "{err}");
}

#[test]
fn setup_flags_are_probed() {
    let rt = Runtime::new().unwrap();
    let f = rt.ring_features();
    // DEFER_TASKRUN implies SINGLE_ISSUER; whatever the kernel gave, the
    // ring works (the other tests run on it).
    if f.defer_taskrun {
        assert!(f.single_issuer);
    }
    let plain = Runtime::builder().defer_taskrun(false).build().unwrap();
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
