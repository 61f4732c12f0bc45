//! A pipe read dropped in flight loses no byte and duplicates none: bytes a
//! cancelled read had already taken out of the pipe are returned by the
//! next read, in order.

#[path = "support/dropped_reads.rs"]
mod dropped_reads;

use std::future::{poll_fn, Future};
use std::io::Write;
use std::os::fd::{FromRawFd, OwnedFd};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use ringio_runtime::pipe::PipeReader;
use ringio_runtime::run;
use ringio_runtime::time::sleep;

/// A ring reader on the read end of a pipe, and the write end as a std
/// file (a writer thread can own it).
fn pipe() -> (PipeReader, std::fs::File) {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` is an array of two ints for pipe2 to fill.
    let ret = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
    assert_eq!(ret, 0, "pipe2: {}", std::io::Error::last_os_error());
    // SAFETY: pipe2 just opened both fds; each gets one owner.
    let (r, w) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    (PipeReader::from_owned_fd(r), std::fs::File::from(w))
}

#[test]
fn completed_but_dropped_read_keeps_its_bytes() {
    run(async {
        let (reader, mut writer) = pipe();
        {
            // Start a read and poll it once so it is in the kernel.
            let mut read = pin!(reader.read(vec![0u8; 64]));
            let first = poll_fn(|cx| Poll::Ready(read.as_mut().poll(cx).is_pending())).await;
            assert!(first, "the pipe is empty: the read must wait");
            // The bytes arrive and the loop reaps the completion, but the
            // read is never polled again: it is dropped completed.
            writer.write_all(b"raced").unwrap();
            sleep(Duration::from_millis(30)).await;
        }
        writer.write_all(b"+next").unwrap();
        drop(writer);
        let mut got = Vec::new();
        loop {
            let (res, buf) = reader.read(Vec::with_capacity(64)).await;
            let n = res.unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(got, b"raced+next");
    })
    .unwrap();
}

#[test]
fn many_racing_cancellations_lose_and_duplicate_nothing() {
    let (reader, writer) = pipe();
    run(dropped_reads::every_byte_arrives_once_in_order(
        reader, writer,
    ))
    .unwrap();
}
