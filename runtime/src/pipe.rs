//! Anonymous pipes on the ring: `pipe()`, `PipeReader`, `PipeWriter`.
//!
//! ```
//! ringio_runtime::run(async {
//!     let (reader, writer) = ringio_runtime::pipe::pipe()?;
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
use std::os::fd::{AsRawFd, IntoRawFd, OwnedFd, RawFd};

use crate::buf::{IoBuf, IoBufMut};
use crate::driver::op::read::Read;
use crate::driver::op::write::Write;
use crate::driver::op::Op;
use crate::fd::RingFd;

/// Creates a pipe (close-on-exec): bytes written to the writer are read
/// from the reader.
pub fn pipe() -> io::Result<(PipeReader, PipeWriter)> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` is a valid array of two ints for pipe2 to fill.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok((
        PipeReader {
            fd: RingFd::new(fds[0]),
        },
        PipeWriter {
            fd: RingFd::new(fds[1]),
        },
    ))
}

/// The read end of a pipe.
#[derive(Debug)]
pub struct PipeReader {
    fd: RingFd,
}

/// The write end of a pipe.
#[derive(Debug)]
pub struct PipeWriter {
    fd: RingFd,
}

impl PipeReader {
    /// Wraps an fd that is the read end of a pipe (or any readable stream).
    pub fn from_owned_fd(fd: OwnedFd) -> PipeReader {
        PipeReader {
            fd: RingFd::new(fd.into_raw_fd()),
        }
    }

    /// Reads up to `buf.bytes_total()` bytes into `buf`; `Ok(0)` at end of
    /// stream. The buffer comes back in every case; if the future is dropped
    /// first, the read is cancelled and the buffer freed once the kernel
    /// lets go of it.
    pub async fn read<B: IoBufMut>(&self, buf: B) -> (io::Result<usize>, B) {
        read(self.fd.as_raw_fd(), buf).await
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

/// Reads into `buf` from a stream fd at its current position.
pub(crate) async fn read<B: IoBufMut>(fd: RawFd, buf: B) -> (io::Result<usize>, B) {
    let done = Op::submit(Read {
        fd,
        buf,
        offset: u64::MAX,
    })
    .await;
    let mut buf = done.data.buf;
    let res = done.result.map(|n| {
        // SAFETY: the kernel wrote `n` bytes at the start of the buffer.
        unsafe { buf.set_init(n as usize) };
        n as usize
    });
    (res, buf)
}

/// Writes `buf` to a stream fd at its current position.
pub(crate) async fn write<B: IoBuf>(fd: RawFd, buf: B) -> (io::Result<usize>, B) {
    let done = Op::submit(Write {
        fd,
        buf,
        offset: u64::MAX,
    })
    .await;
    (done.result.map(|n| n as usize), done.data.buf)
}
