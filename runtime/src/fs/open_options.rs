//! `OpenOptions`: how to open a file, as std's.

use std::io;
use std::path::Path;

use super::path::cstr;
use super::File;
use crate::context;
use crate::driver::op::openat::OpenAt;
use crate::driver::op::Op;

/// Options for opening a file on the ring (`IORING_OP_OPENAT`), with
/// std's meaning for each flag.
///
/// ```
/// # let dir = std::env::temp_dir().join(format!("ringio-oo-doc-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// # let path = dir.join("f");
/// use ringio::fs::OpenOptions;
///
/// ringio::run(async {
///     let f = OpenOptions::new().write(true).create(true).open(&path).await?;
///     let (res, _) = f.write_all_at(&b"abc"[..], 0).await;
///     res
/// })
/// .unwrap()
/// .unwrap();
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct OpenOptions {
    read: bool,
    write: bool,
    append: bool,
    truncate: bool,
    create: bool,
    create_new: bool,
    mode: u32,
    custom_flags: i32,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            read: false,
            write: false,
            append: false,
            truncate: false,
            create: false,
            create_new: false,
            mode: 0o666,
            custom_flags: 0,
        }
    }
}

impl OpenOptions {
    /// All options off; mode 0o666 (less the umask) for created files.
    pub fn new() -> Self {
        Self::default()
    }

    /// Open for reading.
    pub fn read(&mut self, on: bool) -> &mut Self {
        self.read = on;
        self
    }

    /// Open for writing.
    pub fn write(&mut self, on: bool) -> &mut Self {
        self.write = on;
        self
    }

    /// Open for appending (implies writing).
    pub fn append(&mut self, on: bool) -> &mut Self {
        self.append = on;
        self
    }

    /// Truncate to length 0 (needs writing).
    pub fn truncate(&mut self, on: bool) -> &mut Self {
        self.truncate = on;
        self
    }

    /// Create the file if it does not exist (needs writing).
    pub fn create(&mut self, on: bool) -> &mut Self {
        self.create = on;
        self
    }

    /// Create the file, failing with `AlreadyExists` if it exists.
    pub fn create_new(&mut self, on: bool) -> &mut Self {
        self.create_new = on;
        self
    }

    /// Permission bits of a created file.
    pub fn mode(&mut self, mode: u32) -> &mut Self {
        self.mode = mode;
        self
    }

    /// Extra `open(2)` flags (`O_DIRECT`, `O_NOATIME`, ...).
    pub fn custom_flags(&mut self, flags: i32) -> &mut Self {
        self.custom_flags = flags;
        self
    }

    fn flags(&self) -> io::Result<i32> {
        let access = match (self.read, self.write || self.append) {
            (true, false) => libc::O_RDONLY,
            (false, true) => libc::O_WRONLY,
            (true, true) => libc::O_RDWR,
            (false, false) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "open a file for reading, writing or appending",
                ))
            }
        };
        let writes = self.write || self.append;
        if (self.truncate || self.create || self.create_new) && !writes {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "truncate and create need write or append access",
            ));
        }
        let mut flags = access | self.custom_flags;
        if self.append {
            flags |= libc::O_APPEND;
        }
        if self.truncate && !self.create_new {
            flags |= libc::O_TRUNC;
        }
        if self.create_new {
            flags |= libc::O_CREAT | libc::O_EXCL;
        } else if self.create {
            flags |= libc::O_CREAT;
        }
        Ok(flags)
    }

    /// Opens `path` with these options.
    pub async fn open<P: AsRef<Path>>(&self, path: P) -> io::Result<File> {
        let op = OpenAt {
            path: cstr(path.as_ref())?,
            flags: self.flags()?,
            mode: self.mode,
        };
        let fd = Op::submit(context::driver(), op).await.result?;
        Ok(File::from_raw(fd as i32))
    }
}
