//! Bytes that arrive in the same receive as the handshake's last message
//! are decrypted by the handshake; they are the reader's first bytes, not
//! lost.
#![cfg(feature = "tls")]

mod tls_support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use ringio::streams::tls::rustls::{pki_types::ServerName, ClientConnection, StreamOwned};
use ringio::streams::{start_server_with, ServerOptions, StreamReader, StreamWriter};
use tls_support::{cert, client_config, server_config, Reports};

#[test]
fn data_sent_with_the_clients_finished_reaches_the_reader() {
    let c = cert(&["localhost"]);
    let client = client_config(&c);
    let reports = Reports::default();
    tls_support::run(&reports, async {
        let options = ServerOptions::new().tls(server_config(&c));
        let server = start_server_with(
            |mut reader: StreamReader, writer: StreamWriter| async move {
                let line = reader.readline().await.unwrap();
                writer.write(line).unwrap();
                writer.close();
            },
            "127.0.0.1:0",
            options,
        )
        .await
        .unwrap();
        let addr = server.local_addr().unwrap();
        // A plain rustls client: what it writes before the handshake ends
        // goes out in one write with its Finished.
        let peer = std::thread::spawn(move || {
            let sock = TcpStream::connect(addr).unwrap();
            sock.set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let name = ServerName::try_from("localhost").unwrap();
            let conn = ClientConnection::new(client, name).unwrap();
            let mut tls = StreamOwned::new(conn, sock);
            tls.conn.writer().write_all(b"first line\n").unwrap();
            let mut got = Vec::new();
            let _ = tls.read_to_end(&mut got);
            got
        });
        while !peer.is_finished() {
            ringio::time::sleep(Duration::from_millis(5)).await;
        }
        assert_eq!(peer.join().unwrap(), b"first line\n");
        server.close();
        server.wait_closed().await;
    });
    assert!(reports.all().is_empty(), "{:?}", reports.all());
}
