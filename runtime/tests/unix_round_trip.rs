//! Unix sockets: a stream through a path (listener, connect, halves), a
//! stream pair, and datagrams by path and by pair.

use std::path::PathBuf;

use ringio_runtime::net::{UnixDatagram, UnixListener, UnixStream};
use ringio_runtime::{run, spawn};

fn sock_path(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("ringio-{name}-{}.sock", std::process::id()));
    let _ = std::fs::remove_file(&p);
    p
}

#[test]
fn stream_through_a_path() {
    let path = sock_path("unix-stream");
    run(async {
        let listener = UnixListener::bind(&path).unwrap();
        assert_eq!(
            listener.local_addr().unwrap().as_pathname(),
            Some(path.as_path())
        );
        let err = UnixListener::bind(&path).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
        let p = path.clone();
        let client = spawn(async move {
            let s = UnixStream::connect(&p).await.unwrap();
            let (rd, wr) = s.into_split();
            let (res, _) = wr.write_all(&b"over unix"[..]).await;
            res.unwrap();
            drop(wr); // shuts down writing: the server reads EOF
            let mut got = Vec::new();
            loop {
                let (res, buf) = rd.read(Vec::with_capacity(64)).await;
                let n = res.unwrap();
                if n == 0 {
                    break got;
                }
                got.extend_from_slice(&buf[..n]);
            }
        });
        let (server, peer) = listener.accept().await.unwrap();
        assert!(peer.is_unnamed());
        let mut got = Vec::new();
        loop {
            let (res, buf) = server.read(Vec::with_capacity(64)).await;
            let n = res.unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(got, b"over unix");
        let (res, _) = server.write_all(got).await;
        res.unwrap();
        drop(server);
        assert_eq!(client.await.unwrap(), b"over unix");
    })
    .unwrap();
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn stream_pair() {
    run(async {
        let (a, b) = UnixStream::pair().unwrap();
        let (res, _) = a.write_all(&b"x"[..]).await;
        res.unwrap();
        let (res, buf) = b.read(vec![0u8; 4]).await;
        assert_eq!(&buf[..res.unwrap()], b"x");
    })
    .unwrap();
}

#[test]
fn datagrams_by_path_and_pair() {
    let pa = sock_path("unix-dgram-a");
    let pb = sock_path("unix-dgram-b");
    run(async {
        let a = UnixDatagram::bind(&pa).unwrap();
        let b = UnixDatagram::bind(&pb).unwrap();
        let (res, _) = a.send_to(&b"hello"[..], &pb).await;
        assert_eq!(res.unwrap(), 5);
        let (res, buf) = b.recv_from(vec![0u8; 16]).await;
        let (n, from) = res.unwrap();
        assert_eq!(&buf[..n], b"hello");
        assert_eq!(from.as_pathname(), Some(pa.as_path()));

        let (x, y) = UnixDatagram::pair().unwrap();
        let (res, _) = x.send(&b"one"[..]).await;
        res.unwrap();
        let (res, _) = x.send(&b"two"[..]).await;
        res.unwrap();
        let (res, buf) = y.recv(vec![0u8; 16]).await;
        assert_eq!(&buf[..res.unwrap()], b"one");
        let (res, buf) = y.recv_from(vec![0u8; 16]).await;
        let (n, from) = res.unwrap();
        assert_eq!(&buf[..n], b"two");
        assert!(from.is_unnamed());
    })
    .unwrap();
    std::fs::remove_file(&pa).unwrap();
    std::fs::remove_file(&pb).unwrap();
}
