//! A 64 MiB body each way between a hyper server on ringio and a hyper
//! client on tokio, checked by a hash both sides compute: the upload is
//! read through `Compat`'s read buffer, the download written through its
//! write buffer, each in many pieces.

mod common;

use std::convert::Infallible;

use bytes::Bytes;
use common::{chunks, on_tokio, Fnv};
use http_body_util::{BodyExt, Full};
use hyper::body::{Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use ringio::compat::Compat;
use ringio::net::TcpListener;

const LEN: usize = 64 << 20;
const CHUNK: usize = 256 << 10;

fn expected() -> Fnv {
    let mut h = Fnv::default();
    chunks(LEN, CHUNK).for_each(|c| h.update(&c));
    h
}

type Body = http_body_util::combinators::UnsyncBoxBody<Bytes, Infallible>;

/// POST: replies with the length and hash of the body read. GET: sends
/// the 64 MiB stream.
async fn handle(req: Request<Incoming>) -> Result<Response<Body>, hyper::Error> {
    if req.method() == hyper::Method::POST {
        let mut body = req.into_body();
        let (mut len, mut hash) = (0usize, Fnv::default());
        while let Some(frame) = body.frame().await {
            if let Ok(data) = frame?.into_data() {
                len += data.len();
                hash.update(&data);
            }
        }
        let text = format!("{len} {:x}", hash.0);
        return Ok(Response::new(Full::new(Bytes::from(text)).boxed_unsync()));
    }
    Ok(Response::new(ChunkBody(chunks(LEN, CHUNK)).boxed_unsync()))
}

/// A body of the chunks of an iterator, each ready at once.
struct ChunkBody<I>(I);

impl<I: Iterator<Item = Bytes> + Unpin> hyper::body::Body for ChunkBody<I> {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        std::task::Poll::Ready(self.0.next().map(|c| Ok(Frame::data(c))))
    }
}

#[test]
fn sixty_four_mib_each_way_arrive_whole() {
    ringio::run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        ringio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            http1::Builder::new()
                .serve_connection(Compat::new(stream), service_fn(handle))
                .await
        });
        let (upload, download) = on_tokio(move || async move {
            let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                .await
                .unwrap();
            tokio::spawn(conn);
            let body = ChunkBody(chunks(LEN, CHUNK));
            let req = Request::post("/")
                .header("host", "localhost")
                .body(body)
                .unwrap();
            let res = sender.send_request(req).await.unwrap();
            let upload = res.into_body().collect().await.unwrap().to_bytes();

            let req = Request::get("/")
                .header("host", "localhost")
                .body(ChunkBody(chunks(0, CHUNK)))
                .unwrap();
            let res = sender.send_request(req).await.unwrap();
            let mut body = res.into_body();
            let (mut len, mut hash) = (0usize, Fnv::default());
            while let Some(frame) = body.frame().await {
                if let Ok(data) = frame.unwrap().into_data() {
                    len += data.len();
                    hash.update(&data);
                }
            }
            (upload, (len, hash))
        })
        .await;
        let want = expected();
        assert_eq!(
            upload,
            format!("{LEN} {:x}", want.0),
            "upload: length and hash"
        );
        assert_eq!(download, (LEN, want), "download: length and hash");
    })
    .unwrap();
}
