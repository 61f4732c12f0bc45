//! The reader's limit: LimitOverrun leaves the data in the reader;
//! readline past the limit discards as CPython's StreamReader.readline
//! (test_readline_limit, test_readuntil_limit_found_sep); a limit of 0 is
//! rejected.

mod common;

use ringio_runtime::{spawn, yield_now};
use ringio_streams::{InvalidLimit, ReadError, StreamOptions, StreamReader};

#[test]
fn zero_limit_is_rejected() {
    assert_eq!(
        StreamReader::with_feeder(0).err(),
        Some(InvalidLimit::ZeroReadLimit)
    );
    assert_eq!(
        StreamOptions::new().limit(0).err(),
        Some(InvalidLimit::ZeroReadLimit)
    );
    let io: std::io::Error = InvalidLimit::ZeroReadLimit.into();
    assert_eq!(io.kind(), std::io::ErrorKind::InvalidInput);
}

#[test]
fn limit_overrun_leaves_the_data() {
    common::run(async {
        let (feeder, mut reader) = StreamReader::with_feeder(3).unwrap();
        feeder.feed_data("some dataAA").unwrap();
        match reader.readuntil(b"AAA").await {
            Err(ReadError::LimitOverrun { consumed, limit }) => {
                assert_eq!(consumed, 9);
                assert_eq!(limit, 3);
            }
            other => panic!("expected LimitOverrun, got {other:?}"),
        }
        assert_eq!(reader.buffered(), 11);
        assert_eq!(reader.read(100).await.unwrap(), "some dataAA");
    });
}

#[test]
fn limit_overrun_with_separator_found_beyond_the_limit() {
    common::run(async {
        let (feeder, mut reader) = StreamReader::with_feeder(3).unwrap();
        feeder.feed_data("some dataAAA").unwrap();
        match reader.readuntil(b"AAA").await {
            Err(ReadError::LimitOverrun { consumed, .. }) => assert_eq!(consumed, 9),
            other => panic!("expected LimitOverrun, got {other:?}"),
        }
        assert_eq!(reader.readexactly(12).await.unwrap(), "some dataAAA");
    });
}

#[test]
fn readline_over_the_limit_without_newline_clears_the_buffer() {
    common::run(async {
        let (feeder, mut reader) = StreamReader::with_feeder(7).unwrap();
        feeder.feed_data("chunk1").unwrap();
        feeder.feed_data("chunk2").unwrap();
        feeder.feed_data("chunk3\n").unwrap();
        feeder.feed_eof();
        match reader.readline().await {
            Err(ReadError::LineTooLong { limit, discarded }) => {
                assert_eq!(limit, 7);
                assert_eq!(discarded, 19);
            }
            other => panic!("expected LineTooLong, got {other:?}"),
        }
        assert_eq!(reader.buffered(), 0);
        assert!(reader.at_eof());
    });
}

#[test]
fn readline_over_the_limit_keeps_the_next_line() {
    common::run(async {
        let (feeder, mut reader) = StreamReader::with_feeder(7).unwrap();
        feeder.feed_data("chunk1").unwrap();
        feeder.feed_data("chunk2\n").unwrap();
        feeder.feed_data("chunk3\n").unwrap();
        feeder.feed_eof();
        assert!(matches!(
            reader.readline().await,
            Err(ReadError::LineTooLong { discarded: 13, .. })
        ));
        assert_eq!(reader.buffered(), 7);
        assert_eq!(reader.readline().await.unwrap(), "chunk3\n");
    });
}

#[test]
fn readline_limit_is_strict() {
    common::run(async {
        let (feeder, mut reader) = StreamReader::with_feeder(7).unwrap();
        feeder.feed_data("1234567\n").unwrap();
        assert_eq!(reader.readline().await.unwrap(), "1234567\n");
        assert_eq!(reader.buffered(), 0);

        feeder.feed_data("12345678\n").unwrap();
        assert!(matches!(
            reader.readline().await,
            Err(ReadError::LineTooLong { .. })
        ));
        assert_eq!(reader.buffered(), 0);

        feeder.feed_data("12345678").unwrap();
        assert!(matches!(
            reader.readline().await,
            Err(ReadError::LineTooLong { .. })
        ));
        assert_eq!(reader.buffered(), 0);
    });
}

#[test]
fn readline_limit_with_data_arriving_later() {
    // CPython test_readline_limit_with_existing_data: the line grows past
    // the limit while readline waits.
    common::run(async {
        let (feeder, mut reader) = StreamReader::with_feeder(3).unwrap();
        feeder.feed_data("li").unwrap();
        let task = spawn(async move {
            let r = reader.readline().await;
            (r, reader)
        });
        yield_now().await;
        feeder.feed_data("ne1\nline2\n").unwrap();
        let (r, mut reader) = task.await.unwrap();
        assert!(matches!(r, Err(ReadError::LineTooLong { .. })));
        // The overlong line is dropped through its newline; the next stays.
        assert_eq!(reader.buffered(), 6);
        assert_eq!(reader.read(100).await.unwrap(), "line2\n");
    });
}

#[test]
fn limit_error_converts_to_invalid_data() {
    let e = ReadError::LimitOverrun {
        consumed: 9,
        limit: 3,
    };
    let msg = e.to_string();
    assert!(msg.contains("limit of 3"), "{msg}");
    let io: std::io::Error = e.into();
    assert_eq!(io.kind(), std::io::ErrorKind::InvalidData);
}
