//! A read dropped in flight leaves the socket usable, and no byte is lost
//! or duplicated: bytes a cancelled read had already received are returned
//! by the next read.

#[path = "support/dropped_reads.rs"]
mod dropped_reads;

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use ringio_runtime::net::{TcpListener, TcpStream};
use ringio_runtime::time::{sleep, timeout};
use ringio_runtime::{run, spawn};

async fn pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let client = TcpStream::connect(&listener.local_addr().unwrap())
        .await
        .unwrap();
    let (server, _) = listener.accept().await.unwrap();
    (client, server)
}

#[test]
fn timed_out_read_then_socket_still_works() {
    run(async {
        let (client, server) = pair().await;
        let r = timeout(Duration::from_millis(20), server.read(vec![0u8; 64])).await;
        assert!(r.is_err(), "no data was sent, the read must time out");
        let (res, _) = client.write_all(&b"after"[..]).await;
        res.unwrap();
        let (res, buf) = server.read(Vec::with_capacity(64)).await;
        assert_eq!(&buf[..res.unwrap()], b"after");
    })
    .unwrap();
}

#[test]
fn completed_but_dropped_read_keeps_its_bytes() {
    run(async {
        let (client, server) = pair().await;
        {
            // Start a read and poll it once so it is in the kernel.
            let mut read = pin!(server.read(vec![0u8; 64]));
            let first = poll_fn(|cx| Poll::Ready(read.as_mut().poll(cx).is_pending())).await;
            assert!(first);
            // The data arrives and the loop reaps the completion, but the
            // read future is never polled again: it is dropped completed.
            let (res, _) = client.write_all(&b"raced"[..]).await;
            res.unwrap();
            sleep(Duration::from_millis(30)).await;
        }
        let (res, _) = client.write_all(&b"+next"[..]).await;
        res.unwrap();
        let mut got = Vec::new();
        while got.len() < 10 {
            let (res, buf) = server.read(Vec::with_capacity(64)).await;
            got.extend_from_slice(&buf[..res.unwrap()]);
        }
        assert_eq!(got, b"raced+next");
    })
    .unwrap();
}

#[test]
fn many_racing_cancellations_lose_and_duplicate_nothing() {
    run(async {
        let (client, server) = pair().await;
        const TOTAL: usize = 1 << 20;
        let writer = spawn(async move {
            let mut sent = 0;
            while sent < TOTAL {
                let chunk: Vec<u8> = (sent..sent + 997).map(|i| (i % 251) as u8).collect();
                let (res, _) = client.write_all(chunk).await;
                res.unwrap();
                sent += 997;
                if sent % (997 * 8) == 0 {
                    ringio_runtime::yield_now().await;
                }
            }
            sent
        });
        let mut got: Vec<u8> = Vec::with_capacity(TOTAL + 4096);
        let mut dropped = 0;
        loop {
            // Tiny timeouts: many reads are cancelled while data flows, and
            // some of those race their completion.
            let wait = Duration::from_micros(20 + (got.len() % 7) as u64 * 40);
            match timeout(wait, server.read(Vec::with_capacity(1500))).await {
                Err(_) => dropped += 1,
                Ok((res, buf)) => {
                    let n = res.unwrap();
                    if n == 0 {
                        break;
                    }
                    got.extend_from_slice(&buf[..n]);
                    if got.len() >= TOTAL && writer.is_finished() {
                        break;
                    }
                }
            }
        }
        let sent = writer.await.unwrap();
        assert_eq!(got.len(), sent, "{dropped} reads dropped");
        assert!(got.iter().enumerate().all(|(i, &b)| b == (i % 251) as u8));
    })
    .unwrap();
}

#[test]
fn cancellations_racing_a_writer_thread_lose_nothing() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let theirs = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (ours, _) = listener.accept().unwrap();
    run(async move {
        let reader = TcpStream::from_std(ours).unwrap();
        dropped_reads::every_byte_arrives_once_in_order(reader, theirs).await;
    })
    .unwrap();
}
