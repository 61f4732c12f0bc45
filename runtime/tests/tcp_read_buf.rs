//! `read_buf`: receives into the loop's provided-buffer pool (the kernel
//! picks a buffer only when data arrives), falls back to a buffer of its own
//! when the pool is empty or turned off, recycles every buffer, and loses no
//! byte when dropped in flight.

#[path = "support/read_buf_bursts.rs"]
mod support;

use std::cell::Cell;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::rc::Rc;
use std::task::Poll;
use std::time::Duration;

use bytes::BytesMut;
use ringio_runtime::net::UnixStream;
use ringio_runtime::time::{sleep, timeout};
use ringio_runtime::{spawn, Backend, Runtime};

/// A loop on io_uring: the provided-buffer pool these tests measure is
/// io_uring's (on epoll `read_buf` receives on readiness, as with the pool
/// turned off, which the other tests cover on both backends).
fn uring() -> Runtime {
    Runtime::builder()
        .backend(Backend::IoUring)
        .build()
        .unwrap()
}

use support::pair;

/// A deterministic byte pattern, so any loss, duplication or reordering
/// shows up as a mismatch.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[1] ^ seed)
        .collect()
}

/// Sends `data` in uneven chunks from a task and reads it all back with
/// `read_buf`; returns what was read.
async fn transfer(data: Vec<u8>) -> Vec<u8> {
    let (client, server) = pair().await;
    let total = data.len();
    let writer = spawn(async move {
        let mut off = 0;
        let mut step = 1;
        while off < data.len() {
            let end = (off + step).min(data.len());
            let (res, _) = client.write_all(data[off..end].to_vec()).await;
            res.unwrap();
            off = end;
            step = step * 7 % 40_000 + 1;
        }
        drop(client);
    });
    let mut got = BytesMut::new();
    loop {
        let n = timeout(Duration::from_secs(20), server.read_buf(&mut got))
            .await
            .expect("the transfer stalled")
            .unwrap();
        if n == 0 {
            break;
        }
        assert!(
            n < 64 * 1024 + 16 * 1024,
            "one read_buf returns the chunks already received up to 64 KiB \
             (the last one may cross it by less than a pool buffer): got {n}"
        );
    }
    writer.await.unwrap();
    assert_eq!(got.len(), total);
    got.to_vec()
}

#[test]
fn round_trip_through_the_pool() {
    let rt = uring();
    let data = pattern(4 << 20, 1);
    let got = rt.block_on(transfer(data.clone())).unwrap();
    assert!(got == data, "bytes differ after a 4 MiB transfer");
    let stats = rt.driver_stats();
    assert!(
        stats.pool_reads > 0,
        "read_buf did not use the pool: {stats:?}"
    );
}

#[test]
fn round_trip_with_the_pool_turned_off() {
    let rt = Runtime::builder().read_buffers(0, 0).build().unwrap();
    let data = pattern(1 << 20, 2);
    let got = rt.block_on(transfer(data.clone())).unwrap();
    assert!(got == data, "bytes differ after a 1 MiB transfer");
    assert_eq!(rt.driver_stats().pool_reads, 0);
}

#[test]
fn bad_pool_shapes_are_rejected() {
    for (count, size) in [(3u16, 4096u32), (64, 0)] {
        let err = Runtime::builder()
            .read_buffers(count, size)
            .build()
            .unwrap_err();
        assert!(
            err.to_string().contains("read_buffers"),
            "unexpected error: {err}"
        );
    }
}

#[test]
fn every_buffer_is_recycled() {
    // Four buffers and 200 sequential receives (and 50 end-of-streams): a
    // buffer not given back would empty the pool within four receives.
    let rt = Runtime::builder()
        .backend(Backend::IoUring)
        .read_buffers(4, 1024)
        .build()
        .unwrap();
    rt.block_on(async {
        for round in 0..50u8 {
            let (client, server) = pair().await;
            let mut got = BytesMut::new();
            for i in 0..4u8 {
                let (res, _) = client.write_all(vec![round ^ i; 100]).await;
                res.unwrap();
                while got.len() < 100 * (usize::from(i) + 1) {
                    server.read_buf(&mut got).await.unwrap();
                }
            }
            drop(client);
            assert_eq!(server.read_buf(&mut got).await.unwrap(), 0);
            assert_eq!(got.len(), 400);
        }
    })
    .unwrap();
    let stats = rt.driver_stats();
    assert_eq!(stats.pool_empty, 0, "a buffer was not recycled: {stats:?}");
    assert!(stats.pool_reads >= 200, "{stats:?}");
}

#[test]
fn an_empty_pool_falls_back_without_losing_data() {
    // Two buffers, eight connections whose data is already waiting: the
    // receives submitted together find the pool empty after two.
    let rt = Runtime::builder()
        .backend(Backend::IoUring)
        .read_buffers(2, 512)
        .build()
        .unwrap();
    rt.block_on(async {
        let mut conns = Vec::new();
        for i in 0..8u8 {
            let (client, server) = pair().await;
            let (res, _) = client.write_all(pattern(3000, i)).await;
            res.unwrap();
            drop(client);
            conns.push(server);
        }
        sleep(Duration::from_millis(20)).await;
        let readers: Vec<_> = conns
            .into_iter()
            .enumerate()
            .map(|(i, server)| {
                spawn(async move {
                    let mut got = BytesMut::new();
                    while server.read_buf(&mut got).await.unwrap() > 0 {}
                    assert!(got == pattern(3000, i as u8), "connection {i} lost bytes");
                })
            })
            .collect();
        for r in readers {
            timeout(Duration::from_secs(10), r)
                .await
                .expect("a reader stalled")
                .unwrap();
        }
    })
    .unwrap();
    let stats = rt.driver_stats();
    assert!(stats.pool_empty > 0, "the pool never ran dry: {stats:?}");
    assert!(stats.pool_reads > 0, "{stats:?}");
}

#[test]
fn dropped_read_buf_loses_no_byte() {
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        let (client, server) = pair().await;
        let mut got = BytesMut::new();
        // Dropped while idle: nothing is held and nothing is lost.
        let r = timeout(Duration::from_millis(20), server.read_buf(&mut got)).await;
        assert!(r.is_err(), "no data was sent, the read must time out");
        {
            // In the kernel, completed by the data, then dropped unpolled.
            let mut scratch = BytesMut::new();
            let mut read = pin!(server.read_buf(&mut scratch));
            let pending = poll_fn(|cx| Poll::Ready(read.as_mut().poll(cx).is_pending())).await;
            assert!(pending);
            let (res, _) = client.write_all(&b"raced"[..]).await;
            res.unwrap();
            sleep(Duration::from_millis(30)).await;
        }
        let (res, _) = client.write_all(&b"+next"[..]).await;
        res.unwrap();
        while got.len() < 10 {
            server.read_buf(&mut got).await.unwrap();
        }
        assert_eq!(&got[..], b"raced+next");
    })
    .unwrap();
}

#[test]
fn many_timed_out_reads_keep_the_stream_in_order() {
    let rt = Runtime::new().unwrap();
    let data = pattern(256 * 1024, 9);
    let expect = data.clone();
    let got = rt
        .block_on(async move {
            let (client, server) = pair().await;
            let writer = spawn(async move {
                for chunk in data.chunks(1000) {
                    let (res, _) = client.write_all(chunk.to_vec()).await;
                    res.unwrap();
                    sleep(Duration::from_micros(200)).await;
                }
            });
            let mut got = BytesMut::new();
            let mut rounds = 0;
            while got.len() < 256 * 1024 && rounds < 200_000 {
                rounds += 1;
                // Deadlines short enough that many reads are dropped in
                // flight, some of them after their completion arrived.
                let _ = timeout(Duration::from_micros(150), server.read_buf(&mut got)).await;
            }
            writer.await.unwrap();
            got.to_vec()
        })
        .unwrap();
    assert!(got == expect, "bytes lost, duplicated or reordered");
}

#[test]
fn unix_stream_read_buf() {
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        let (a, b) = UnixStream::pair().unwrap();
        let (res, _) = a.write_all(&b"over unix"[..]).await;
        res.unwrap();
        drop(a);
        let (r, _w) = b.into_split();
        let mut got = BytesMut::new();
        while r.read_buf(&mut got).await.unwrap() > 0 {}
        assert_eq!(&got[..], b"over unix");
    })
    .unwrap();
}

#[test]
fn read_and_read_buf_interleaved_keep_the_stream_in_order() {
    // Once read_buf has armed the multishot receive, plain reads into a
    // small buffer of their own must take their bytes from it too (the rest
    // of a chunk waits for the next read), never from around it.
    let rt = Runtime::new().unwrap();
    let data = pattern(300 * 1024, 3);
    let expect = data.clone();
    let got = rt
        .block_on(async move {
            let (client, server) = pair().await;
            let writer = spawn(async move {
                for chunk in data.chunks(4000) {
                    let (res, _) = client.write_all(chunk.to_vec()).await;
                    res.unwrap();
                }
            });
            let mut got = BytesMut::new();
            let mut turn = 0u32;
            loop {
                turn += 1;
                let n = if turn % 3 == 0 {
                    server.read_buf(&mut got).await.unwrap()
                } else {
                    let cap = if turn % 3 == 1 { 7 } else { 3000 };
                    let (res, buf) = server.read(Vec::with_capacity(cap)).await;
                    let n = res.unwrap();
                    assert!(n <= cap, "read returned more than its buffer holds");
                    got.extend_from_slice(&buf[..n]);
                    n
                };
                if n == 0 || got.len() >= 300 * 1024 {
                    break;
                }
            }
            writer.await.unwrap();
            got.to_vec()
        })
        .unwrap();
    assert!(got == expect, "bytes lost, duplicated or reordered");
}

#[test]
fn a_reader_that_stops_reading_is_capped_and_loses_nothing() {
    // The reader arms the multishot receive, then sleeps while the peer
    // trickles data in: after a few completions wait unread the driver
    // stops the receive; the next reads re-arm it and get every byte.
    let rt = Runtime::builder()
        .backend(Backend::IoUring)
        .read_buffers(64, 1024)
        .build()
        .unwrap();
    let data = pattern(64 * 1024, 5);
    let expect = data.clone();
    let got = rt
        .block_on(async move {
            let (client, server) = pair().await;
            let (res, _) = client.write_all(&b"go"[..]).await;
            res.unwrap();
            let mut got = BytesMut::new();
            while got.len() < 2 {
                server.read_buf(&mut got).await.unwrap();
            }
            got.clear();
            let written = Rc::new(Cell::new(0usize));
            let writer = spawn({
                let written = written.clone();
                async move {
                    for chunk in data.chunks(512) {
                        let (res, _) = client.write_all(chunk.to_vec()).await;
                        res.unwrap();
                        written.set(written.get() + chunk.len());
                        sleep(Duration::from_micros(300)).await;
                    }
                }
            });
            // Unread until 16 KiB came in: at least 16 completions of at
            // most 1 KiB each, twice the cap, however slow the machine
            // (valgrind) makes the writer.
            let waited = std::time::Instant::now();
            while written.get() < 16 * 1024 && waited.elapsed() < Duration::from_secs(20) {
                sleep(Duration::from_millis(5)).await;
            }
            sleep(Duration::from_millis(5)).await;
            while got.len() < 64 * 1024 {
                let n = timeout(Duration::from_secs(10), server.read_buf(&mut got))
                    .await
                    .expect("a read stalled")
                    .unwrap();
                assert!(n > 0, "end of stream before all bytes arrived");
            }
            writer.await.unwrap();
            got.to_vec()
        })
        .unwrap();
    assert!(got == expect, "bytes lost, duplicated or reordered");
    let stats = rt.driver_stats();
    assert!(
        stats.multishot_capped > 0,
        "the unread completions never stopped the receive: {stats:?}"
    );
}

#[test]
fn dropping_a_socket_with_unread_chunks_recycles_their_buffers() {
    // Four buffers. Each round leaves three filled buffers queued on an
    // armed receive and drops the socket: a buffer not given back would
    // empty the pool within two rounds.
    let rt = Runtime::builder()
        .backend(Backend::IoUring)
        .read_buffers(4, 1024)
        .build()
        .unwrap();
    rt.block_on(async {
        for round in 0..20u8 {
            let (client, server) = pair().await;
            let (res, _) = client.write_all(&b"x"[..]).await;
            res.unwrap();
            let mut got = BytesMut::new();
            server.read_buf(&mut got).await.unwrap();
            for i in 0..3u8 {
                let (res, _) = client.write_all(vec![round ^ i; 1000]).await;
                res.unwrap();
                sleep(Duration::from_millis(2)).await;
            }
            drop(server);
            drop(client);
        }
    })
    .unwrap();
    // Then one small message at a time: with a buffer lost, the pool would
    // run dry.
    let before = rt.driver_stats();
    rt.block_on(async {
        let (client, server) = pair().await;
        let mut got = BytesMut::new();
        for i in 0..20u8 {
            let (res, _) = client.write_all(vec![i; 100]).await;
            res.unwrap();
            while got.len() < 100 * (usize::from(i) + 1) {
                server.read_buf(&mut got).await.unwrap();
            }
        }
    })
    .unwrap();
    let after = rt.driver_stats();
    assert_eq!(
        after.pool_empty, before.pool_empty,
        "a buffer was not recycled: {after:?}"
    );
    assert!(after.pool_reads >= before.pool_reads + 20, "{after:?}");
}

#[test]
fn end_of_stream_is_reported_to_every_later_read() {
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        let (client, server) = pair().await;
        let (res, _) = client.write_all(&b"last words"[..]).await;
        res.unwrap();
        drop(client);
        let mut got = BytesMut::new();
        while server.read_buf(&mut got).await.unwrap() > 0 {}
        assert_eq!(&got[..], b"last words");
        assert_eq!(server.read_buf(&mut got).await.unwrap(), 0);
        let (res, _) = server.read(Vec::with_capacity(16)).await;
        assert_eq!(res.unwrap(), 0);
        assert_eq!(server.read_buf(&mut got).await.unwrap(), 0);
    })
    .unwrap();
}
