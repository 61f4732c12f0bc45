//! readexactly: exact counts across receives, and IncompleteRead with the
//! partial data at end of stream (CPython test_readexactly_eof).

mod common;

use ringio_runtime::net::{TcpListener, TcpStream};
use ringio_runtime::spawn;
use ringio_streams::{from_tcp, ReadError, StreamOptions, StreamReader};

#[test]
fn readexactly_at_eof_gives_the_partial() {
    common::run(async {
        let (feeder, mut reader) = StreamReader::with_feeder(1024).unwrap();
        feeder.feed_data("chunk").unwrap();
        feeder.feed_eof();
        match reader.readexactly(10).await {
            Err(ReadError::IncompleteRead { partial, expected }) => {
                assert_eq!(partial, "chunk");
                assert_eq!(expected, Some(10));
            }
            other => panic!("expected IncompleteRead, got {other:?}"),
        }
        assert!(reader.at_eof());
        let io: std::io::Error = ReadError::IncompleteRead {
            partial: "x".into(),
            expected: Some(2),
        }
        .into();
        assert_eq!(io.kind(), std::io::ErrorKind::UnexpectedEof);
    });
}

#[test]
fn readexactly_zero_and_over_the_limit() {
    common::run(async {
        let (feeder, mut reader) = StreamReader::with_feeder(4).unwrap();
        assert_eq!(reader.readexactly(0).await.unwrap(), "");
        feeder.feed_data("0123456789").unwrap();
        // The limit does not apply to readexactly.
        assert_eq!(reader.readexactly(8).await.unwrap(), "01234567");
        assert_eq!(reader.buffered(), 2);
    });
}

#[test]
fn readexactly_over_tcp_collects_many_receives() {
    common::run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let expected = data.clone();
        let sender = spawn(async move {
            let client = TcpStream::connect(&addr).await.unwrap();
            let (res, _) = client.write_all(data).await;
            res.unwrap();
        });
        let (stream, _) = listener.accept().await.unwrap();
        let (mut reader, _w) = from_tcp(stream, StreamOptions::new()).unwrap();
        let got = reader.readexactly(300_000).await.unwrap();
        assert_eq!(&got[..], &expected[..]);
        sender.await.unwrap();
        match reader.readexactly(1).await {
            Err(ReadError::IncompleteRead { partial, .. }) => assert!(partial.is_empty()),
            other => panic!("expected IncompleteRead, got {other:?}"),
        }
    });
}
