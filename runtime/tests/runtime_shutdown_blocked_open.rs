//! Dropping the runtime while an operation is blocked where nothing will
//! answer (opening a FIFO that no writer opens) returns promptly: within
//! the shutdown grace. On epoll the open runs on the blocking pool, which
//! cannot be interrupted, so the loop stops waiting for it after the grace
//! and never frees what the call may still use. CI runs this with
//! `RINGIO_BACKEND=epoll`; on io_uring the open does not block.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::time::{Duration, Instant};

use ringio_runtime::{Backend, Runtime};

#[test]
fn a_blocked_open_does_not_hold_the_runtime_drop() {
    let dir = std::env::temp_dir().join(format!("ringio-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("fifo");
    let c = CString::new(fifo.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid C string path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);

    let rt = Runtime::builder()
        .shutdown_grace(Duration::from_millis(300))
        .build()
        .unwrap();
    let path = fifo.clone();
    let opening = rt.spawn(async move { ringio_runtime::fs::File::open(&path).await.map(drop) });
    rt.block_on(ringio_runtime::time::sleep(Duration::from_millis(50)))
        .unwrap();
    if rt.backend() == Backend::Epoll {
        // (io_uring's first, non-blocking try of the open succeeds on a
        // FIFO; on epoll open(2) blocks on the pool.)
        assert!(!opening.is_finished(), "the open waits for a writer");
    }
    // A safety valve, so that a drop that waits for the open fails the
    // test below instead of hanging it: a writer comes after 10 s (or as
    // soon as the drop returned).
    let valve_path = fifo.clone();
    let (dropped, wait_drop) = std::sync::mpsc::channel::<()>();
    let valve = std::thread::spawn(move || {
        let _ = wait_drop.recv_timeout(Duration::from_secs(10));
        // Non-blocking: succeeds while an open for reading waits (and
        // then ends that wait), fails at once when none does.
        let _w = std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&valve_path);
    });
    let started = Instant::now();
    drop(rt);
    let took = started.elapsed();
    let _ = dropped.send(());
    assert!(
        took < Duration::from_secs(5),
        "dropping the runtime took {took:?} with a blocked open"
    );

    // The valve lets a pool thread still blocked in open(2) finish.
    valve.join().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    drop(opening);
}
