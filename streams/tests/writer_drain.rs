//! drain against a slow reader keeps the writer's queue bounded by the
//! high-water mark (CPython test_drain / flow control), and the water
//! marks are checked.

mod common;

use std::time::Duration;

use bytes::Bytes;
use ringio_runtime::net::{TcpListener, TcpStream};
use ringio_runtime::spawn;
use ringio_runtime::time::sleep;
use ringio_streams::{
    from_tcp, open_connection, InvalidLimit, StreamOptions, DEFAULT_HIGH_WATER, DEFAULT_LOW_WATER,
};

#[test]
fn drain_bounds_the_queue_against_a_slow_reader() {
    common::run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let total = 8 * 1024 * 1024;
        let reader = spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let mut got = 0usize;
            let mut buf = vec![0u8; 16 * 1024];
            loop {
                let (res, b) = stream.read(buf).await;
                buf = b;
                match res.unwrap() {
                    0 => return got,
                    n => got += n,
                }
                // Slow: a short nap every 512 KiB.
                if got % (512 * 1024) < 16 * 1024 {
                    sleep(Duration::from_millis(5)).await;
                }
            }
        });
        let (_r, writer) = open_connection(addr).await.unwrap();
        assert_eq!(
            writer.write_buffer_limits(),
            (DEFAULT_HIGH_WATER, DEFAULT_LOW_WATER)
        );
        let chunk = Bytes::from(vec![b'z'; 8 * 1024]);
        let mut max_queued = 0;
        let mut waited = 0;
        let mut sent = 0;
        while sent < total {
            writer.write(chunk.clone()).unwrap();
            sent += chunk.len();
            max_queued = max_queued.max(writer.buffer_size());
            if writer.buffer_size() > DEFAULT_HIGH_WATER {
                waited += 1;
            }
            writer.drain().await.unwrap();
            assert!(writer.buffer_size() <= DEFAULT_HIGH_WATER);
        }
        assert!(
            max_queued <= DEFAULT_HIGH_WATER + chunk.len(),
            "queue reached {max_queued} bytes"
        );
        assert!(
            waited > 0,
            "drain never had to wait: the reader was not slow"
        );
        writer.close();
        writer.wait_closed().await.unwrap();
        assert_eq!(reader.await.unwrap(), total);
    });
}

#[test]
fn water_marks_are_configurable_and_checked() {
    common::run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let client = TcpStream::connect(&addr).await.unwrap();
        let (_server_side, _) = listener.accept().await.unwrap();
        let (_r, writer) = from_tcp(client, StreamOptions::new()).unwrap();
        assert_eq!(
            writer.set_write_buffer_limits(10, 20),
            Err(InvalidLimit::WaterMarks { high: 10, low: 20 })
        );
        writer.set_write_buffer_limits(1000, 100).unwrap();
        assert_eq!(writer.write_buffer_limits(), (1000, 100));
        // A tiny high-water mark: drain waits for the queue to empty down
        // to 100 bytes, which the peer's socket buffer allows at once.
        writer.write(vec![1u8; 5000]).unwrap();
        writer.drain().await.unwrap();
        assert!(writer.buffer_size() <= 100);
    });
}
