//! readuntil finds a separator split across receives (CPython
//! test_readuntil_multi_chunks, test_readuntil_eof), over a feeder and
//! over real loopback TCP.

mod common;

use std::time::Duration;

use ringio_runtime::net::{TcpListener, TcpStream};
use ringio_runtime::time::sleep;
use ringio_runtime::{spawn, yield_now};
use ringio_streams::{from_tcp, ReadError, StreamOptions, StreamReader};

#[test]
fn separator_split_across_fed_chunks() {
    common::run(async {
        let (feeder, mut reader) = StreamReader::with_feeder(1024).unwrap();
        let task = spawn(async move {
            let line = reader.readuntil(b"aaa").await;
            (line, reader)
        });
        for chunk in ["QWEaa", "XYaa", "a"] {
            feeder.feed_data(chunk).unwrap();
            yield_now().await;
            yield_now().await;
        }
        let (line, reader) = task.await.unwrap();
        assert_eq!(line.unwrap(), "QWEaaXYaaa");
        assert_eq!(reader.buffered(), 0);
    });
}

#[test]
fn multi_byte_separator_fed_at_once() {
    common::run(async {
        let (feeder, mut reader) = StreamReader::with_feeder(1024).unwrap();
        feeder.feed_data("QWEaa").unwrap();
        feeder.feed_data("XYaa").unwrap();
        feeder.feed_data("aa").unwrap();
        assert_eq!(reader.readuntil(b"aaa").await.unwrap(), "QWEaaXYaaa");
        assert_eq!(reader.buffered(), 1);
    });
}

#[test]
fn eof_before_separator_gives_partial() {
    common::run(async {
        let (feeder, mut reader) = StreamReader::with_feeder(1024).unwrap();
        feeder.feed_data("some dataAA").unwrap();
        feeder.feed_eof();
        match reader.readuntil(b"AAA").await {
            Err(ReadError::IncompleteRead { partial, expected }) => {
                assert_eq!(partial, "some dataAA");
                assert_eq!(expected, None);
            }
            other => panic!("expected IncompleteRead, got {other:?}"),
        }
        assert!(reader.at_eof());
    });
}

#[test]
fn empty_separator_is_an_error() {
    common::run(async {
        let (_feeder, mut reader) = StreamReader::with_feeder(1024).unwrap();
        assert!(matches!(
            reader.readuntil(b"").await,
            Err(ReadError::EmptySeparator)
        ));
    });
}

#[test]
fn separator_split_across_tcp_segments() {
    common::run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let sender = spawn(async move {
            let client = TcpStream::connect(&addr).await.unwrap();
            client.set_nodelay(true).unwrap();
            for part in ["header one\r", "\nheader two\r", "\n\r", "\n"] {
                let (res, _) = client.write_all(part.as_bytes().to_vec()).await;
                res.unwrap();
                sleep(Duration::from_millis(20)).await;
            }
        });
        let (stream, _) = listener.accept().await.unwrap();
        let (mut reader, _writer) = from_tcp(stream, StreamOptions::new()).unwrap();
        assert_eq!(reader.readuntil(b"\r\n").await.unwrap(), "header one\r\n");
        assert_eq!(reader.readuntil(b"\r\n").await.unwrap(), "header two\r\n");
        assert_eq!(reader.readuntil(b"\r\n").await.unwrap(), "\r\n");
        sender.await.unwrap();
        assert_eq!(reader.read(10).await.unwrap(), "");
        assert!(reader.at_eof());
    });
}
