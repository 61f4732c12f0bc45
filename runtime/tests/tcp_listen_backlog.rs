//! `TcpListener::bind` listens with the kernel's largest backlog
//! (`somaxconn`), read back from the socket with `TCP_INFO` (for a
//! listening socket, `tcpi_sacked` is the accept queue's capacity).

use std::os::fd::AsRawFd;

use ringio_runtime::net::{default_backlog, TcpListener};
use ringio_runtime::run;

fn somaxconn() -> u32 {
    std::fs::read_to_string("/proc/sys/net/core/somaxconn")
        .expect("somaxconn is readable")
        .trim()
        .parse()
        .expect("somaxconn is a number")
}

/// The accept queue capacity the kernel gave a listening socket.
fn listen_backlog(fd: i32) -> u32 {
    // SAFETY: an all-zero tcp_info is a valid value to be overwritten.
    let mut info: libc::tcp_info = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::tcp_info>() as libc::socklen_t;
    // SAFETY: the pointer and length describe a live tcp_info.
    let rc = unsafe {
        libc::getsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            (&mut info as *mut libc::tcp_info).cast(),
            &mut len,
        )
    };
    assert_eq!(rc, 0, "TCP_INFO: {}", std::io::Error::last_os_error());
    info.tcpi_sacked
}

#[test]
fn bind_listens_with_somaxconn() {
    assert_eq!(default_backlog(), somaxconn());
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        assert_eq!(listen_backlog(listener.as_raw_fd()), somaxconn());
    })
    .unwrap();
}

#[test]
fn an_explicit_backlog_is_kept() {
    run(async {
        let listener = TcpListener::options()
            .backlog(7)
            .bind("127.0.0.1:0")
            .await
            .unwrap();
        assert_eq!(listen_backlog(listener.as_raw_fd()), 7);
    })
    .unwrap();
}
