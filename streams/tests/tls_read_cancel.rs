//! A read over TLS dropped while it waits (a timeout) loses no byte: what
//! arrived, decrypted or not, stays for the next read.
#![cfg(feature = "tls")]

mod tls_support;

use std::time::Duration;

use ringio::streams::{start_server_with, ServerOptions, StreamReader, StreamWriter};
use ringio::time::{sleep, timeout};
use tls_support::{cert, server_config, Reports};

#[test]
fn timed_out_readlines_lose_no_bytes() {
    const LINES: u32 = 300;
    let reports = Reports::default();
    tls_support::run(&reports, async {
        let c = cert(&["localhost"]);
        let options = ServerOptions::new().tls(server_config(&c));
        // Lines in dribbles (each in several records), slower than the
        // reader's timeouts.
        let server = start_server_with(
            |_reader: StreamReader, writer: StreamWriter| async move {
                for i in 0..LINES {
                    let line = format!("line {i} {}\n", "x".repeat(i as usize % 50));
                    let (a, b) = line.as_bytes().split_at(line.len() / 2);
                    writer.write(a).unwrap();
                    writer.drain().await.unwrap();
                    if i % 10 == 0 {
                        sleep(Duration::from_millis(2)).await;
                    }
                    writer.write(b).unwrap();
                    writer.drain().await.unwrap();
                }
                writer.close();
                writer.wait_closed().await.unwrap();
            },
            "127.0.0.1:0",
            options,
        )
        .await
        .unwrap();
        let (mut reader, _writer) = tls_support::connect(&server, &c).await;
        let mut timeouts = 0;
        for i in 0..LINES {
            let line = loop {
                match timeout(Duration::from_micros(300), reader.readline()).await {
                    Ok(line) => break line.unwrap(),
                    Err(_) => timeouts += 1,
                }
            };
            assert_eq!(line, format!("line {i} {}\n", "x".repeat(i as usize % 50)));
        }
        assert_eq!(reader.readline().await.unwrap(), "");
        assert!(timeouts > 0, "no read was dropped: the test proves nothing");
        server.close();
        server.wait_closed().await;
    });
    assert!(reports.all().is_empty(), "{:?}", reports.all());
}
