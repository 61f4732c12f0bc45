//! A peer that resets the connection mid-read makes the read fail with
//! `ConnectionReset`; a write to a closed peer fails with `BrokenPipe` or
//! `ConnectionReset`, never a SIGPIPE.

use std::io::ErrorKind;
use std::os::fd::AsRawFd;
use std::time::Duration;

use ringio_runtime::net::{TcpListener, TcpStream};
use ringio_runtime::time::sleep;
use ringio_runtime::{run, spawn};

/// Closes `s` with SO_LINGER 0: the kernel sends RST instead of FIN.
fn reset(s: TcpStream) {
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: the pointer and length describe a live linger struct.
    let r = unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    assert_eq!(r, 0);
    drop(s);
}

#[test]
fn peer_reset_mid_read() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(&listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        // The read is in flight when the reset arrives.
        let reader = spawn(async move { client.read(vec![0u8; 64]).await.0 });
        sleep(Duration::from_millis(20)).await;
        reset(server);
        let err = reader.await.unwrap().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionReset, "{err}");
    })
    .unwrap();
}

#[test]
fn write_to_reset_peer_is_broken_pipe() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(&listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        reset(server);
        sleep(Duration::from_millis(20)).await;
        let mut last = None;
        for _ in 0..10 {
            let (res, _) = client.write(vec![1u8; 1024]).await;
            if let Err(e) = res {
                last = Some(e);
                break;
            }
        }
        let err = last.expect("writing to a reset peer keeps failing");
        assert!(
            matches!(
                err.kind(),
                ErrorKind::BrokenPipe | ErrorKind::ConnectionReset
            ),
            "{err}"
        );
    })
    .unwrap();
}
