//! `close()` over TLS sends close_notify: a peer's rustls sees a clean
//! end (not a truncation), and a ringio reader sees end of stream. An end
//! of stream without close_notify is an error, not a silent end.
#![cfg(feature = "tls")]

mod tls_support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::thread;

use ringio::streams::tls::rustls::{self, ServerConnection, StreamOwned};
use ringio::streams::{open_tls_connection, ClientTls, ReadError};
use tls_support::{cert, client_config, server_config, Reports};

/// What a peer read, and how its read ended.
type PeerEnd = (Vec<u8>, std::io::Result<usize>);

/// A std thread serving one TLS connection with plain rustls: reads
/// everything the client sends, then answers `reply`; returns what it
/// read and how its read ended.
fn rustls_peer(
    config: Arc<rustls::ServerConfig>,
    reply: &'static [u8],
    send_close_notify: bool,
) -> (std::net::SocketAddr, thread::JoinHandle<PeerEnd>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let peer = thread::spawn(move || {
        let (sock, _) = listener.accept().unwrap();
        sock.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let conn = ServerConnection::new(config).unwrap();
        let mut tls = StreamOwned::new(conn, sock);
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        let end = loop {
            match tls.read(&mut buf) {
                Ok(0) => break Ok(0),
                Ok(n) => {
                    got.extend_from_slice(&buf[..n]);
                    if got.ends_with(b"\n") && !reply.is_empty() {
                        tls.write_all(reply).unwrap();
                        tls.flush().unwrap();
                        if !send_close_notify {
                            // Hang up without close_notify.
                            tls.sock.shutdown(std::net::Shutdown::Both).unwrap();
                            break Ok(usize::MAX);
                        }
                    }
                }
                Err(e) => break Err(e),
            }
        };
        if send_close_notify {
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
        (got, end)
    });
    (addr, peer)
}

#[test]
fn close_sends_close_notify_that_rustls_sees_as_a_clean_end() {
    let c = cert(&["localhost"]);
    let (addr, peer) = rustls_peer(server_config(&c), b"", true);
    let reports = Reports::default();
    tls_support::run(&reports, async {
        let tls = ClientTls::new(client_config(&c), "localhost").unwrap();
        let (mut reader, writer) = open_tls_connection(addr, tls).await.unwrap();
        writer.write("last words\n").unwrap();
        writer.close();
        writer.wait_closed().await.unwrap();
        // The peer answers our close_notify with its own: a clean end here.
        assert_eq!(reader.read(10).await.unwrap(), "");
        assert!(reader.at_eof());
    });
    let (got, end) = peer.join().unwrap();
    assert_eq!(got, b"last words\n");
    // rustls reads Ok(0) only after close_notify; a bare TCP end would be
    // an UnexpectedEof error.
    assert_eq!(end.unwrap(), 0);
}

#[test]
fn an_end_without_close_notify_is_an_unexpected_eof_error() {
    let c = cert(&["localhost"]);
    let (addr, peer) = rustls_peer(server_config(&c), b"partial answer\n", false);
    let reports = Reports::default();
    tls_support::run(&reports, async {
        let tls = ClientTls::new(client_config(&c), "localhost").unwrap();
        let (mut reader, writer) = open_tls_connection(addr, tls).await.unwrap();
        writer.write("question\n").unwrap();
        assert_eq!(reader.readline().await.unwrap(), "partial answer\n");
        match reader.readline().await {
            Err(ReadError::Io(e)) => {
                assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof);
                assert!(e.to_string().contains("close_notify"), "{e}");
            }
            other => panic!("expected an UnexpectedEof error, got {other:?}"),
        }
    });
    let _ = peer.join().unwrap();
}
