//! Files on the ring: [`File`], [`OpenOptions`], [`Metadata`], and the
//! whole-file helpers, each one io_uring operation (`OPENAT`, `READ`,
//! `WRITE`, `STATX`, `FSYNC`, `UNLINKAT`, `RENAMEAT`, `MKDIRAT`).
//!
//! ```
//! # let dir = std::env::temp_dir().join(format!("ringio-fs-doc-{}", std::process::id()));
//! use ringio::fs;
//!
//! ringio::run(async {
//!     fs::create_dir(&dir).await?;
//!     fs::write(dir.join("a"), b"contents".to_vec()).await?;
//!     fs::rename(dir.join("a"), dir.join("b")).await?;
//!     assert_eq!(fs::read(dir.join("b")).await?, b"contents");
//!     fs::remove_file(dir.join("b")).await?;
//!     fs::remove_dir(&dir).await
//! })
//! .unwrap()
//! .unwrap();
//! ```

mod file;
mod metadata;
mod open_options;
mod path;

pub use file::File;
pub use metadata::Metadata;
pub use open_options::OpenOptions;

use std::io;
use std::path::Path;

use crate::buf::IoBuf;
use crate::context;
use crate::driver::op::mkdirat::MkDirAt;
use crate::driver::op::renameat::RenameAt;
use crate::driver::op::statx::Statx;
use crate::driver::op::unlinkat::UnlinkAt;
use crate::driver::op::Op;
use path::cstr;

/// Reads the whole file at `path`.
pub async fn read<P: AsRef<Path>>(path: P) -> io::Result<Vec<u8>> {
    let file = File::open(path).await?;
    let size = file.metadata().await?.len();
    let cap = usize::try_from(size)
        .unwrap_or(usize::MAX)
        .saturating_add(1)
        .max(4096);
    let mut buf = Vec::with_capacity(cap);
    loop {
        let len = buf.len();
        if len == buf.capacity() {
            buf.reserve(len.max(4096));
        }
        let cap = buf.capacity();
        let (res, b) = file.read_at(buf.slice(len..cap), len as u64).await;
        buf = b.into_inner();
        match res {
            Ok(0) => return Ok(buf),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Writes `contents` to `path`, creating or truncating it.
pub async fn write<P: AsRef<Path>, B: IoBuf>(path: P, contents: B) -> io::Result<()> {
    let file = File::create(path).await?;
    file.write_all_at(contents, 0).await.0
}

/// Removes the file at `path`.
pub async fn remove_file<P: AsRef<Path>>(path: P) -> io::Result<()> {
    let op = UnlinkAt {
        path: cstr(path.as_ref())?,
        dir: false,
    };
    Op::submit(context::driver(), op).await.result.map(drop)
}

/// Removes the empty directory at `path`.
pub async fn remove_dir<P: AsRef<Path>>(path: P) -> io::Result<()> {
    let op = UnlinkAt {
        path: cstr(path.as_ref())?,
        dir: true,
    };
    Op::submit(context::driver(), op).await.result.map(drop)
}

/// Renames `from` to `to`, replacing `to` if it exists.
pub async fn rename<P: AsRef<Path>, Q: AsRef<Path>>(from: P, to: Q) -> io::Result<()> {
    let op = RenameAt {
        from: cstr(from.as_ref())?,
        to: cstr(to.as_ref())?,
    };
    Op::submit(context::driver(), op).await.result.map(drop)
}

/// Creates the directory `path` (its parent must exist).
pub async fn create_dir<P: AsRef<Path>>(path: P) -> io::Result<()> {
    let op = MkDirAt {
        path: cstr(path.as_ref())?,
        mode: 0o777,
    };
    Op::submit(context::driver(), op).await.result.map(drop)
}

/// Metadata of `path`, following symbolic links.
pub async fn metadata<P: AsRef<Path>>(path: P) -> io::Result<Metadata> {
    stat(path.as_ref(), false).await
}

/// Metadata of `path` itself, not following a symbolic link.
pub async fn symlink_metadata<P: AsRef<Path>>(path: P) -> io::Result<Metadata> {
    stat(path.as_ref(), true).await
}

async fn stat(path: &Path, nofollow: bool) -> io::Result<Metadata> {
    let done = Op::submit(context::driver(), Statx::path(cstr(path)?, nofollow)).await;
    done.result?;
    Ok(Metadata::new(*done.data.out))
}
