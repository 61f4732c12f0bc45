//! Shared by the `tcp_read_buf_*` pool tests: many connections whose
//! messages arrive in bursts (every connection's message written before
//! the loop runs again, so one pass of the kernel puts them all into the
//! provided-buffer pool), read back with `read_buf` and checked byte for
//! byte; and a connected pair.
#![allow(dead_code)] // each test uses its part

use std::io::Write;
use std::time::Duration;

use bytes::BytesMut;
use ringio_runtime::net::{TcpListener, TcpStream};
use ringio_runtime::time::{sleep, timeout};
use ringio_runtime::{spawn, Runtime};

/// Message `round` of connection `conn`, `len` bytes that identify both.
pub fn message(conn: usize, round: usize, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (conn as u8).wrapping_mul(31) ^ (round as u8).wrapping_mul(101) ^ (i as u8))
        .collect()
}

/// Opens `conns` connections to a listener of `rt`, each read by a task
/// with `read_buf`; sends `rounds` bursts of one `len`-byte message per
/// connection (a pause between bursts lets the readers run); checks that
/// every connection got exactly its messages, in order.
pub fn bursts(rt: &Runtime, conns: usize, len: usize, rounds: usize) {
    rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut clients = Vec::new();
        let mut readers = Vec::new();
        for conn in 0..conns {
            // The handshake completes in the kernel's backlog.
            clients.push(std::net::TcpStream::connect(addr).unwrap());
            let (server, _) = listener.accept().await.unwrap();
            readers.push(spawn(async move {
                let mut got = BytesMut::new();
                while got.len() < len * rounds {
                    let n = server.read_buf(&mut got).await.unwrap();
                    assert!(n > 0, "connection {conn}: end of stream too early");
                }
                got
            }));
        }
        // Every reader arms its multishot receive.
        sleep(Duration::from_millis(20)).await;
        for round in 0..rounds {
            for (conn, c) in clients.iter_mut().enumerate() {
                c.write_all(&message(conn, round, len)).unwrap();
            }
            sleep(Duration::from_millis(30)).await;
        }
        for (conn, r) in readers.into_iter().enumerate() {
            let got = timeout(Duration::from_secs(20), r)
                .await
                .expect("a reader stalled")
                .unwrap();
            let want: Vec<u8> = (0..rounds)
                .flat_map(|round| message(conn, round, len))
                .collect();
            assert!(got[..] == want[..], "connection {conn} got other bytes");
        }
    })
    .unwrap();
}

/// A connected pair on 127.0.0.1: (client, server).
pub async fn pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let client = TcpStream::connect(&listener.local_addr().unwrap())
        .await
        .unwrap();
    let (server, _) = listener.accept().await.unwrap();
    (client, server)
}
