//! hyper's HTTP/1 "Hello, World!" server on a ringio loop (`ringio::compat`,
//! cargo feature `compat`), with a hyper client on the same loop that
//! sends three requests over one keep-alive connection, so that the run is
//! bounded and its output can be checked. The server cuts off clients
//! that take over 5 s to send their headers (hyper's `header_read_timeout`
//! on ringio's timers, `RingioTimer`).
//!
//! `cargo run --example hyper_hello --features compat`
//!
//! ```text
//! GET / -> 200 OK: Hello, World!
//! GET /again -> 200 OK: Hello, World!
//! GET /once-more -> 200 OK: Hello, World!
//! served 3 requests on 1 connection
//! ```

use std::cell::Cell;
use std::convert::Infallible;
use std::rc::Rc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use ringio::compat::{Compat, RingioTimer};
use ringio::net::{TcpListener, TcpStream};

type Error = Box<dyn std::error::Error>;

async fn hello(_req: Request<hyper::body::Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    Ok(Response::new(Full::new(Bytes::from("Hello, World!"))))
}

/// Accepts connections and serves each on a task of its own.
async fn serve(listener: TcpListener, connections: Rc<Cell<u32>>) {
    while let Ok((stream, _)) = listener.accept().await {
        connections.set(connections.get() + 1);
        ringio::spawn(async move {
            let served = http1::Builder::new()
                .timer(RingioTimer)
                .header_read_timeout(Duration::from_secs(5))
                .serve_connection(Compat::new(stream), service_fn(hello))
                .await;
            if let Err(e) = served {
                eprintln!("connection error: {e}");
            }
        });
    }
}

#[ringio::main]
async fn main() -> Result<(), Error> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    eprintln!("serving on http://{addr}");
    let connections = Rc::new(Cell::new(0));
    let server = ringio::spawn(serve(listener, connections.clone()));

    // The client: one connection, three requests in turn (keep-alive).
    let stream = TcpStream::connect(&addr).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(Compat::new(stream)).await?;
    let conn = ringio::spawn(conn);
    for path in ["/", "/again", "/once-more"] {
        let req = Request::get(path)
            .header("host", addr.to_string())
            .body(Empty::<Bytes>::new())?;
        let res = sender.send_request(req).await?;
        let status = res.status();
        let body = res.into_body().collect().await?.to_bytes();
        println!("GET {path} -> {status}: {}", String::from_utf8_lossy(&body));
    }
    drop(sender);
    conn.await??;
    println!("served 3 requests on {} connection", connections.get());
    server.abort();
    Ok(())
}
