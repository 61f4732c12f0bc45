//! Bad clients of a hyper server on ringio get an answer or a closed
//! connection, not a hang or a crash: garbage gets `400 Bad Request`, and
//! a client that stops mid-request is cut off by `header_read_timeout`
//! (which needs hyper's `Timer`: `RingioTimer`).

mod common;

use std::convert::Infallible;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Response;
use ringio::compat::{Compat, RingioTimer};
use ringio::net::TcpListener;

/// Serves one connection; returns hyper's result for it.
async fn serve_one(
    listener: TcpListener,
    header_timeout: Option<Duration>,
) -> Result<(), hyper::Error> {
    let (stream, _) = listener.accept().await.unwrap();
    let hello = service_fn(|_req| async {
        Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(common::HELLO))))
    });
    let mut builder = http1::Builder::new();
    if let Some(t) = header_timeout {
        builder.timer(RingioTimer).header_read_timeout(t);
    }
    builder.serve_connection(Compat::new(stream), hello).await
}

/// Sends `bytes` from a plain blocking socket on another thread, then
/// reads until the server closes; returns what it read and when the
/// close came.
async fn client(addr: std::net::SocketAddr, bytes: &'static [u8]) -> (String, Duration) {
    ringio::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(common::BOUND)).unwrap();
        let start = Instant::now();
        s.write_all(bytes).unwrap();
        let mut got = Vec::new();
        // Ends at the server's close (or a reset); a hang ends at BOUND
        // with a timeout error, which fails the test.
        match s.read_to_end(&mut got) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            Err(e) => panic!("the server neither answered nor closed: {e}"),
        }
        (String::from_utf8_lossy(&got).into_owned(), start.elapsed())
    })
    .await
    .unwrap()
}

#[test]
fn garbage_gets_400_and_a_close() {
    ringio::run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = ringio::spawn(serve_one(listener, None));
        let (answer, _) = client(addr, b"\x16\x03\x01 this is not HTTP\r\n\r\n").await;
        assert!(
            answer.starts_with("HTTP/1.1 400 Bad Request\r\n"),
            "answer: {answer:?}"
        );
        let err = server.await.unwrap().unwrap_err();
        assert!(err.is_parse(), "hyper's error: {err}");
    })
    .unwrap();
}

#[test]
fn a_client_stalled_mid_headers_is_timed_out() {
    ringio::run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let timeout = Duration::from_millis(300);
        let server = ringio::spawn(serve_one(listener, Some(timeout)));
        // Half a request, then nothing.
        let (_, closed_after) = client(addr, b"GET / HTTP/1.1\r\nHost: loc").await;
        assert!(
            closed_after >= timeout,
            "closed after {closed_after:?}, before the {timeout:?} timeout"
        );
        let err = server.await.unwrap().unwrap_err();
        assert!(err.is_timeout(), "hyper's error: {err}");
    })
    .unwrap();
}
