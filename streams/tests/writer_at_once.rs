//! On the epoll backend a `write` with nothing queued is sent at once (one
//! non-blocking system call, as asyncio's selector transports do), and
//! what the socket does not take is queued behind it in order; on
//! io_uring the same writes go through the sending task. Both keep order.

mod common;

use std::io::Read;
use std::time::Duration;

use ringio_runtime::net::TcpStream;
use ringio_runtime::{Backend, Runtime};
use ringio_streams::{from_tcp, StreamOptions};

fn run_on<F: std::future::Future>(backend: Backend, fut: F) -> F::Output {
    let rt = Runtime::builder()
        .backend(backend)
        .build()
        .expect("a loop on the backend");
    rt.block_on(async {
        ringio_runtime::time::timeout(Duration::from_secs(10), fut)
            .await
            .expect("the test took over 10 s: something hangs")
    })
    .expect("the loop ran")
}

#[test]
fn epoll_write_is_on_the_wire_before_the_next_await() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    run_on(Backend::Epoll, async move {
        let stream = TcpStream::connect(&addr).await.unwrap();
        let (mut peer, _) = listener.accept().unwrap();
        peer.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let (_reader, writer) = from_tcp(stream, StreamOptions::new()).unwrap();
        // Let the writer's sending task start and park.
        ringio_runtime::yield_now().await;
        writer.write(&b"first\n"[..]).unwrap();
        assert_eq!(writer.buffer_size(), 0, "sent at once, nothing queued");
        // No await since the write: the loop has not turned, yet the peer
        // (a blocking std socket) reads the bytes.
        let mut got = [0u8; 6];
        peer.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"first\n");
        writer.drain().await.unwrap();
    });
}

/// 8 MiB in one write (more than loopback's socket buffers take at
/// once), then small writes: the peer gets every byte in order.
fn order_kept(backend: Backend) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let reader = std::thread::spawn(move || {
        let (mut peer, _) = listener.accept().unwrap();
        peer.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut all = Vec::new();
        peer.read_to_end(&mut all).unwrap();
        all
    });
    let big: Vec<u8> = (0..8 << 20).map(|i: u32| (i % 251) as u8).collect();
    let expected = {
        let mut e = big.clone();
        for i in 0..100u32 {
            e.extend_from_slice(format!("line {i}\n").as_bytes());
        }
        e
    };
    run_on(backend, async move {
        let stream = TcpStream::connect(&addr).await.unwrap();
        let (_reader, writer) = from_tcp(stream, StreamOptions::new()).unwrap();
        ringio_runtime::yield_now().await;
        writer.write(big).unwrap();
        assert!(
            writer.buffer_size() > 0,
            "8 MiB cannot all go at once: the rest waits in the queue"
        );
        for i in 0..100u32 {
            writer.write(format!("line {i}\n")).unwrap();
            if i % 10 == 0 {
                writer.drain().await.unwrap();
            }
        }
        writer.close();
        writer.wait_closed().await.unwrap();
    });
    let all = reader.join().unwrap();
    assert_eq!(all.len(), expected.len());
    assert!(all == expected, "bytes arrived out of order");
}

#[test]
fn epoll_partial_send_keeps_order() {
    order_kept(Backend::Epoll);
}

#[test]
fn io_uring_writes_keep_order() {
    // Where io_uring is refused (CI containers) Auto runs epoll; either way
    // the order must hold.
    order_kept(Backend::Auto);
}
