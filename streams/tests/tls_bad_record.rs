//! A record that fails to decrypt after the handshake is a read error
//! naming TLS, after the good records that came with it are read; and the
//! peer is told why with an alert before the connection is dropped.
#![cfg(feature = "tls")]

mod tls_support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use ringio::streams::tls::rustls::{self, AlertDescription, ServerConnection, StreamOwned};
use ringio::streams::{open_tls_connection, ClientTls, ReadError};
use tls_support::{cert, client_config, server_config, Reports};

#[test]
fn a_corrupt_record_fails_the_read_and_the_peer_gets_an_alert() {
    let c = cert(&["localhost"]);
    let config = server_config(&c);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    // A plain rustls server: after the handshake it sends one good line,
    // then an application-data record of garbage, then reads how the
    // client answers.
    let peer = std::thread::spawn(move || {
        let (sock, _) = listener.accept().unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut tls = StreamOwned::new(ServerConnection::new(config).unwrap(), sock);
        let mut buf = [0u8; 64];
        let n = tls.read(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"hi\n");
        // The good record and the bad one in one write, so that they
        // arrive together.
        tls.conn.writer().write_all(b"good line\n").unwrap();
        let mut wire = Vec::new();
        while tls.conn.wants_write() {
            tls.conn.write_tls(&mut wire).unwrap();
        }
        wire.extend_from_slice(&[23u8, 3, 3, 0, 40]);
        wire.extend_from_slice(&[0x5a; 40]);
        tls.sock.write_all(&wire).unwrap();
        let mut rest = Vec::new();
        match tls.read_to_end(&mut rest) {
            Err(e) => e
                .into_inner()
                .and_then(|inner| inner.downcast::<rustls::Error>().ok())
                .map(|e| *e),
            Ok(_) => None,
        }
    });
    let reports = Reports::default();
    tls_support::run(&reports, async {
        let tls = ClientTls::new(client_config(&c), "localhost").unwrap();
        let (mut reader, writer) = open_tls_connection(addr, tls).await.unwrap();
        writer.write("hi\n").unwrap();
        assert_eq!(reader.readline().await.unwrap(), "good line\n");
        match reader.readline().await {
            Err(ReadError::Io(e)) => {
                assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
                assert!(e.to_string().starts_with("TLS: "), "{e}");
            }
            other => panic!("expected a TLS error, got {other:?}"),
        }
        writer.wait_closed().await.unwrap_err();
    });
    assert_eq!(
        peer.join().unwrap(),
        Some(rustls::Error::AlertReceived(AlertDescription::BadRecordMac))
    );
}
