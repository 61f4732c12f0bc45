//! The reader's limit works over TLS as over TCP: a line over it fails
//! with LineTooLong and the stream goes on; readuntil's LimitOverrun
//! leaves the data in the reader.
#![cfg(feature = "tls")]

mod tls_support;

use ringio::streams::{
    open_tls_connection_with, start_server_with, ClientTls, ReadError, ServerOptions,
    StreamOptions, StreamReader, StreamWriter,
};
use tls_support::{cert, client_config, server_config, Reports};

#[test]
fn limits_hold_over_tls_on_both_sides() {
    let reports = Reports::default();
    tls_support::run(&reports, async {
        let c = cert(&["localhost"]);
        // The server's connections get a limit of 100: it answers how a
        // long line fared.
        let options = ServerOptions::new()
            .limit(100)
            .unwrap()
            .tls(server_config(&c));
        let server = start_server_with(
            |mut reader: StreamReader, writer: StreamWriter| async move {
                assert_eq!(reader.limit(), 100);
                let verdict = match reader.readline().await {
                    Err(ReadError::LineTooLong { limit, .. }) => format!("too long for {limit}\n"),
                    other => format!("unexpected {other:?}\n"),
                };
                writer.write(verdict).unwrap();
                let next = reader.readline().await.unwrap();
                writer.write(next).unwrap();
                writer
                    .write(format!("{}:{}\n", "y".repeat(300), "tail"))
                    .unwrap();
                writer.close();
            },
            "127.0.0.1:0",
            options,
        )
        .await
        .unwrap();
        let tls = ClientTls::new(client_config(&c), "localhost").unwrap();
        let (mut reader, writer) = open_tls_connection_with(
            server.local_addr().unwrap(),
            tls,
            StreamOptions::new().limit(64).unwrap(),
        )
        .await
        .unwrap();
        writer
            .write(format!("{}\nshort\n", "z".repeat(500)))
            .unwrap();
        assert_eq!(reader.readline().await.unwrap(), "too long for 100\n");
        assert_eq!(reader.readline().await.unwrap(), "short\n");
        // 300 bytes before ':' with a limit of 64: the data stays.
        match reader.readuntil(b":").await {
            Err(ReadError::LimitOverrun { limit: 64, .. }) => {}
            other => panic!("expected LimitOverrun, got {other:?}"),
        }
        assert_eq!(reader.readexactly(300).await.unwrap(), "y".repeat(300));
        assert_eq!(reader.readline().await.unwrap(), ":tail\n");
        server.close();
        server.wait_closed().await;
    });
    assert!(reports.all().is_empty(), "{:?}", reports.all());
}
