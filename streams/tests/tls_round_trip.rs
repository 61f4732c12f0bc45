//! Reader and writer over TLS work as over plain TCP: readline,
//! readexactly, 8 MiB each way at once, drain's flow control.
#![cfg(feature = "tls")]

mod tls_support;

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use ringio::streams::{start_server_with, ServerOptions, StreamReader, StreamWriter};
use tls_support::{cert, server_config, Reports};

fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

async fn echo_lines(
    mut reader: StreamReader,
    writer: StreamWriter,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut lines = reader.lines();
    while let Some(line) = lines.next_line().await? {
        writer.write(line)?;
        writer.drain().await?;
    }
    writer.close();
    Ok(())
}

#[test]
fn readline_and_readexactly_round_trip() {
    let reports = Reports::default();
    tls_support::run(&reports, async {
        let c = cert(&["localhost"]);
        let options = ServerOptions::new().tls(server_config(&c));
        let server = start_server_with(echo_lines, "127.0.0.1:0", options)
            .await
            .unwrap();
        let (mut reader, writer) = tls_support::connect(&server, &c).await;
        writer.write("hello\nworld\n").unwrap();
        assert_eq!(reader.readline().await.unwrap(), "hello\n");
        assert_eq!(reader.readexactly(3).await.unwrap(), "wor");
        assert_eq!(reader.readexactly(3).await.unwrap(), "ld\n");
        for i in 0..100 {
            writer.write(format!("line {i}\n")).unwrap();
            assert_eq!(reader.readline().await.unwrap(), format!("line {i}\n"));
        }
        writer.close();
        writer.wait_closed().await.unwrap();
        // The server closes after our close_notify: a clean end of stream.
        assert_eq!(reader.read(100).await.unwrap(), "");
        assert!(reader.at_eof());
        server.close();
        server.wait_closed().await;
    });
    assert!(reports.all().is_empty(), "{:?}", reports.all());
}

#[test]
fn eight_mib_each_way_at_once() {
    const LEN: usize = 8 << 20;
    let reports = Reports::default();
    tls_support::run(&reports, async {
        let c = cert(&["localhost"]);
        let options = ServerOptions::new().tls(server_config(&c));
        // The server sends its 8 MiB while it receives the client's.
        let server = start_server_with(
            |mut reader: StreamReader, writer: StreamWriter| async move {
                let sent = ringio::spawn({
                    let writer = writer.clone();
                    async move {
                        for chunk in pattern(LEN, 7).chunks(100_000) {
                            writer.write(chunk.to_vec()).unwrap();
                            writer.drain().await.unwrap();
                        }
                    }
                });
                let got = reader.readexactly(LEN).await.unwrap();
                assert!(got == pattern(LEN, 1), "the server got other bytes");
                sent.await.unwrap();
                writer.write("ok\n").unwrap();
                writer.close();
                writer.wait_closed().await.unwrap();
            },
            "127.0.0.1:0",
            options,
        )
        .await
        .unwrap();
        let (mut reader, writer) = tls_support::connect(&server, &c).await;
        let sender = ringio::spawn({
            let writer = writer.clone();
            async move {
                for chunk in pattern(LEN, 1).chunks(65_000) {
                    writer.write(chunk.to_vec()).unwrap();
                    writer.drain().await.unwrap();
                }
            }
        });
        let got = reader.readexactly(LEN).await.unwrap();
        assert!(got == pattern(LEN, 7), "the client got other bytes");
        sender.await.unwrap();
        assert_eq!(reader.readline().await.unwrap(), "ok\n");
        assert_eq!(reader.read(10).await.unwrap(), "");
        server.close();
        server.wait_closed().await;
    });
    assert!(reports.all().is_empty(), "{:?}", reports.all());
}

#[test]
fn drain_waits_for_a_peer_that_does_not_read() {
    let reports = Reports::default();
    tls_support::run(&reports, async {
        let c = cert(&["localhost"]);
        let options = ServerOptions::new().tls(server_config(&c));
        let go = Rc::new(Cell::new(false));
        let server = start_server_with(
            {
                let go = go.clone();
                move |mut reader: StreamReader, writer: StreamWriter| {
                    let go = go.clone();
                    async move {
                        while !go.get() {
                            ringio::time::sleep(Duration::from_millis(5)).await;
                        }
                        let n = reader.read_to_end().await.unwrap().len();
                        writer.write(format!("{n}\n")).unwrap();
                        writer.close();
                    }
                }
            },
            "127.0.0.1:0",
            options,
        )
        .await
        .unwrap();
        let (mut reader, writer) = tls_support::connect(&server, &c).await;
        // More than the socket buffers and rustls hold: drain must wait.
        const LEN: usize = 32 << 20;
        writer.write(vec![b'x'; LEN]).unwrap();
        let waited = ringio::time::timeout(Duration::from_millis(300), writer.drain()).await;
        assert!(
            waited.is_err(),
            "drain returned while the peer read nothing"
        );
        assert!(writer.buffer_size() > writer.write_buffer_limits().0);
        go.set(true);
        writer.drain().await.unwrap();
        assert!(writer.buffer_size() <= writer.write_buffer_limits().1);
        writer.write_eof().unwrap();
        assert_eq!(reader.readline().await.unwrap(), format!("{LEN}\n"));
        server.close();
        server.wait_closed().await;
    });
    assert!(reports.all().is_empty(), "{:?}", reports.all());
}
