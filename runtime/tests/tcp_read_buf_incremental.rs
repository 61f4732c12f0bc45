//! Incremental buffer consumption (`IOU_PBUF_RING_INC`, Linux 6.12): small
//! messages of many sockets share the pool's buffers instead of taking one
//! each, so a pool of four 4 KiB buffers serves 64 connections receiving
//! at once without running dry, and every socket still gets exactly its
//! own bytes although its chunks sit at offsets inside buffers that other
//! sockets' chunks share (and straddle buffer ends).

#[path = "support/read_buf_bursts.rs"]
mod support;

use ringio_runtime::{Backend, Runtime};

const CONNS: usize = 64;
/// Not a divisor of the buffer size: messages straddle buffer ends.
const MSG: usize = 100;
const ROUNDS: usize = 5;

/// Whether the running kernel is at least `major.minor`.
fn kernel_at_least(major: u32, minor: u32) -> bool {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let mut it = release
        .trim()
        .split(|c: char| !c.is_ascii_digit())
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (a, b) = (it.next().unwrap_or(0), it.next().unwrap_or(0));
    (a, b) >= (major, minor)
}

#[test]
fn small_messages_of_many_sockets_share_the_pool_buffers() {
    if !kernel_at_least(6, 12) {
        eprintln!("skipped: incremental buffer consumption needs Linux 6.12");
        return;
    }
    let rt = Runtime::builder()
        // The provided-buffer pool is io_uring's.
        .backend(Backend::IoUring)
        .read_buffers(4, 4096)
        .build()
        .unwrap();
    support::bursts(&rt, CONNS, MSG, ROUNDS);
    let stats = rt.driver_stats();
    assert!(stats.pool_incremental, "{stats:?}");
    assert_eq!(
        stats.pool_empty, 0,
        "64 x 100 B found a pool of 4 x 4 KiB empty: buffers were not shared: {stats:?}"
    );
    assert_eq!(stats.pool_buffers, 4, "the pool grew: {stats:?}");
    assert!(stats.pool_reads >= (CONNS * ROUNDS) as u64, "{stats:?}");
}
