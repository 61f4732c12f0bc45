//! Each way a TLS handshake commonly fails is a typed error saying what
//! went wrong, on the side that found it; the other side's report names
//! the peer's refusal. None of them hangs.
#![cfg(feature = "tls")]

mod tls_support;

use std::time::Duration;

use ringio::net::TcpStream;
use ringio::streams::tls::rustls;
use ringio::streams::{
    open_tls_connection, start_server, start_server_with, ClientTls, ServerOptions, StreamReader,
    StreamWriter, TlsError,
};
use tls_support::{
    cert, client_config, client_config_with, server_config, server_config_with, Reports,
};

async fn greet(_reader: StreamReader, writer: StreamWriter) {
    let _ = writer.write("hello\n");
}

/// Connects with `tls` to a TLS server with `options`; returns the
/// client's error and the server's report.
async fn handshake_failure(
    reports: &Reports,
    options: ServerOptions,
    tls: ClientTls,
) -> (TlsError, String) {
    let server = start_server_with(greet, "127.0.0.1:0", options)
        .await
        .unwrap();
    let err = match open_tls_connection(server.local_addr().unwrap(), tls).await {
        Ok(_) => panic!("the handshake succeeded"),
        Err(e) => e,
    };
    let report = reports.first().await;
    server.close();
    server.wait_closed().await;
    (err, report)
}

#[test]
fn unknown_issuer() {
    let reports = Reports::default();
    tls_support::run(&reports, async {
        let c = cert(&["localhost"]);
        let options = ServerOptions::new().tls(server_config(&c));
        // The client trusts no authority at all.
        let config = client_config_with(&[], rustls::ALL_VERSIONS, &[]);
        let tls = ClientTls::new(config, "localhost").unwrap();
        let (err, report) = handshake_failure(&reports, options, tls).await;
        assert!(matches!(err, TlsError::UnknownIssuer), "{err:?}");
        assert!(err.to_string().contains("unknown issuer"), "{err}");
        assert!(err.to_string().contains("RootCertStore"), "{err}");
        // The server hears the client's unknown_ca alert.
        assert!(report.contains("TLS handshake with 127.0.0.1:"), "{report}");
        assert!(
            report.contains("rejected this side's certificate (alert UnknownCA)"),
            "{report}"
        );
    });
}

#[test]
fn wrong_name() {
    let reports = Reports::default();
    tls_support::run(&reports, async {
        let c = cert(&["localhost"]);
        let options = ServerOptions::new().tls(server_config(&c));
        let tls = ClientTls::new(client_config(&c), "example.com").unwrap();
        let (err, report) = handshake_failure(&reports, options, tls).await;
        match &err {
            TlsError::WrongName {
                expected,
                presented,
            } => {
                assert_eq!(expected, "example.com");
                assert!(
                    presented.iter().any(|n| n.contains("localhost")),
                    "{presented:?}"
                );
            }
            other => panic!("expected WrongName, got {other:?}"),
        }
        assert!(
            err.to_string().contains("not valid for example.com"),
            "{err}"
        );
        assert!(report.contains("(alert BadCertificate)"), "{report}");
    });
}

type Versions<'a> = &'a [&'static rustls::SupportedProtocolVersion];

/// A client and a server with nothing in common: the client's error and
/// the server's report, both checked to be a protocol mismatch.
fn mismatch(
    server: (Versions<'_>, &[&[u8]]),
    client: (Versions<'_>, &[&[u8]]),
) -> (String, String) {
    let reports = Reports::default();
    tls_support::run(&reports, async {
        let c = cert(&["localhost"]);
        let options = ServerOptions::new().tls(server_config_with(&c, server.0, server.1));
        let config = client_config_with(&[&c], client.0, client.1);
        let tls = ClientTls::new(config, "localhost").unwrap();
        let (err, report) = handshake_failure(&reports, options, tls).await;
        assert!(matches!(err, TlsError::ProtocolMismatch(_)), "{err:?}");
        assert!(err.to_string().contains("no protocol in common"), "{err}");
        assert!(report.contains("no protocol in common"), "{report}");
        (err.to_string(), report)
    })
}

#[test]
fn no_shared_version() {
    let (err, _) = mismatch(
        (&[&rustls::version::TLS13], &[]),
        (&[&rustls::version::TLS12], &[]),
    );
    assert!(err.contains("ProtocolVersion"), "{err}");
}

#[test]
fn no_shared_alpn_protocol() {
    let (err, report) = mismatch(
        (rustls::ALL_VERSIONS, &[b"h2"]),
        (rustls::ALL_VERSIONS, &[b"http/1.1"]),
    );
    assert!(err.contains("NoApplicationProtocol"), "{err}");
    assert!(report.contains("ALPN"), "{report}");
}

#[test]
fn a_plain_text_server_is_named() {
    let reports = Reports::default();
    tls_support::run(&reports, async {
        // An HTTP server that answers anything with a 400, as web servers
        // do to a ClientHello.
        let server = start_server(
            |mut reader: StreamReader, writer: StreamWriter| async move {
                let _ = reader.read(1024).await;
                let _ = writer.write("HTTP/1.1 400 Bad Request\r\n\r\n");
            },
            "127.0.0.1:0",
        )
        .await
        .unwrap();
        let c = cert(&["localhost"]);
        let tls = ClientTls::new(client_config(&c), "localhost").unwrap();
        let err = open_tls_connection(server.local_addr().unwrap(), tls)
            .await
            .expect_err("the handshake failed");
        match &err {
            TlsError::NotTls { received } => assert!(received.starts_with(b"HTTP/1.1 400")),
            other => panic!("expected NotTls, got {other:?}"),
        }
        let text = err.to_string();
        assert!(text.contains("the peer does not speak TLS"), "{text}");
        assert!(text.contains("HTTP/1.1 400"), "{text}");
        let io: std::io::Error = err.into();
        assert_eq!(io.kind(), std::io::ErrorKind::InvalidData);
        assert!(io.get_ref().is_some_and(|e| e.is::<TlsError>()));
    });
}

#[test]
fn a_client_sending_garbage_is_dropped_and_reported() {
    let reports = Reports::default();
    tls_support::run(&reports, async {
        let c = cert(&["localhost"]);
        let options = ServerOptions::new().tls(server_config(&c));
        let server = start_server_with(greet, "127.0.0.1:0", options)
            .await
            .unwrap();
        let client = TcpStream::connect(&server.local_addr().unwrap())
            .await
            .unwrap();
        let (res, _) = client
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n".to_vec())
            .await;
        res.unwrap();
        // The server answers with an alert and hangs up: the client's reads
        // end (no hang), and nothing of the handler's greeting comes.
        let mut got = Vec::new();
        loop {
            let (res, buf) = client.read(vec![0u8; 1024]).await;
            match res {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
        assert!(!got.windows(5).any(|w| w == b"hello"), "{got:?}");
        let report = reports.first().await;
        assert!(report.contains("the peer does not speak TLS"), "{report}");
        assert!(report.contains("GET / HTTP/1.1"), "{report}");
        server.close();
        server.wait_closed().await;
    });
}

#[test]
fn a_silent_server_times_the_handshake_out() {
    let reports = Reports::default();
    tls_support::run(&reports, async {
        // A plain server that never answers.
        let server = start_server(
            |mut reader: StreamReader, writer: StreamWriter| async move {
                let _ = reader.read_to_end().await;
                drop(writer);
            },
            "127.0.0.1:0",
        )
        .await
        .unwrap();
        let c = cert(&["localhost"]);
        let tls = ClientTls::new(client_config(&c), "localhost")
            .unwrap()
            .handshake_timeout(Duration::from_millis(200));
        let err = open_tls_connection(server.local_addr().unwrap(), tls)
            .await
            .expect_err("the handshake failed");
        assert!(matches!(err, TlsError::HandshakeTimeout(_)), "{err:?}");
        assert_eq!(
            std::io::Error::from(err).kind(),
            std::io::ErrorKind::TimedOut
        );
    });
}

#[test]
fn a_client_stalling_mid_handshake_is_dropped() {
    let reports = Reports::default();
    tls_support::run(&reports, async {
        let c = cert(&["localhost"]);
        let options = ServerOptions::new()
            .tls(server_config(&c))
            .handshake_timeout(Duration::from_millis(200));
        let server = start_server_with(greet, "127.0.0.1:0", options)
            .await
            .unwrap();
        let client = TcpStream::connect(&server.local_addr().unwrap())
            .await
            .unwrap();
        // Half a record header, then nothing.
        let (res, _) = client.write_all(b"\x16\x03".to_vec()).await;
        res.unwrap();
        let (res, _) = client.read(vec![0u8; 64]).await;
        assert!(matches!(res, Ok(0) | Err(_)), "{res:?}");
        // Its connection's task is over.
        server.close();
        server.wait_closed().await;
        // A stalled client is a network matter, not a TLS failure: logged
        // at debug level only, as asyncio does.
        assert!(reports.all().is_empty(), "{:?}", reports.all());
    });
}

#[test]
fn an_invalid_server_name_is_rejected() {
    let c = cert(&["localhost"]);
    let err = ClientTls::new(client_config(&c), "not a name!").unwrap_err();
    assert!(matches!(err, TlsError::InvalidServerName(_)), "{err:?}");
    assert!(
        err.to_string().contains("DNS name or an IP address"),
        "{err}"
    );
}
