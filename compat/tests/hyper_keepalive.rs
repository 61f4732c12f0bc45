//! A hyper HTTP/1 server on ringio answers 10,000 keep-alive requests, one
//! after another on one connection, from a hyper client on tokio in
//! another thread.

mod common;

use std::cell::Cell;
use std::rc::Rc;

use bytes::Bytes;
use common::{hello_server, on_tokio, HELLO};
use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper_util::rt::TokioIo;

const REQUESTS: u64 = 10_000;

#[test]
fn ten_thousand_keepalive_requests_on_one_connection() {
    ringio::run(async {
        let served = Rc::new(Cell::new(0));
        let addr = hello_server(served.clone()).await.unwrap();
        let answered = on_tokio(move || async move {
            let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                .await
                .unwrap();
            tokio::spawn(conn);
            let mut answered = 0u64;
            for i in 0..REQUESTS {
                let req = Request::get(format!("/{i}"))
                    .header("host", "localhost")
                    .body(Empty::<Bytes>::new())
                    .unwrap();
                let res = sender.send_request(req).await.unwrap();
                assert_eq!(res.status(), 200, "request {i}");
                let body = res.into_body().collect().await.unwrap().to_bytes();
                assert_eq!(body, HELLO, "request {i}");
                answered += 1;
            }
            answered
        })
        .await;
        assert_eq!(answered, REQUESTS);
        assert_eq!(served.get(), REQUESTS);
    })
    .unwrap();
}
