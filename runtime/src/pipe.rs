//! Anonymous pipes on the ring: `pipe()`, `PipeReader`, `PipeWriter`.
//!
//! ```
//! ringio::run(async {
//!     let (reader, writer) = ringio::pipe::pipe()?;
//!     let (res, _) = writer.write(b"ping".to_vec()).await;
//!     assert_eq!(res?, 4);
//!     let (res, buf) = reader.read(Vec::with_capacity(16)).await;
//!     assert_eq!(&buf[..res?], b"ping");
//!     Ok::<(), std::io::Error>(())
//! })
//! .unwrap()
//! .unwrap();
//! ```

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::rc::Rc;

use crate::buf::{self, IoBuf, IoBufMut};
use crate::context;
use crate::driver::op::read::Read;
use crate::driver::op::write::Write;
use crate::driver::op::Op;
use crate::error::no_runtime;
use crate::fd::RingFd;
use crate::stash::StreamStash;

/// Creates a pipe (close-on-exec): bytes written to the writer are read
/// from the reader.
pub fn pipe() -> io::Result<(PipeReader, PipeWriter)> {
    let (r, w) = pipe_fds()?;
    Ok((PipeReader::from_owned_fd(r), PipeWriter::from_owned_fd(w)))
}

/// Creates a pipe (close-on-exec) as two plain fds, `(read end, write
/// end)`: for an end to hand to a child process (`Stdio::from(fd)`), such
/// as one write end given as both a child's stdout and its stderr.
pub fn pipe_fds() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` is a valid array of two ints for pipe2 to fill.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: pipe2 succeeded: both fds are open and owned by nothing else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// The read end of a pipe (also a child's stdout and stderr).
///
/// A read dropped in flight (a timeout) loses nothing: bytes it had already
/// taken out of the pipe are kept and returned first by the next read. So
/// that they stay in order, reads on one reader take turns: a read waits
/// while another is in flight.
#[derive(Debug)]
pub struct PipeReader {
    fd: RingFd,
    /// Bytes of reads dropped after the kernel had filled them.
    stash: Rc<StreamStash>,
}

/// The write end of a pipe.
#[derive(Debug)]
pub struct PipeWriter {
    fd: RingFd,
}

impl PipeReader {
    /// Wraps an fd that is the read end of a pipe (or any readable stream).
    pub fn from_owned_fd(fd: OwnedFd) -> PipeReader {
        PipeReader::from_raw(fd.into_raw_fd())
    }

    fn from_raw(fd: RawFd) -> PipeReader {
        PipeReader {
            fd: RingFd::new(fd),
            stash: Rc::default(),
        }
    }

    /// Reads up to `buf.bytes_total()` bytes into `buf`; `Ok(0)` at end of
    /// stream. The buffer comes back in every case.
    ///
    /// Dropping the future (a timeout) is safe and loses no byte: the read
    /// is cancelled and its buffer freed once the kernel lets go of it, and
    /// bytes it had already taken out of the pipe are returned by the next
    /// read, before any newer ones.
    pub async fn read<B: IoBufMut>(&self, mut buf: B) -> (io::Result<usize>, B) {
        if !context::is_running() {
            return (Err(no_runtime()), buf);
        }
        let turn = self.stash.turn().await;
        if let Some(n) = self.stash.take_into(&mut buf) {
            return (Ok(n), buf);
        }
        // The read below holds the turn; its completion ends it.
        turn.hand_over();
        let done = Op::submit(
            context::driver(),
            Read {
                fd: self.fd.as_raw_fd(),
                buf,
                offset: u64::MAX,
                stash: Some(self.stash.clone()),
            },
        )
        .await;
        let mut buf = done.data.buf;
        self.stash.finish();
        // SAFETY: the result is the read's into `buf`.
        let res = unsafe { buf::bytes_read(done.result, &mut buf) };
        (res, buf)
    }
}

impl PipeWriter {
    /// Wraps an fd that is the write end of a pipe (or any writable stream).
    pub fn from_owned_fd(fd: OwnedFd) -> PipeWriter {
        PipeWriter {
            fd: RingFd::new(fd.into_raw_fd()),
        }
    }

    /// Writes the initialised bytes of `buf`; returns how many were taken.
    pub async fn write<B: IoBuf>(&self, buf: B) -> (io::Result<usize>, B) {
        write(self.fd.as_raw_fd(), buf).await
    }

    /// Writes all of `buf`, looping over short writes.
    pub async fn write_all<B: IoBuf>(&self, buf: B) -> (io::Result<()>, B) {
        let total = buf.bytes_init();
        let mut slice = buf.slice(..total);
        let mut done = 0;
        while done < total {
            let (res, s) = write(self.fd.as_raw_fd(), slice).await;
            let inner = s.into_inner();
            match res {
                Ok(0) => {
                    return (
                        Err(io::Error::new(
                            io::ErrorKind::WriteZero,
                            "pipe accepted no bytes",
                        )),
                        inner,
                    )
                }
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return (Err(e), inner),
            }
            slice = inner.slice(done..total);
        }
        (Ok(()), slice.into_inner())
    }
}

impl AsRawFd for PipeReader {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl AsRawFd for PipeWriter {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl From<OwnedFd> for PipeReader {
    fn from(fd: OwnedFd) -> Self {
        PipeReader::from_owned_fd(fd)
    }
}

impl From<OwnedFd> for PipeWriter {
    fn from(fd: OwnedFd) -> Self {
        PipeWriter::from_owned_fd(fd)
    }
}

/// Writes `buf` to a stream fd at its current position.
pub(crate) async fn write<B: IoBuf>(fd: RawFd, buf: B) -> (io::Result<usize>, B) {
    let done = Op::submit(
        context::driver(),
        Write {
            fd,
            buf,
            offset: u64::MAX,
        },
    )
    .await;
    (done.result.map(|n| n as usize), done.data.buf)
}
