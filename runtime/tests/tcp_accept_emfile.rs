//! accept under a low RLIMIT_NOFILE fails with EMFILE, and the listener
//! recovers once an fd is free. The limit is process-wide, so the test runs
//! in a child process (this binary re-executed with an env var); this is a
//! `harness = false` test.

mod child;

use std::net::TcpStream as StdStream;
use std::time::Duration;

use ringio_runtime::net::TcpListener;
use ringio_runtime::time::sleep;
use ringio_runtime::Runtime;

const CHILD: &str = "RINGIO_TEST_ACCEPT_EMFILE_CHILD";

fn main() {
    child::run_in_child(CHILD, "accept_recovers_after_emfile", "recovered", child);
}

/// The lowest fd number free now.
fn lowest_free_fd() -> i32 {
    // SAFETY: dup of stdin's fd; closed at once.
    let fd = unsafe { libc::fcntl(0, libc::F_DUPFD, 0) };
    assert!(fd >= 0);
    // SAFETY: we just made this fd.
    unsafe { libc::close(fd) };
    fd
}

fn child() {
    let rt = Runtime::new().expect("a runtime");
    rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        // Two connections wait in the backlog (their client fds are ours).
        let _c1 = StdStream::connect(addr).unwrap();
        let _c2 = StdStream::connect(addr).unwrap();
        // Let the loop settle (eventfd, first submits) before the limit.
        sleep(Duration::from_millis(10)).await;
        let free = lowest_free_fd() as libc::rlim_t;
        let lim = libc::rlimit {
            rlim_cur: free + 1,
            rlim_max: libc::RLIM_INFINITY,
        };
        let mut old = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: valid pointers to rlimit structs.
        unsafe {
            assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut old), 0);
        }
        let lim = libc::rlimit {
            rlim_max: old.rlim_max,
            ..lim
        };
        // SAFETY: as above.
        assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) }, 0);
        // One fd left: the first accept fits, the second does not.
        let (first, _) = listener.accept().await.expect("the first accept fits");
        let err = listener
            .accept()
            .await
            .expect_err("no fd left for a second");
        assert_eq!(err.raw_os_error(), Some(libc::EMFILE), "{err}");
        println!("second accept: {err}");
        // Free an fd: the listener accepts the waiting connection.
        drop(first);
        sleep(Duration::from_millis(10)).await;
        let (second, peer) = listener
            .accept()
            .await
            .expect("accept after EMFILE cleared");
        assert_eq!(peer, _c2.local_addr().unwrap());
        drop(second);
        // SAFETY: as above.
        assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &old) }, 0);
        println!("recovered");
    })
    .expect("the loop runs");
}
