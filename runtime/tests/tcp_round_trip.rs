//! TCP round trips on IPv4 and IPv6: write/read, write_all, writev, and the
//! owned halves used from two tasks at once.

use std::net::SocketAddr;

use ringio_runtime::buf::IoBuf;
use ringio_runtime::net::{TcpListener, TcpStream};
use ringio_runtime::{run, spawn};

async fn echo_once(addr: &str) {
    let listener = TcpListener::bind(addr).await.unwrap();
    let local = listener.local_addr().unwrap();
    let server = spawn(async move {
        let (stream, peer) = listener.accept().await.unwrap();
        let mut buf = Vec::with_capacity(1024);
        loop {
            let (res, b) = stream.read(buf).await;
            let n = res.unwrap();
            if n == 0 {
                break peer;
            }
            let (res, b) = stream.write_all(b).await;
            res.unwrap();
            buf = b;
            buf.clear();
        }
    });
    let client = TcpStream::connect(&local).await.unwrap();
    client.set_nodelay(true).unwrap();
    assert!(client.nodelay().unwrap());
    assert_eq!(client.peer_addr().unwrap(), local);
    for msg in [&b"hello"[..], b"second message", &[7u8; 1000]] {
        let (res, _) = client.write_all(msg.to_vec()).await;
        res.unwrap();
        let mut got = Vec::new();
        while got.len() < msg.len() {
            let (res, buf) = client.read(Vec::with_capacity(2048)).await;
            let n = res.unwrap();
            assert!(n > 0);
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(got, msg);
    }
    let (res, _) = client
        .writev(vec![b"ab".to_vec(), b"cd".to_vec(), b"ef".to_vec()])
        .await;
    assert_eq!(res.unwrap(), 6);
    let mut got = Vec::new();
    while got.len() < 6 {
        let (res, buf) = client.read(Vec::with_capacity(16)).await;
        got.extend_from_slice(&buf[..res.unwrap()]);
    }
    assert_eq!(got, b"abcdef");
    client.shutdown(std::net::Shutdown::Write).await.unwrap();
    let peer: SocketAddr = server.await.unwrap();
    assert_eq!(peer, client.local_addr().unwrap());
}

#[test]
fn echo_round_trip_v4() {
    run(echo_once("127.0.0.1:0")).unwrap();
}

#[test]
fn echo_round_trip_v6() {
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        eprintln!("skipped: no IPv6 loopback here");
        return;
    }
    run(echo_once("[::1]:0")).unwrap();
}

#[test]
fn resolves_localhost_by_name() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let addrs = ringio_runtime::net::lookup_host(&("localhost", port))
            .await
            .unwrap();
        assert!(addrs.iter().any(|a| a.ip().is_loopback()));
        let c = TcpStream::connect(&format!("127.0.0.1:{port}"))
            .await
            .unwrap();
        let (s, _) = listener.accept().await.unwrap();
        drop((c, s));
    })
    .unwrap();
}

#[test]
fn halves_work_from_two_tasks() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let client = TcpStream::connect(&addr).await.unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let (rd, wr) = client.into_split();
        const N: usize = 200;
        // The reader waits on the socket while the writer writes.
        let reader = spawn(async move {
            let mut total = 0;
            while total < N * 10 {
                let (res, _) = rd.read(vec![0u8; 4096]).await;
                let n = res.unwrap();
                assert!(n > 0);
                total += n;
            }
            rd
        });
        let echo = spawn(async move {
            let mut buf = vec![0u8; 4096];
            loop {
                let (res, b) = server.read(buf).await;
                let n = res.unwrap();
                if n == 0 {
                    break;
                }
                let (res, b) = server.write_all(b.slice(..n)).await;
                res.unwrap();
                buf = b.into_inner();
            }
        });
        for _ in 0..N {
            let (res, _) = wr.write_all(&b"0123456789"[..]).await;
            res.unwrap();
        }
        let rd = reader.await.unwrap();
        let stream = rd.reunite(wr).unwrap();
        stream.shutdown(std::net::Shutdown::Write).await.unwrap();
        echo.await.unwrap();
    })
    .unwrap();
}
