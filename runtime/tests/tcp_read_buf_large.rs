//! Large reads with `read_buf`: a 64 KiB message that has arrived (several
//! pool chunks) comes back from one call, and once reads are that large the
//! socket receives straight into the caller's buffer instead of copying out
//! of the pool, until messages are small again.

#[path = "support/read_buf_bursts.rs"]
mod support;

use std::time::Duration;

use bytes::BytesMut;
use ringio_runtime::net::TcpStream;
use ringio_runtime::time::{sleep, timeout};
use ringio_runtime::{spawn, Backend, Runtime};

const LARGE: usize = 64 * 1024;

fn message(len: usize, seed: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[2] ^ seed as u8)
        .collect()
}

/// Reads with `read_buf` until `len` bytes are in `dst`.
async fn read_exact(s: &TcpStream, dst: &mut BytesMut, len: usize) {
    while dst.len() < len {
        let n = timeout(Duration::from_secs(20), s.read_buf(dst))
            .await
            .expect("read_buf stalled")
            .unwrap();
        assert!(n > 0, "end of stream too early");
    }
}

#[test]
fn a_large_message_that_arrived_comes_back_from_one_read() {
    let rt = Runtime::builder()
        // The provided-buffer pool and direct receives are io_uring's.
        .backend(Backend::IoUring)
        .build()
        .unwrap();
    rt.block_on(async {
        let (client, server) = support::pair().await;
        let msg = message(LARGE, 1);
        let (res, _) = client.write_all(msg.clone()).await;
        res.unwrap();
        // All of it is in the server's receive queue.
        sleep(Duration::from_millis(50)).await;
        let mut got = BytesMut::new();
        let n = server.read_buf(&mut got).await.unwrap();
        assert_eq!(
            n, LARGE,
            "one read_buf returned {n} of the 64 KiB that had arrived"
        );
        assert!(got[..] == msg[..]);
    })
    .unwrap();
}

#[test]
fn large_messages_skip_the_pool_until_messages_are_small_again() {
    // 32 x 64 KiB through the pool would be 128 or more chunks of 16 KiB
    // (both ends read with read_buf).
    skip_the_pool_then_come_back(LARGE);
}

#[test]
fn four_kib_messages_skip_the_pool_too() {
    // Through the pool: one chunk per message and end, 64 or more.
    skip_the_pool_then_come_back(4096);
}

/// Echoes 32 messages of `size` bytes, then 32 of 100 B, through a server
/// that reads with `read_buf` (the client reads with it too): direct
/// receives leave the first message or two of each end in the pool, and
/// the small messages go through it again.
fn skip_the_pool_then_come_back(size: usize) {
    let rt = Runtime::builder()
        // The provided-buffer pool and direct receives are io_uring's.
        .backend(Backend::IoUring)
        .build()
        .unwrap();
    let (client, echo) = rt
        .block_on(async {
            let (client, server) = support::pair().await;
            let echo = spawn(async move {
                let mut buf = BytesMut::new();
                loop {
                    match server.read_buf(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    let (res, _) = server.write_all(buf.split().freeze()).await;
                    res.unwrap();
                }
            });
            let mut back = BytesMut::new();
            for i in 0..32 {
                let msg = message(size, i);
                let (res, _) = client.write_all(msg.clone()).await;
                res.unwrap();
                read_exact(&client, &mut back, size).await;
                assert!(back[..] == msg[..], "message {i} came back different");
                back.clear();
            }
            (client, echo)
        })
        .unwrap();
    let after_large = rt.driver_stats();
    rt.block_on(async {
        let mut back = BytesMut::new();
        for i in 0..32 {
            let msg = message(100, i);
            let (res, _) = client.write_all(msg.clone()).await;
            res.unwrap();
            read_exact(&client, &mut back, 100).await;
            assert!(back[..] == msg[..], "small message {i} came back different");
            back.clear();
        }
        drop(client);
        echo.await.unwrap();
    })
    .unwrap();
    let after_small = rt.driver_stats();
    assert!(
        after_large.pool_reads < 40,
        "{size}-byte messages kept going through the pool: {after_large:?}"
    );
    // Four small reads in a row switch back; the rest use the pool.
    assert!(
        after_small.pool_reads >= after_large.pool_reads + 28,
        "small messages did not go back to the pool: before {after_large:?}, after {after_small:?}"
    );
}

#[test]
fn direct_reads_dropped_in_flight_lose_no_byte() {
    let rt = Runtime::builder()
        // The provided-buffer pool and direct receives are io_uring's.
        .backend(Backend::IoUring)
        .build()
        .unwrap();
    let total = 2 << 20;
    let data = message(total, 7);
    let want = data.clone();
    rt.block_on(async move {
        let (client, server) = support::pair().await;
        // A large message first: the socket switches to direct receives.
        let (res, _) = client.write_all(message(LARGE, 9)).await;
        res.unwrap();
        let mut first = BytesMut::new();
        read_exact(&server, &mut first, LARGE).await;
        let writer = spawn(async move {
            let mut off = 0;
            let mut step = 4096;
            while off < data.len() {
                let end = (off + step).min(data.len());
                let (res, _) = client.write_all(data[off..end].to_vec()).await;
                res.unwrap();
                off = end;
                step = step * 7 % 40_000 + 4096;
                sleep(Duration::from_micros(200)).await;
            }
        });
        let mut got = BytesMut::new();
        let mut dropped = 0;
        let mut attempt = 0u64;
        while got.len() < total {
            attempt += 1;
            // Short deadlines drop many reads while their receive is in
            // the kernel (or completed but not yet taken).
            let wait = Duration::from_micros(50 + attempt % 7 * 100);
            match timeout(wait, server.read_buf(&mut got)).await {
                Ok(n) => assert!(n.unwrap() > 0, "end of stream too early"),
                Err(_) => dropped += 1,
            }
            assert!(attempt < 1_000_000, "no progress");
        }
        writer.await.unwrap();
        assert_eq!(got.len(), total, "more bytes than were sent");
        assert!(got[..] == want[..], "bytes lost, duplicated or reordered");
        assert!(dropped > 0, "no read was dropped: the test tested nothing");
    })
    .unwrap();
    let stats = rt.driver_stats();
    assert!(
        stats.pool_reads < 100,
        "the reads went through the pool, not direct: {stats:?}"
    );
}
