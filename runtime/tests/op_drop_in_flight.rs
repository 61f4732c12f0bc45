//! Dropping an operation in flight (a read on a pipe that never gets data)
//! cancels it; the loop then exits cleanly and the pipe stays usable.

use std::time::{Duration, Instant};

use ringio_runtime::pipe::pipe;
use ringio_runtime::time::timeout;
use ringio_runtime::Runtime;

#[test]
fn timed_out_read_is_cancelled_and_the_loop_exits() {
    let rt = Runtime::new().unwrap();
    let start = Instant::now();
    rt.block_on(async {
        let (reader, writer) = pipe().unwrap();
        // The read never gets data: the timeout drops it in flight.
        let r = timeout(Duration::from_millis(20), reader.read(vec![0u8; 64])).await;
        assert!(r.is_err());
        // The pipe still works afterwards, and no byte goes astray.
        let (res, _) = writer.write(b"after".to_vec()).await;
        assert_eq!(res.unwrap(), 5);
        let (res, buf) = reader.read(Vec::with_capacity(64)).await;
        assert_eq!(&buf[..res.unwrap()], b"after");
    })
    .unwrap();
    drop(rt);
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn many_dropped_reads_all_drain() {
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        let (reader, _writer) = pipe().unwrap();
        for _ in 0..200 {
            let r = timeout(Duration::ZERO, reader.read(vec![0u8; 16])).await;
            assert!(r.is_err());
        }
        // Each cancellation completes within a few loop turns.
        let deadline = Instant::now() + Duration::from_secs(2);
        while rt.ops_in_flight() > 0 && Instant::now() < deadline {
            ringio_runtime::time::sleep(Duration::from_millis(1)).await;
        }
        assert_eq!(rt.ops_in_flight(), 0);
    })
    .unwrap();
}
