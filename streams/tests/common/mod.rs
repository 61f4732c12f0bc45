//! Helpers shared by the stream tests: a bounded run, and a loopback pair.
#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

use ringio_runtime::time::timeout;

/// Runs `fut` on a fresh loop, failing the test if it takes over 10 s.
pub fn run<F: Future>(fut: F) -> F::Output {
    ringio_runtime::run(async {
        timeout(Duration::from_secs(10), fut)
            .await
            .expect("the test took over 10 s: something hangs")
    })
    .expect("a ringio loop")
}

/// A temporary directory for Unix sockets, removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "ringio-streams-{tag}-{}-{:?}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos()
        ));
        std::fs::create_dir_all(&dir).expect("create a temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// RLIMIT_NOFILE now.
pub fn nofile() -> libc::rlimit {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: a valid pointer to an rlimit struct.
    assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) }, 0);
    lim
}

/// Sets the soft RLIMIT_NOFILE (process-wide).
pub fn set_nofile(cur: libc::rlim_t) {
    let lim = libc::rlimit {
        rlim_cur: cur,
        ..nofile()
    };
    // SAFETY: a valid pointer to an rlimit struct.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) }, 0);
}
