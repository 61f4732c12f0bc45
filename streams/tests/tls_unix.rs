//! TLS runs over Unix sockets too: a Unix server with
//! `ServerOptions::tls` and a client from `from_unix_tls`.
#![cfg(feature = "tls")]

mod common;
mod tls_support;

use ringio::net::UnixStream;
use ringio::streams::tls::from_unix_tls;
use ringio::streams::{
    start_unix_server_with, ClientTls, ServerOptions, StreamOptions, StreamReader, StreamWriter,
};
use tls_support::{cert, client_config, server_config, Reports};

#[test]
fn a_line_round_trips_over_tls_on_a_unix_socket() {
    let dir = common::TempDir::new("tls-unix");
    let path = dir.0.join("tls.sock");
    let reports = Reports::default();
    tls_support::run(&reports, async {
        let c = cert(&["localhost"]);
        let options = ServerOptions::new().tls(server_config(&c));
        let server = start_unix_server_with(
            |mut reader: StreamReader, writer: StreamWriter| async move {
                let line = reader.readline().await.unwrap();
                writer.write(line.to_ascii_uppercase()).unwrap();
                writer.close();
            },
            &path,
            options,
        )
        .await
        .unwrap();
        let stream = UnixStream::connect(&path).await.unwrap();
        let tls = ClientTls::new(client_config(&c), "localhost").unwrap();
        let (mut reader, writer) = from_unix_tls(stream, tls, StreamOptions::new())
            .await
            .unwrap();
        assert!(writer.unix_peer_addr().is_ok());
        writer.write("over a unix socket\n").unwrap();
        assert_eq!(reader.readline().await.unwrap(), "OVER A UNIX SOCKET\n");
        // The server's close() sent close_notify: a clean end.
        assert_eq!(reader.read(10).await.unwrap(), "");
        server.close();
        server.wait_closed().await;
    });
    assert!(reports.all().is_empty(), "{:?}", reports.all());
}
