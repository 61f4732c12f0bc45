//! `StreamWriter::tls_info` tells what the handshake agreed on: version,
//! ALPN protocol, the client's server name (on the server), the peer's
//! certificate (on the client); `None` without TLS.
#![cfg(feature = "tls")]

mod tls_support;

use ringio::streams::tls::rustls::{self, ProtocolVersion};
use ringio::streams::{
    open_connection, open_tls_connection, start_server, start_server_with, ClientTls,
    ServerOptions, StreamReader, StreamWriter,
};
use tls_support::{cert, client_config_with, server_config_with, Reports};

#[test]
fn both_sides_see_what_was_agreed() {
    let reports = Reports::default();
    tls_support::run(&reports, async {
        let c = cert(&["localhost"]);
        let config = server_config_with(&c, rustls::ALL_VERSIONS, &[b"h2", b"http/1.1"]);
        let server = start_server_with(
            |_reader: StreamReader, writer: StreamWriter| async move {
                let info = writer.tls_info().unwrap();
                let alpn = String::from_utf8(info.alpn_protocol.unwrap()).unwrap();
                let sni = info.server_name.unwrap_or_default();
                writer.write(format!("{alpn} {sni}\n")).unwrap();
                writer.close();
            },
            "127.0.0.1:0",
            ServerOptions::new().tls(config),
        )
        .await
        .unwrap();
        let client = client_config_with(&[&c], rustls::ALL_VERSIONS, &[b"http/1.1"]);
        let tls = ClientTls::new(client, "localhost").unwrap();
        let (mut reader, writer) = open_tls_connection(server.local_addr().unwrap(), tls)
            .await
            .unwrap();
        assert_eq!(reader.readline().await.unwrap(), "http/1.1 localhost\n");
        let info = writer.tls_info().unwrap();
        assert_eq!(info.protocol_version, Some(ProtocolVersion::TLSv1_3));
        assert!(info.cipher_suite.is_some());
        assert_eq!(info.alpn_protocol.as_deref(), Some(&b"http/1.1"[..]));
        assert_eq!(info.server_name, None);
        assert_eq!(info.peer_certificates, vec![c.der.clone()]);
        server.close();
        server.wait_closed().await;

        // Without TLS there is nothing to tell.
        let plain = start_server(
            |_r: StreamReader, w: StreamWriter| async move { assert!(w.tls_info().is_none()) },
            "127.0.0.1:0",
        )
        .await
        .unwrap();
        let (_r, w) = open_connection(plain.local_addr().unwrap()).await.unwrap();
        assert!(w.tls_info().is_none());
        plain.close();
        plain.wait_closed().await;
    });
    assert!(reports.all().is_empty(), "{:?}", reports.all());
}
