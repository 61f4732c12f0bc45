//! Shutdown's give-up path: when the kernel does not answer the cancels
//! within the grace period, nothing it may still write is ever freed, not
//! even the data of an operation future dropped after the loop is gone.

use std::future::{poll_fn, Future};
use std::os::fd::AsRawFd;
use std::pin::Pin;
use std::task::Poll;
use std::time::{Duration, Instant};

use super::op::read::Read;
use super::op::Op;
use crate::pipe::pipe;
use crate::{Backend, Runtime};

const LEN: usize = 64 * 1024;

#[test]
// The op future is returned out of block_on on purpose.
#[allow(clippy::async_yields_async)]
fn an_op_dropped_after_shutdown_gave_up_is_never_freed_under_the_kernel() {
    // Without DEFER_TASKRUN the kernel completes the read from task work
    // on this thread, with no io_uring_enter, as it would for a read an
    // io-wq worker finishes late (a hung FUSE file, say).
    let rt = Runtime::builder()
        .backend(Backend::IoUring)
        .defer_taskrun(false)
        .shutdown_grace(Duration::from_millis(100))
        .build()
        .unwrap();
    // The kernel ignores the cancels (as it does for an operation blocked
    // where it cannot be interrupted).
    rt.handle.driver.borrow_mut().uring().ignore_cancels = true;
    let (r, w) = pipe().unwrap();
    let op = rt
        .block_on(async {
            let mut op = Op::submit(
                crate::context::driver(),
                Read {
                    fd: r.as_raw_fd(),
                    buf: vec![0u8; LEN],
                    offset: u64::MAX,
                    stash: None,
                },
            );
            poll_fn(|cx| {
                assert!(Pin::new(&mut op).poll(cx).is_pending());
                Poll::Ready(())
            })
            .await;
            crate::task::yield_now().await;
            op
        })
        .unwrap();
    let start = Instant::now();
    drop(rt);
    let waited = start.elapsed();
    assert!(waited >= Duration::from_millis(100), "{waited:?}");
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    // The op future outlived its loop; dropping it must leak its buffer.
    drop(op);
    // Heap blocks of the same size, likely to reuse a freed buffer.
    let canaries: Vec<Vec<u8>> = (0..64).map(|_| vec![0u8; LEN]).collect();
    let bytes = [0xABu8; 4096];
    // SAFETY: writes from a live array to a pipe we own.
    let n = unsafe { libc::write(w.as_raw_fd(), bytes.as_ptr().cast(), bytes.len()) };
    assert_eq!(n, 4096);
    // Let the kernel run the read (task work runs on return from syscalls).
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(5));
    }
    let hit = canaries.iter().position(|c| c.contains(&0xAB));
    assert_eq!(
        hit, None,
        "the kernel wrote into freed memory, now canary {hit:?}"
    );
}
