//! Backpressure: a reader that is not read stops receiving, so a fast
//! sender is held back by TCP flow control instead of filling memory.

mod common;

use std::time::Duration;

use ringio_runtime::net::{TcpListener, TcpStream};
use ringio_runtime::spawn;
use ringio_runtime::time::sleep;
use ringio_streams::{from_tcp, ReadError, StreamOptions};

#[test]
fn unread_reader_holds_back_the_sender() {
    common::run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let total = 64 * 1024 * 1024;
        let sender = spawn(async move {
            let client = TcpStream::connect(&addr).await.unwrap();
            let mut sent = 0usize;
            let chunk = vec![b'x'; 64 * 1024];
            let mut buf = chunk;
            while sent < total {
                let (res, b) = client.write(buf).await;
                buf = b;
                match res {
                    Ok(n) => sent += n,
                    Err(_) => break,
                }
            }
            sent
        });
        let (stream, _) = listener.accept().await.unwrap();
        let limit = 1024;
        let (mut reader, _w) =
            from_tcp(stream, StreamOptions::new().limit(limit).unwrap()).unwrap();
        // No separator ever comes: readuntil gives up at the limit, having
        // received at most the limit plus one receive.
        match reader.readuntil(b"\n").await {
            Err(ReadError::LimitOverrun { .. }) => {}
            other => panic!("expected LimitOverrun, got {other:?}"),
        }
        let held = reader.buffered();
        assert!(held <= limit + 64 * 1024, "reader holds {held} bytes");
        sleep(Duration::from_millis(200)).await;
        // Nobody reads: nothing more was received, and the sender is stuck
        // well short of its 64 MiB (socket buffers only).
        assert_eq!(reader.buffered(), held);
        assert!(!sender.is_finished(), "the sender was never held back");
        // Reading resumes the flow.
        let mut got = 0;
        while got < 8 * 1024 * 1024 {
            got += reader.read(1 << 20).await.unwrap().len();
        }
        sender.abort();
    });
}
