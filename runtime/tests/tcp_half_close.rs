//! After the peer shuts down its writing side, reads return 0, and the
//! other direction still works.

use std::net::Shutdown;

use ringio_runtime::net::{TcpListener, TcpStream};
use ringio_runtime::run;

#[test]
fn read_after_peer_half_close_returns_zero() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(&listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let (res, _) = client.write_all(&b"last words"[..]).await;
        res.unwrap();
        client.shutdown(Shutdown::Write).await.unwrap();
        let mut got = Vec::new();
        loop {
            let (res, buf) = server.read(Vec::with_capacity(64)).await;
            let n = res.unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(got, b"last words");
        // Still 0 when asked again.
        assert_eq!(server.read(vec![0u8; 8]).await.0.unwrap(), 0);
        // The server can still answer on its open side.
        let (res, _) = server.write_all(&b"reply"[..]).await;
        res.unwrap();
        let (res, buf) = client.read(Vec::with_capacity(64)).await;
        assert_eq!(&buf[..res.unwrap()], b"reply");
    })
    .unwrap();
}
