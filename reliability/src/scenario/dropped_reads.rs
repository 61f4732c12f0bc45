//! Dropped reads on every byte-stream reader: a read cancelled by a tiny
//! timeout while data flows (some of them racing their completion) must
//! lose and repeat nothing. The reader reassembles a patterned stream and
//! compares it byte for byte.

use std::io;
use std::process::Stdio;
use std::time::{Duration, Instant};

use std::fs::File;
use std::io::Write;
use std::os::fd::{FromRawFd, OwnedFd};

use bytes::BytesMut;
use ringio::net::{TcpListener, TcpStream, UnixStream};
use ringio::pipe::PipeReader;
use ringio::process::Command;
use ringio::streams::{StreamOptions, StreamReader, StreamWriter};
use std::future::Future;

use ringio::task::{select2, Either};
use ringio::time::{sleep, timeout};

use crate::pattern::{self, first_mismatch, Rng};
use crate::{Figure, Outcome, Scale};

/// The reader under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `TcpStream::read` into an owned buffer.
    Tcp,
    /// `TcpStream::read_buf` (multishot receive into the provided pool).
    TcpReadBuf,
    /// `UnixStream::read`.
    Unix,
    /// `UnixStream::read_buf`.
    UnixReadBuf,
    /// `PipeReader::read` on a pipe.
    Pipe,
    /// A child's stdout (`PipeReader`), the child writing the pattern.
    Child,
    /// `StreamReader::read` over TCP.
    Stream,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Tcp => "tcp",
            Kind::TcpReadBuf => "tcp_read_buf",
            Kind::Unix => "unix",
            Kind::UnixReadBuf => "unix_read_buf",
            Kind::Pipe => "pipe",
            Kind::Child => "child_stdout",
            Kind::Stream => "stream_reader",
        }
    }
}

const CHUNK: usize = 1500;
const WRITE_CHUNK: usize = 997;

enum Reader {
    Tcp(TcpStream),
    TcpBuf(TcpStream, BytesMut),
    Unix(UnixStream),
    UnixBuf(UnixStream, BytesMut),
    Pipe(PipeReader),
    /// The writer lives as long as the reader (dropping it closes the
    /// connection).
    Stream {
        reader: StreamReader,
        _writer: StreamWriter,
    },
}

enum Step {
    Data,
    Dropped,
    Eof,
}

/// `None` when the read was cut (dropped).
type Timed<T> = Option<T>;

/// Runs `f` for at most `wait`. With `deadline_first`, the deadline is the
/// first branch of a `select2` (as the docs advise for deadlines): when the
/// deadline and the read are ready at the same poll, the completed read is
/// dropped, and its bytes must not be lost. Otherwise `timeout`, which
/// polls the read first.
pub async fn cut<F: Future>(wait: Duration, deadline_first: bool, f: F) -> Timed<F::Output> {
    if deadline_first {
        match select2(sleep(wait), f).await {
            Either::Left(()) => None,
            Either::Right(out) => Some(out),
        }
    } else {
        timeout(wait, f).await.ok()
    }
}

fn owned(r: Timed<(io::Result<usize>, Vec<u8>)>, got: &mut Vec<u8>) -> io::Result<Step> {
    match r {
        None => Ok(Step::Dropped),
        Some((Ok(0), _)) => Ok(Step::Eof),
        Some((Ok(n), buf)) => {
            got.extend_from_slice(&buf[..n]);
            Ok(Step::Data)
        }
        Some((Err(e), _)) => Err(e),
    }
}

fn appended(
    r: Timed<io::Result<usize>>,
    dst: &mut BytesMut,
    got: &mut Vec<u8>,
) -> io::Result<Step> {
    // Whatever reached `dst` is delivered, whether or not the read completed.
    got.extend_from_slice(&dst.split());
    match r {
        None => Ok(Step::Dropped),
        Some(Ok(0)) => Ok(Step::Eof),
        Some(Ok(_)) => Ok(Step::Data),
        Some(Err(e)) => Err(e),
    }
}

impl Reader {
    /// One read, dropped if it takes longer than `wait`.
    async fn attempt(
        &mut self,
        wait: Duration,
        first: bool,
        got: &mut Vec<u8>,
    ) -> io::Result<Step> {
        let buf = Vec::with_capacity(CHUNK);
        match self {
            Reader::Tcp(s) => owned(cut(wait, first, s.read(buf)).await, got),
            Reader::Unix(s) => owned(cut(wait, first, s.read(buf)).await, got),
            Reader::Pipe(p) => owned(cut(wait, first, p.read(buf)).await, got),
            Reader::TcpBuf(s, dst) => {
                let r = cut(wait, first, s.read_buf(dst)).await;
                appended(r, dst, got)
            }
            Reader::UnixBuf(s, dst) => {
                let r = cut(wait, first, s.read_buf(dst)).await;
                appended(r, dst, got)
            }
            Reader::Stream { reader, .. } => match cut(wait, first, reader.read(CHUNK)).await {
                None => Ok(Step::Dropped),
                Some(Ok(b)) if b.is_empty() => Ok(Step::Eof),
                Some(Ok(b)) => {
                    got.extend_from_slice(&b);
                    Ok(Step::Data)
                }
                Some(Err(e)) => Err(e.into()),
            },
        }
    }
}

/// Writes the first `total` bytes of the pattern to `out` in chunks,
/// pausing now and then (0.5 to 3 ms) so that reads wait, time out, and
/// race the data's arrival. Runs on a thread of its own (or in the child),
/// so data arrives at any moment of the loop's cycle.
pub fn write_paced(mut out: impl Write, total: usize) -> io::Result<()> {
    let mut rng = Rng::new(total as u64);
    let mut sent = 0;
    while sent < total {
        let n = WRITE_CHUNK.min(total - sent);
        out.write_all(&pattern::chunk(sent, n))?;
        out.flush()?;
        sent += n;
        if rng.below(4) == 0 {
            std::thread::sleep(Duration::from_micros(500 + rng.below(2500)));
        }
    }
    Ok(())
}

/// Writes the pattern to stdout: the child of [`Kind::Child`].
pub fn emit_pattern(total: usize) -> io::Result<()> {
    write_paced(io::stdout().lock(), total)
}

/// A pipe: the read end for the loop, the write end as a `File`.
fn os_pipe() -> io::Result<(PipeReader, File)> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` is a valid array of two ints for pipe2 to fill.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: pipe2 just made these two fds; nothing else owns them.
    let (r, w) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    Ok((PipeReader::from_owned_fd(r), File::from(w)))
}

type Sink = Box<dyn Write + Send>;

/// Runs the dropped-read scenario on reader `kind`.
pub fn run(kind: Kind, scale: Scale) -> Outcome {
    let total: usize = scale.pick(1 << 20, 16 << 20);
    let (got, dropped, took) = ringio::run(async move {
        let mut child = None;
        let (reader, sink): (Reader, Option<Sink>) = match kind {
            Kind::Tcp | Kind::TcpReadBuf | Kind::Stream => {
                let listener = TcpListener::bind("127.0.0.1:0").await?;
                let client = std::net::TcpStream::connect(listener.local_addr()?)?;
                let (server, _) = listener.accept().await?;
                let reader = match kind {
                    Kind::Tcp => Reader::Tcp(server),
                    Kind::TcpReadBuf => Reader::TcpBuf(server, BytesMut::new()),
                    _ => {
                        let (r, w) = ringio::streams::from_tcp(server, StreamOptions::new())?;
                        Reader::Stream {
                            reader: r,
                            _writer: w,
                        }
                    }
                };
                (reader, Some(Box::new(client)))
            }
            Kind::Unix | Kind::UnixReadBuf => {
                let (a, b) = std::os::unix::net::UnixStream::pair()?;
                let b = UnixStream::from_std(b)?;
                let reader = if kind == Kind::Unix {
                    Reader::Unix(b)
                } else {
                    Reader::UnixBuf(b, BytesMut::new())
                };
                (reader, Some(Box::new(a)))
            }
            Kind::Pipe => {
                let (r, w) = os_pipe()?;
                (Reader::Pipe(r), Some(Box::new(w)))
            }
            Kind::Child => {
                let mut c = Command::new(std::env::current_exe()?)
                    .arg("emit-pattern")
                    .arg(total.to_string())
                    .stdout(Stdio::piped())
                    .spawn()?;
                let out = c
                    .stdout
                    .take()
                    .ok_or_else(|| io::Error::other("the child has no piped stdout"))?;
                child = Some(c);
                (Reader::Pipe(out), None)
            }
        };
        let writer = sink.map(|w| std::thread::spawn(move || write_paced(w, total)));
        let start = Instant::now();
        let mut reader = reader;
        let mut got: Vec<u8> = Vec::with_capacity(total + CHUNK);
        let mut dropped = 0u64;
        let mut attempt = 0u64;
        loop {
            // Tiny, varying timeouts: many reads are dropped while data
            // flows, some of them racing their completion.
            let wait = Duration::from_micros(20 + (attempt % 7) * 40);
            attempt += 1;
            match reader.attempt(wait, attempt % 2 == 0, &mut got).await? {
                Step::Dropped => dropped += 1,
                Step::Data => {}
                Step::Eof => break,
            }
            if start.elapsed() > Duration::from_secs(120) {
                return Err(io::Error::other("no end of stream after 120 s"));
            }
        }
        if let Some(w) = writer {
            w.join()
                .map_err(|_| io::Error::other("the writer thread panicked"))??;
        }
        if let Some(mut c) = child {
            let status = c.wait().await?;
            if !status.success() {
                return Err(io::Error::other(format!("the child failed: {status}")));
            }
        }
        Ok::<_, io::Error>((got, dropped, start.elapsed()))
    })??;
    let name = kind.name();
    let wrong = first_mismatch(&got, total);
    let lost = total as i64 - got.len() as i64;
    let value = match wrong {
        None => "0".to_string(),
        Some(at) => format!("{lost} (first wrong byte at offset {at})"),
    };
    Ok(vec![
        Figure::new(
            format!("dropped_reads_{name}_lost_bytes"),
            value,
            format!("bytes lost (+) or repeated (-) of {total}"),
            "limit 0: byte-exact",
            wrong.is_none(),
        ),
        Figure::new(
            format!("dropped_reads_{name}_cancelled"),
            dropped,
            format!("reads dropped in {:.2} s", took.as_secs_f64()),
            "at least 100, or the scenario tested nothing",
            dropped >= 100,
        ),
    ])
}
