//! `File`: positional reads and writes on the ring.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::path::Path;

use super::{Metadata, OpenOptions};
use crate::blocking::try_spawn_blocking;
use crate::buf::{self, IoBuf, IoBufMut};
use crate::context;
use crate::driver::op::fsync::Fsync;
use crate::driver::op::read::Read;
use crate::driver::op::statx::Statx;
use crate::driver::op::write::Write;
use crate::driver::op::Op;
use crate::fd::RingFd;

/// An open file. Every read and write names its offset (`read_at`,
/// `write_at`): there is no shared cursor, so many operations on one file
/// can be in flight at once.
///
/// ```
/// # let dir = std::env::temp_dir().join(format!("ringio-file-doc-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// # let path = dir.join("f");
/// use ringio::fs::File;
///
/// ringio::run(async {
///     let f = File::options().read(true).write(true).create(true).open(&path).await?;
///     let (res, _) = f.write_all_at(&b"hello, world"[..], 0).await;
///     res?;
///     let (res, buf) = f.read_at(vec![0u8; 5], 7).await;
///     assert_eq!(&buf[..res?], b"world");
///     assert_eq!(f.metadata().await?.len(), 12);
///     Ok::<(), std::io::Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[derive(Debug)]
pub struct File {
    fd: RingFd,
}

impl File {
    pub(crate) fn from_raw(fd: RawFd) -> File {
        File {
            fd: RingFd::new(fd),
        }
    }

    /// Opens `path` for reading.
    pub async fn open<P: AsRef<Path>>(path: P) -> io::Result<File> {
        OpenOptions::new().read(true).open(path).await
    }

    /// Opens `path` for writing, creating it or truncating it.
    pub async fn create<P: AsRef<Path>>(path: P) -> io::Result<File> {
        OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .await
    }

    /// Options for opening a file.
    pub fn options() -> OpenOptions {
        OpenOptions::new()
    }

    /// Takes over a std file.
    pub fn from_std(file: std::fs::File) -> File {
        File::from_raw(file.into_raw_fd())
    }

    /// Reads up to `buf.bytes_total()` bytes at offset `pos` into the start
    /// of `buf`; `Ok(0)` at end of file.
    ///
    /// Dropping the future (a timeout) cancels the read and loses nothing:
    /// a positional read has no side effect on the file (no position to
    /// move), so what it may have read is simply read again by the next
    /// call at the same offset. The buffer is freed once the kernel lets go
    /// of it.
    pub async fn read_at<B: IoBufMut>(&self, buf: B, pos: u64) -> (io::Result<usize>, B) {
        let done = Op::submit(
            context::driver(),
            Read {
                fd: self.fd.as_raw_fd(),
                buf,
                offset: pos,
                stash: None,
            },
        )
        .await;
        let mut buf = done.data.buf;
        // SAFETY: the result is the read's into `buf`.
        let res = unsafe { buf::bytes_read(done.result, &mut buf) };
        (res, buf)
    }

    /// Fills all of `buf` (`bytes_total()` bytes) from offset `pos`;
    /// `UnexpectedEof` if the file ends first (the bytes read stay in
    /// `buf`). Dropping the future loses only the buffer (and the bytes read
    /// into it so far); the file is untouched, as for [`read_at`](Self::read_at).
    pub async fn read_exact_at<B: IoBufMut>(&self, buf: B, pos: u64) -> (io::Result<()>, B) {
        let total = buf.bytes_total();
        let mut done = 0;
        let mut slice = buf.slice(0..total);
        while done < total {
            let (res, s) = self.read_at(slice, pos + done as u64).await;
            let inner = s.into_inner();
            match res {
                Ok(0) => {
                    return (
                        Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "the file ended before the buffer was filled",
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

    /// Writes the initialised bytes of `buf` at offset `pos`; returns how
    /// many were written.
    pub async fn write_at<B: IoBuf>(&self, buf: B, pos: u64) -> (io::Result<usize>, B) {
        let done = Op::submit(
            context::driver(),
            Write {
                fd: self.fd.as_raw_fd(),
                buf,
                offset: pos,
            },
        )
        .await;
        (done.result.map(|n| n as usize), done.data.buf)
    }

    /// Writes all of `buf` at offset `pos`, looping over short writes.
    pub async fn write_all_at<B: IoBuf>(&self, buf: B, pos: u64) -> (io::Result<()>, B) {
        let total = buf.bytes_init();
        let mut done = 0;
        let mut slice = buf.slice(0..total);
        while done < total {
            let (res, s) = self.write_at(slice, pos + done as u64).await;
            let inner = s.into_inner();
            match res {
                Ok(0) => return (Err(io::ErrorKind::WriteZero.into()), inner),
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return (Err(e), inner),
            }
            slice = inner.slice(done..total);
        }
        (Ok(()), slice.into_inner())
    }

    /// Flushes data and metadata to the device (`fsync`).
    pub async fn sync_all(&self) -> io::Result<()> {
        self.fsync(false).await
    }

    /// Flushes data, and only the metadata needed to read it (`fdatasync`).
    pub async fn sync_data(&self) -> io::Result<()> {
        self.fsync(true).await
    }

    async fn fsync(&self, datasync: bool) -> io::Result<()> {
        let op = Fsync {
            fd: self.fd.as_raw_fd(),
            datasync,
        };
        Op::submit(context::driver(), op).await.result.map(drop)
    }

    /// The file's metadata (`statx` on the ring).
    pub async fn metadata(&self) -> io::Result<Metadata> {
        let done = Op::submit(context::driver(), Statx::fd(self.fd.as_raw_fd())).await;
        done.result?;
        Ok(Metadata::new(*done.data.out))
    }

    /// Truncates or extends the file to `len` bytes.
    ///
    /// The io_uring crate has no `FTRUNCATE` opcode yet, so this runs
    /// `ftruncate(2)` on the blocking pool (freeing a large file's blocks
    /// can take long), on a duplicate of the fd so that dropping the
    /// future or the file never leaves the job holding a reused fd number.
    pub async fn set_len(&self, len: u64) -> io::Result<()> {
        let len = libc::off_t::try_from(len)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "length too large"))?;
        // SAFETY: plain system call on an fd we keep open.
        let dup = unsafe { libc::fcntl(self.fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 0) };
        if dup < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `dup` is a new fd that nothing else owns.
        let dup = unsafe { OwnedFd::from_raw_fd(dup) };
        let job = try_spawn_blocking(move || {
            // SAFETY: plain system call on an fd the closure owns.
            if unsafe { libc::ftruncate(dup.as_raw_fd(), len) } < 0 {
                Err(io::Error::last_os_error())
            } else {
                Ok(())
            }
        })?;
        job.await.map_err(io::Error::from)?
    }
}

impl AsRawFd for File {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}
