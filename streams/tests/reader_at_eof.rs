//! at_eof, read(n) and read_to_end (CPython test_at_eof, test_read_zero,
//! test_read_eof, test_read_until_eof).

mod common;

use ringio_runtime::{spawn, yield_now};
use ringio_streams::StreamReader;

#[test]
fn at_eof_only_once_everything_is_read() {
    common::run(async {
        let (feeder, mut reader) = StreamReader::with_feeder(1024).unwrap();
        assert!(!reader.at_eof());
        feeder.feed_data("some data\n").unwrap();
        assert!(!reader.at_eof());
        reader.readline().await.unwrap();
        assert!(!reader.at_eof());
        feeder.feed_data("some data\n").unwrap();
        feeder.feed_eof();
        reader.readline().await.unwrap();
        assert!(reader.at_eof());
        assert_eq!(reader.readline().await.unwrap(), "");
    });
}

#[test]
fn read_zero_returns_at_once() {
    common::run(async {
        let (_feeder, mut reader) = StreamReader::with_feeder(1024).unwrap();
        assert_eq!(reader.read(0).await.unwrap(), "");
    });
}

#[test]
fn read_returns_what_is_there_up_to_n() {
    common::run(async {
        let (feeder, mut reader) = StreamReader::with_feeder(1024).unwrap();
        let task = spawn(async move {
            let r = reader.read(30).await;
            (r, reader)
        });
        yield_now().await;
        feeder.feed_data("line1\nline2\n").unwrap();
        let (r, mut reader) = task.await.unwrap();
        assert_eq!(r.unwrap(), "line1\nline2\n");
        feeder.feed_data("abcdef").unwrap();
        assert_eq!(reader.read(4).await.unwrap(), "abcd");
        assert_eq!(reader.read(4).await.unwrap(), "ef");
        feeder.feed_eof();
        assert_eq!(reader.read(4).await.unwrap(), "");
        assert!(reader.at_eof());
    });
}

#[test]
fn read_to_end_reads_past_the_limit() {
    common::run(async {
        let (feeder, mut reader) = StreamReader::with_feeder(4).unwrap();
        let task = spawn(async move {
            let r = reader.read_to_end().await;
            (r, reader)
        });
        for chunk in ["chunk1\n", "chunk2", "\nend"] {
            feeder.feed_data(chunk).unwrap();
            yield_now().await;
        }
        feeder.feed_eof();
        let (r, reader) = task.await.unwrap();
        assert_eq!(r.unwrap(), "chunk1\nchunk2\nend");
        assert!(reader.at_eof());
    });
}

#[test]
fn fed_error_is_returned_and_sticks() {
    common::run(async {
        let (feeder, mut reader) = StreamReader::with_feeder(1024).unwrap();
        feeder.feed_data("line\n").unwrap();
        feeder.feed_error(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "reset",
        ));
        assert_eq!(reader.readline().await.unwrap(), "line\n");
        for _ in 0..2 {
            match reader.readline().await {
                Err(ringio_streams::ReadError::Io(e)) => {
                    assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset)
                }
                other => panic!("expected the fed error, got {other:?}"),
            }
        }
    });
}

#[test]
fn lines_iterate_until_eof() {
    common::run(async {
        let (feeder, mut reader) = StreamReader::with_feeder(1024).unwrap();
        feeder.feed_data("a\nb\n\nc").unwrap();
        feeder.feed_eof();
        let mut lines = reader.lines();
        let mut got = Vec::new();
        while let Some(l) = lines.next_line().await.unwrap() {
            got.push(l);
        }
        assert_eq!(got, ["a\n", "b\n", "\n", "c"]);
        assert!(lines.next_line().await.unwrap().is_none());
    });
}
