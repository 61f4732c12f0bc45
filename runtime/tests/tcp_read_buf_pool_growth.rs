//! The provided-buffer pool grows when receives find it empty: a batch of
//! completions with `ENOBUFS` doubles it, up to 8 times its configured
//! count, and no byte is lost or reordered while connections fall back to
//! their own receives and re-arm.

#[path = "support/read_buf_bursts.rs"]
mod support;

use ringio_runtime::{Backend, Runtime};

#[test]
fn a_pool_found_empty_doubles_up_to_eight_times_its_size() {
    // 2 KiB of buffers for 64 x 1000 B arriving at once, every round: the
    // pool runs dry each round until it stops growing.
    let rt = Runtime::builder()
        // The provided-buffer pool is io_uring's.
        .backend(Backend::IoUring)
        .read_buffers(2, 1024)
        .build()
        .unwrap();
    support::bursts(&rt, 64, 1000, 6);
    let stats = rt.driver_stats();
    assert!(stats.pool_empty > 0, "the pool never ran dry: {stats:?}");
    assert_eq!(
        (stats.pool_buffers, stats.pool_grown),
        (16, 3),
        "2 buffers should have doubled three times, to 8 x 2, and no further: {stats:?}"
    );
}
