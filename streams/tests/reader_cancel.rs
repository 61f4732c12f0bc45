//! A read dropped while it waits (a timeout) loses no byte: what arrived
//! stays in the reader, over real loopback TCP.

mod common;

use std::time::Duration;

use ringio_runtime::net::{TcpListener, TcpStream};
use ringio_runtime::spawn;
use ringio_runtime::time::{sleep, timeout};
use ringio_streams::{from_tcp, StreamOptions};

#[test]
fn timed_out_reads_lose_no_bytes() {
    common::run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let sender = spawn(async move {
            let client = TcpStream::connect(&addr).await.unwrap();
            client.set_nodelay(true).unwrap();
            // A line in dribbles, slower than the reader's timeouts.
            for i in 0..200u32 {
                let part = format!("{i},");
                let (res, _) = client.write_all(part.into_bytes()).await;
                res.unwrap();
                if i % 20 == 0 {
                    sleep(Duration::from_millis(3)).await;
                }
            }
            let (res, _) = client.write_all(b"end\n".to_vec()).await;
            res.unwrap();
        });
        let (stream, _) = listener.accept().await.unwrap();
        let (mut reader, _w) = from_tcp(stream, StreamOptions::new()).unwrap();
        let mut timeouts = 0;
        let line = loop {
            match timeout(Duration::from_micros(500), reader.readline()).await {
                Ok(line) => break line.unwrap(),
                Err(_) => timeouts += 1,
            }
        };
        let want: String = (0..200u32).map(|i| format!("{i},")).collect::<String>() + "end\n";
        assert_eq!(line, want.as_bytes());
        assert!(timeouts > 0, "no read was dropped: the test proved nothing");
        sender.await.unwrap();

        // Same with readexactly.
        let listener2 = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr2 = listener2.local_addr().unwrap();
        let sender = spawn(async move {
            let client = TcpStream::connect(&addr2).await.unwrap();
            for chunk in 0..10u8 {
                let (res, _) = client.write_all(vec![chunk; 1000]).await;
                res.unwrap();
                sleep(Duration::from_millis(5)).await;
            }
        });
        let (stream, _) = listener2.accept().await.unwrap();
        let (mut reader, _w) = from_tcp(stream, StreamOptions::new()).unwrap();
        let mut dropped = 0;
        let data = loop {
            match timeout(Duration::from_millis(2), reader.readexactly(10_000)).await {
                Ok(d) => break d.unwrap(),
                Err(_) => dropped += 1,
            }
        };
        assert!(dropped > 0);
        for (i, c) in data.chunks(1000).enumerate() {
            assert!(c.iter().all(|&b| b == i as u8));
        }
        sender.await.unwrap();
    });
}
