//! `try_write`: sends at once what the socket takes, says `WouldBlock`
//! once its send buffer is full, and the peer gets every byte taken.

use std::io::Read;
use std::time::Duration;

use ringio_runtime::net::TcpStream;

#[test]
fn try_write_fills_the_socket_then_would_block() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let sent = ringio_runtime::run(async move {
        let stream = TcpStream::connect(&addr).await.unwrap();
        let (peer, _) = listener.accept().unwrap();
        let chunk = vec![7u8; 64 * 1024];
        let mut sent = 0usize;
        let mut blocked = false;
        // Loopback buffers hold a few MiB at most: 1 GiB bounds the loop.
        while sent < 1 << 30 {
            match stream.try_write(&chunk) {
                Ok(n) => {
                    assert!(n > 0, "a socket with room took nothing");
                    sent += n;
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    blocked = true;
                    break;
                }
                Err(e) => panic!("try_write failed: {e}"),
            }
        }
        assert!(blocked, "the send buffer never filled");
        assert!(sent > 0);
        let (_r, w) = stream.into_split();
        // The write half's try_write says the same while the buffer is full.
        let again = w.try_write(b"x").unwrap_err();
        assert_eq!(again.kind(), std::io::ErrorKind::WouldBlock);
        w.shutdown().await.unwrap();
        (sent, peer)
    })
    .unwrap();
    let (sent, mut peer) = sent;
    peer.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut all = Vec::new();
    peer.read_to_end(&mut all).unwrap();
    assert_eq!(all.len(), sent);
    assert!(all.iter().all(|&b| b == 7));
}
