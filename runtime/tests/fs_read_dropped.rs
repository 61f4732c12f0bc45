//! A positional file read dropped in flight has no side effect: the file
//! has no cursor to move, so reading again at the same offset gets the
//! same bytes, and the whole file is reconstructed exactly.

#[path = "support/dropped_reads.rs"]
mod dropped_reads;

use std::cell::Cell;
use std::io;
use std::os::fd::AsRawFd;
use std::path::PathBuf;

use dropped_reads::{assert_pattern, chunk, read_to_end_dropping, Reader};
use ringio_runtime::fs::File;
use ringio_runtime::run;

const SIZE: usize = 1 << 20;

/// A file removed when dropped.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Reads a file from its start with `read_at`, at the offset after the
/// bytes the completed reads got (a dropped read does not count).
struct Sequential<'a> {
    file: &'a File,
    pos: Cell<u64>,
    /// Evict the range from the page cache before each read: on epoll a
    /// read of cached pages is served at submission (`RWF_NOWAIT`) and is
    /// never in flight to be dropped; evicted, it goes to the blocking
    /// pool, the path this test is about there.
    evict: bool,
}

impl Reader for Sequential<'_> {
    async fn read(&self, buf: Vec<u8>) -> (io::Result<usize>, Vec<u8>) {
        if self.evict {
            // SAFETY: posix_fadvise on an fd the file owns; advice only.
            unsafe {
                // The whole file (only whole pages are ever evicted).
                libc::posix_fadvise(self.file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED)
            };
        }
        let (res, buf) = self.file.read_at(buf, self.pos.get()).await;
        if let Ok(n) = &res {
            self.pos.set(self.pos.get() + *n as u64);
        }
        (res, buf)
    }
}

#[test]
fn dropped_read_at_moves_nothing_and_loses_nothing() {
    let path = std::env::temp_dir().join(format!("ringio-read-dropped-{}", std::process::id()));
    std::fs::write(&path, chunk(0, SIZE)).unwrap();
    // On disk, so that its cached pages are clean and can be evicted.
    std::fs::File::open(&path).unwrap().sync_all().unwrap();
    let _file = TempFile(path.clone());
    run(async move {
        let file = File::open(&path).await.unwrap();
        let reader = Sequential {
            file: &file,
            pos: Cell::new(0),
            evict: ringio_runtime::Backend::current() == Some(ringio_runtime::Backend::Epoll),
        };
        let (got, dropped) = read_to_end_dropping(&reader).await;
        assert_pattern(&got, SIZE, dropped);
        // SAFETY: lseek on an fd the file owns, only asking for the offset.
        let pos = unsafe { libc::lseek(file.as_raw_fd(), 0, libc::SEEK_CUR) };
        assert_eq!(pos, 0, "a positional read moved the file's offset");
    })
    .unwrap();
}
