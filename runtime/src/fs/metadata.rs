//! `Metadata`: what `statx(2)` says about a file.

use std::io;
use std::time::{Duration, SystemTime};

/// Metadata of a file, from `statx` on the ring
/// ([`crate::fs::File::metadata`], [`crate::fs::metadata`]).
#[derive(Clone, Copy)]
pub struct Metadata {
    stx: libc::statx,
}

impl std::fmt::Debug for Metadata {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metadata")
            .field("len", &self.len())
            .field("mode", &format_args!("{:o}", self.mode()))
            .field("is_dir", &self.is_dir())
            .finish_non_exhaustive()
    }
}

impl Metadata {
    pub(crate) fn new(stx: libc::statx) -> Metadata {
        Metadata { stx }
    }

    /// Size in bytes.
    pub fn len(&self) -> u64 {
        self.stx.stx_size
    }

    /// Whether the size is zero.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn kind(&self) -> u32 {
        u32::from(self.stx.stx_mode) & libc::S_IFMT
    }

    /// A regular file.
    pub fn is_file(&self) -> bool {
        self.kind() == libc::S_IFREG
    }

    /// A directory.
    pub fn is_dir(&self) -> bool {
        self.kind() == libc::S_IFDIR
    }

    /// A symbolic link (only from [`crate::fs::symlink_metadata`]).
    pub fn is_symlink(&self) -> bool {
        self.kind() == libc::S_IFLNK
    }

    /// The mode: file type and permission bits (`st_mode`).
    pub fn mode(&self) -> u32 {
        u32::from(self.stx.stx_mode)
    }

    /// Owner's user id.
    pub fn uid(&self) -> u32 {
        self.stx.stx_uid
    }

    /// Owner's group id.
    pub fn gid(&self) -> u32 {
        self.stx.stx_gid
    }

    /// Inode number.
    pub fn ino(&self) -> u64 {
        self.stx.stx_ino
    }

    /// Number of hard links.
    pub fn nlink(&self) -> u32 {
        self.stx.stx_nlink
    }

    /// Last modification time.
    pub fn modified(&self) -> io::Result<SystemTime> {
        to_time(self.stx.stx_mtime, libc::STATX_MTIME, self.stx.stx_mask)
    }

    /// Last access time.
    pub fn accessed(&self) -> io::Result<SystemTime> {
        to_time(self.stx.stx_atime, libc::STATX_ATIME, self.stx.stx_mask)
    }

    /// Creation time, where the filesystem records it.
    pub fn created(&self) -> io::Result<SystemTime> {
        to_time(self.stx.stx_btime, libc::STATX_BTIME, self.stx.stx_mask)
    }
}

fn to_time(t: libc::statx_timestamp, bit: u32, mask: u32) -> io::Result<SystemTime> {
    if mask & bit == 0 {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "this filesystem does not record that time",
        ));
    }
    let d = Duration::new(t.tv_sec.unsigned_abs(), t.tv_nsec);
    let time = if t.tv_sec >= 0 {
        SystemTime::UNIX_EPOCH.checked_add(d)
    } else {
        SystemTime::UNIX_EPOCH.checked_sub(d)
    };
    time.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "timestamp out of range"))
}
