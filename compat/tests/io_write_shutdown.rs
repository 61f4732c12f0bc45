//! The write side of `Compat`: large writes go through its owned buffer in
//! pieces and all arrive; shutdown waits for the write in flight, then the
//! peer reads end of stream; a write that fails is reported, not lost; the
//! halves of a socket work as separate `Compat`s, and `Compat` is an
//! `AsyncBufRead` itself (lines without a `BufReader`).

use std::time::Duration;

use ringio::compat::Compat;
use ringio::net::{TcpListener, TcpStream, UnixStream};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};

/// Long for a loaded machine, short of a hang.
const BOUND: Duration = Duration::from_secs(30);

async fn pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let client = TcpStream::connect(&listener.local_addr().unwrap())
        .await
        .unwrap();
    let (server, _) = listener.accept().await.unwrap();
    (client, server)
}

#[test]
fn a_large_write_then_shutdown_arrives_whole_then_eof() {
    ringio::run(async {
        let (client, server) = pair().await;
        let (_read, write) = client.into_split();
        // 16 MiB (more than the sockets' buffers hold) through a 64 KiB
        // owned buffer: 256 pieces.
        let mut write = Compat::new(write);
        let msg: Vec<u8> = (0..16 << 20).map(|i| (i % 253) as u8).collect();
        let sent = msg.clone();
        let writer = ringio::spawn(async move {
            write.write_all(&sent).await?;
            write.shutdown().await
        });
        // Read only later, so that the socket's buffers fill up and the
        // last write is still in flight when the shutdown starts.
        ringio::time::sleep(Duration::from_millis(100)).await;
        let mut server = Compat::new(server);
        let mut got = Vec::new();
        ringio::time::timeout(BOUND, server.read_to_end(&mut got))
            .await
            .expect("end of stream within the bound")
            .unwrap();
        assert!(
            got == msg,
            "got {} of {} bytes, or wrong ones",
            got.len(),
            msg.len()
        );
        writer.await.unwrap().unwrap();
    })
    .unwrap();
}

#[test]
fn a_write_to_a_closed_peer_reports_the_error() {
    ringio::run(async {
        let (client, server) = pair().await;
        drop(server);
        let mut client = Compat::new(client);
        let chunk = vec![7u8; 64 * 1024];
        let mut err = None;
        // The first writes may land in the socket buffer before the reset
        // comes back; an error must surface within a bounded number.
        for _ in 0..1000 {
            let res = ringio::time::timeout(BOUND, async {
                client.write_all(&chunk).await?;
                client.flush().await
            })
            .await
            .expect("a write or flush finished within the bound");
            if let Err(e) = res {
                err = Some(e);
                break;
            }
            ringio::time::sleep(Duration::from_millis(1)).await;
        }
        let err = err.expect("writing to a closed peer failed");
        assert!(
            matches!(
                err.kind(),
                std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
            ),
            "{err:?}"
        );
    })
    .unwrap();
}

#[test]
fn unix_halves_and_lines_through_async_buf_read() {
    ringio::run(async {
        let (a, b) = UnixStream::pair().unwrap();
        let (a_read, a_write) = a.into_split();
        let (mut a_read, mut a_write) = (Compat::new(a_read), Compat::new(a_write));
        let mut b = Compat::new(b);
        a_write.write_all(b"one\ntwo\nthree\n").await.unwrap();
        a_write.flush().await.unwrap();
        let mut line = String::new();
        for want in ["one\n", "two\n", "three\n"] {
            line.clear();
            b.read_line(&mut line).await.unwrap();
            assert_eq!(line, want);
        }
        b.write_all(b"back\n").await.unwrap();
        b.shutdown().await.unwrap();
        let mut rest = String::new();
        a_read.read_to_string(&mut rest).await.unwrap();
        assert_eq!(rest, "back\n");
    })
    .unwrap();
}
