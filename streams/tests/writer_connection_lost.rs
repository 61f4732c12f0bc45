//! A peer that goes away while the writer is blocked in drain: drain
//! returns a connection-reset error (never hangs), and so do later writes.

mod common;

use bytes::Bytes;
use ringio_runtime::net::TcpListener;
use ringio_runtime::spawn;
use ringio_streams::{open_connection, WriteError};

#[test]
fn peer_close_during_drain_is_an_error() {
    common::run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (_r, writer) = open_connection(addr).await.unwrap();
        let (peer, _) = listener.accept().await.unwrap();
        let writer2 = writer.clone();
        let blocked = spawn(async move {
            // The peer never reads: this fills both socket buffers and then
            // drain blocks.
            let chunk = Bytes::from(vec![b'q'; 64 * 1024]);
            loop {
                if let Err(e) = writer2.write(chunk.clone()) {
                    return e;
                }
                if let Err(e) = writer2.drain().await {
                    return e;
                }
            }
        });
        // Let the writer block, then close the peer with unread data (RST).
        while writer.buffer_size() <= ringio_streams::DEFAULT_HIGH_WATER {
            ringio_runtime::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        ringio_runtime::time::sleep(std::time::Duration::from_millis(20)).await;
        drop(peer);
        let err = blocked.await.unwrap();
        match &err {
            WriteError::ConnectionLost(e) => {
                assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset)
            }
            other => panic!("expected ConnectionLost, got {other:?}"),
        }
        assert!(err.is_connection_lost());
        // Later calls fail the same way, at once.
        assert!(writer.write("more").unwrap_err().is_connection_lost());
        assert!(writer.drain().await.unwrap_err().is_connection_lost());
        assert!(writer.is_closing());
        assert_eq!(writer.buffer_size(), 0);
        let io: std::io::Error = writer.write("x").unwrap_err().into();
        assert_eq!(io.kind(), std::io::ErrorKind::ConnectionReset);
        assert!(writer.wait_closed().await.is_err());
    });
}
