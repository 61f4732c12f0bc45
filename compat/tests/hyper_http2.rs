//! HTTP/2 (prior knowledge) on ringio: hyper's http2 server with
//! `RingioExecutor` runs each stream as a ringio task; a hyper client on
//! tokio sends 200 requests at once over one connection. And the other
//! way round: hyper's http2 client on ringio (its connection task and
//! streams on `RingioExecutor`) against hyper's server on tokio.

mod common;

use std::convert::Infallible;

use bytes::Bytes;
use common::on_tokio;
use http_body_util::{BodyExt, Empty, Full};
use hyper::server::conn::http2;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use ringio::compat::{Compat, RingioExecutor, RingioTimer};
use ringio::net::TcpListener;

const STREAMS: usize = 200;

#[test]
fn http2_prior_knowledge_multiplexes_requests() {
    ringio::run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        ringio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let echo_path = service_fn(|req: Request<hyper::body::Incoming>| async move {
                // A turn of the loop, so that streams overlap.
                ringio::yield_now().await;
                let body = format!("{} over {:?}", req.uri().path(), req.version());
                Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(body))))
            });
            http2::Builder::new(RingioExecutor)
                .timer(RingioTimer)
                .serve_connection(Compat::new(stream), echo_path)
                .await
        });
        let bodies = on_tokio(move || async move {
            let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            let (sender, conn) =
                hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
                    .await
                    .unwrap();
            tokio::spawn(conn);
            let mut tasks = tokio::task::JoinSet::new();
            for i in 0..STREAMS {
                let mut sender = sender.clone();
                tasks.spawn(async move {
                    let req = Request::get(format!("http://localhost/{i}"))
                        .body(Empty::<Bytes>::new())
                        .unwrap();
                    let res = sender.send_request(req).await.unwrap();
                    assert_eq!(res.version(), hyper::Version::HTTP_2);
                    let body = res.into_body().collect().await.unwrap().to_bytes();
                    (i, body)
                });
            }
            let mut bodies = Vec::new();
            while let Some(r) = tasks.join_next().await {
                bodies.push(r.unwrap());
            }
            bodies
        })
        .await;
        assert_eq!(bodies.len(), STREAMS);
        for (i, body) in bodies {
            assert_eq!(body, format!("/{i} over HTTP/2.0"));
        }
    })
    .unwrap();
}

#[test]
fn http2_client_on_ringio_against_a_tokio_server() {
    // The tokio server: one connection, then the thread ends.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            listener.set_nonblocking(true).unwrap();
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let (stream, _) = listener.accept().await.unwrap();
            let svc = service_fn(|req: Request<hyper::body::Incoming>| async move {
                let body = format!("tokio got {}", req.uri().path());
                Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(body))))
            });
            let served = http2::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), svc);
            tokio::time::timeout(common::BOUND, served)
                .await
                .expect("the client finished within the bound")
        })
    });
    ringio::run(async move {
        let stream = ringio::net::TcpStream::connect(&addr).await.unwrap();
        let (sender, conn) = hyper::client::conn::http2::Builder::new(RingioExecutor)
            .timer(RingioTimer)
            .handshake(Compat::new(stream))
            .await
            .unwrap();
        let conn = ringio::spawn(conn);
        let requests = (0..STREAMS).map(|i| {
            let mut sender = sender.clone();
            ringio::spawn(async move {
                let req = Request::get(format!("http://localhost/{i}"))
                    .body(Empty::<Bytes>::new())
                    .unwrap();
                let res = sender.send_request(req).await.unwrap();
                res.into_body().collect().await.unwrap().to_bytes()
            })
        });
        let bodies = ringio::time::timeout(common::BOUND, ringio::gather_all(requests))
            .await
            .expect("the answers came within the bound");
        for (i, body) in bodies.into_iter().enumerate() {
            assert_eq!(body.unwrap(), format!("tokio got /{i}"));
        }
        drop(sender);
        conn.await.unwrap().unwrap();
    })
    .unwrap();
    server.join().unwrap().unwrap();
}
