//! On io_uring a `Compat` read is served from the loop's receive-buffer
//! pool: the socket's multishot receive stays armed, so a read submits
//! nothing and an idle connection holds no buffer, and the bytes are
//! copied straight into the caller's buffer. These tests check that it
//! happens (the loop's counters), that every byte arrives in order when
//! the caller's buffer is smaller than what arrived (the rest waits in the
//! socket), and that reads fall back to owned buffers when the pool runs
//! dry. On the epoll backend the same reads go through owned buffers: the
//! byte checks hold there too.

mod common;

use common::{message, read_in_steps, tcp_pair, BOUND};
use ringio::compat::Compat;
use ringio::net::{TcpListener, TcpStream, UnixStream};
use ringio::runtime::metrics::{self, RuntimeMetrics};
use ringio::{Backend, Builder, Runtime};
use tokio::io::AsyncWriteExt;

fn recv_submitted(m: &RuntimeMetrics) -> u64 {
    m.by_opcode
        .iter()
        .filter(|o| o.name == "recv")
        .map(|o| o.submitted)
        .sum()
}

#[test]
fn request_response_reads_come_from_the_pool_and_submit_nothing() {
    let rt = Runtime::new().unwrap();
    let uring = rt.backend() == Backend::IoUring;
    rt.block_on(async move {
        let (mut server, mut client) = tcp_pair().await;
        let rounds = 200;
        let before = metrics::current().unwrap();
        for round in 0..rounds {
            let msg = message(100, round);
            client.write_all(&msg).await.unwrap();
            client.flush().await.unwrap();
            assert_eq!(read_in_steps(&mut server, msg.len(), 4096).await, msg);
        }
        let after = metrics::current().unwrap();
        if uring {
            let hits = after.buffer_pool_hits - before.buffer_pool_hits;
            assert!(
                hits >= rounds as u64,
                "{hits} pool reads for {rounds} messages"
            );
            // One receive armed for all of them (re-armed at most a few
            // times), not one per read.
            let recvs = recv_submitted(&after) - recv_submitted(&before);
            assert!(recvs <= 4, "{recvs} receives submitted for {rounds} reads");
        }
    })
    .unwrap();
}

#[test]
fn bytes_beyond_a_small_read_buffer_wait_for_the_next_reads() {
    let rt = Runtime::new().unwrap();
    let uring = rt.backend() == Backend::IoUring;
    rt.block_on(async move {
        let (a, b) = UnixStream::pair().unwrap();
        let mut a = Compat::new(a);
        let mut b = Compat::new(b);
        for (round, (len, step)) in [(50_000, 7), (64 * 1024, 1000), (3, 1), (20_000, 16_384)]
            .into_iter()
            .enumerate()
        {
            let msg = message(len, round);
            b.write_all(&msg).await.unwrap();
            b.flush().await.unwrap();
            assert_eq!(read_in_steps(&mut a, len, step).await, msg, "round {round}");
        }
        if !uring {
            // On epoll a Compat read reads ahead into the Compat's own
            // buffer, so the bare socket does not see those bytes.
            return;
        }
        // Reads through the Compat and the bare socket interleave in order:
        // what a pooled read had no room for waits in the socket.
        let msg = message(10_000, 9);
        b.write_all(&msg).await.unwrap();
        b.flush().await.unwrap();
        let mut got = read_in_steps(&mut a, 100, 100).await;
        let sock = a.get_ref();
        while got.len() < 5_000 {
            let (res, buf) = sock.read(Vec::with_capacity(5_000 - got.len())).await;
            assert_ne!(res.unwrap(), 0);
            got.extend_from_slice(&buf);
        }
        got.extend(read_in_steps(&mut a, msg.len() - got.len(), 333).await);
        assert_eq!(got, msg);
    })
    .unwrap();
}

#[test]
fn reads_fall_back_to_owned_buffers_when_the_pool_runs_dry() {
    // Two pool buffers of 256 bytes (growing to at most 16) for 16
    // connections that all receive 16 KiB at once: most receives find the
    // pool empty.
    let rt = Builder::new().read_buffers(2, 256).build().unwrap();
    let uring = rt.backend() == Backend::IoUring;
    rt.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut pairs = Vec::new();
        for _ in 0..16 {
            let client = TcpStream::connect(&addr).await.unwrap();
            let (server, _) = listener.accept().await.unwrap();
            pairs.push((Compat::new(server), Compat::new(client)));
        }
        let len = 16 * 1024;
        let before = metrics::current().unwrap();
        let mut readers = Vec::new();
        for (i, (mut server, mut client)) in pairs.into_iter().enumerate() {
            readers.push(ringio::spawn(async move {
                read_in_steps(&mut server, len, 4096).await == message(len, i)
            }));
            ringio::spawn(async move {
                client.write_all(&message(len, i)).await.unwrap();
                client.flush().await.unwrap();
                // Keep the connection open until the reader is done.
                ringio::time::sleep(BOUND).await;
            });
        }
        for (i, r) in readers.into_iter().enumerate() {
            assert!(r.await.unwrap(), "connection {i}: bytes differ");
        }
        if uring {
            let after = metrics::current().unwrap();
            let empty = after.buffer_pool_empty - before.buffer_pool_empty;
            assert!(empty > 0, "the pool never ran dry: the test tests nothing");
        }
    })
    .unwrap();
}
