//! Shared by the `*_read_dropped` tests: a byte stream written by another
//! thread (or task) and read back with reads that are often dropped in
//! flight, then checked byte for byte.
#![allow(dead_code)] // each test uses its part

use std::future::Future;
use std::io::{self, Write};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ringio_runtime::net::{TcpStream, UnixStream};
use ringio_runtime::pipe::PipeReader;
use ringio_runtime::time::timeout;

/// Bound on writing a stream.
const LIMIT: Duration = Duration::from_secs(30);

/// The byte at stream offset `i`.
pub fn pattern(i: usize) -> u8 {
    (i % 251) as u8
}

/// The length of the chunk written at offset `sent` (1..=1200 bytes).
pub fn chunk_len(sent: usize) -> usize {
    1 + (sent * 7 + 13) % 1200
}

/// The pattern's bytes `from..from + len`.
pub fn chunk(from: usize, len: usize) -> Vec<u8> {
    (from..from + len).map(pattern).collect()
}

/// A ringio reader of a byte stream.
pub trait Reader {
    fn read(&self, buf: Vec<u8>) -> impl Future<Output = (io::Result<usize>, Vec<u8>)>;
}

impl Reader for PipeReader {
    fn read(&self, buf: Vec<u8>) -> impl Future<Output = (io::Result<usize>, Vec<u8>)> {
        PipeReader::read(self, buf)
    }
}

impl Reader for TcpStream {
    fn read(&self, buf: Vec<u8>) -> impl Future<Output = (io::Result<usize>, Vec<u8>)> {
        TcpStream::read(self, buf)
    }
}

impl Reader for UnixStream {
    fn read(&self, buf: Vec<u8>) -> impl Future<Output = (io::Result<usize>, Vec<u8>)> {
        UnixStream::read(self, buf)
    }
}

/// A thread that writes `total` bytes of the pattern to `w` in small
/// chunks, pausing now and then so that reads often wait in the kernel,
/// then closes it; it returns how many bytes it wrote.
pub fn write_from_thread(mut w: impl Write + Send + 'static, total: usize) -> JoinHandle<usize> {
    std::thread::spawn(move || {
        let started = Instant::now();
        let mut sent = 0;
        while sent < total && started.elapsed() < LIMIT {
            let len = chunk_len(sent).min(total - sent);
            w.write_all(&chunk(sent, len)).unwrap();
            sent += len;
            if sent % 4 == 0 {
                std::thread::sleep(Duration::from_micros(20));
            }
        }
        sent
    })
}

/// Reads `r` to its end with zero and one-tick timeouts (many reads are
/// dropped right after submission, while bytes are on their way); returns
/// the bytes and how many reads were dropped.
pub async fn read_to_end_dropping(r: &impl Reader) -> (Vec<u8>, u32) {
    let mut got = Vec::new();
    let (mut dropped, mut round) = (0u32, 0u64);
    loop {
        round += 1;
        let wait = Duration::from_micros(round % 3 * 500);
        match timeout(wait, r.read(Vec::with_capacity(1500))).await {
            Err(_) => dropped += 1,
            Ok((res, buf)) => {
                let n = res.unwrap();
                if n == 0 {
                    return (got, dropped);
                }
                got.extend_from_slice(&buf[..n]);
            }
        }
    }
}

/// `got` is the pattern's first `total` bytes, and enough reads were
/// dropped for the test to mean something.
pub fn assert_pattern(got: &[u8], total: usize, dropped: u32) {
    assert!(dropped >= 50, "only {dropped} reads were dropped in flight");
    if let Some(i) = (0..got.len()).find(|&i| got[i] != pattern(i)) {
        panic!(
            "byte {i} differs ({} received, {total} sent, {dropped} reads dropped)",
            got.len()
        );
    }
    assert_eq!(got.len(), total, "{dropped} reads dropped");
}

/// The whole test for a reader `r` whose peer `w` a thread writes.
pub async fn every_byte_arrives_once_in_order(r: impl Reader, w: impl Write + Send + 'static) {
    const TOTAL: usize = 1 << 20;
    let writer = write_from_thread(w, TOTAL);
    let (got, dropped) = read_to_end_dropping(&r).await;
    let sent = writer.join().unwrap();
    assert_eq!(sent, TOTAL, "the writer ran out of time");
    assert_pattern(&got, sent, dropped);
}
