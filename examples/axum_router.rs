//! An axum `Router` with two routes, served on a ringio loop
//! (`ringio::compat`, cargo feature `compat`), and checked by a hyper
//! client on the same loop.
//!
//! axum's own `serve` runs on tokio; here each connection is served by
//! hyper's connection builder over a [`Compat`](ringio::compat::Compat)
//! socket, with the router as hyper's service (a `Router` is a
//! `tower::Service` that is always ready, so calling a clone of it per
//! request is the whole adaptation).
//!
//! `cargo run --example axum_router --features compat`
//!
//! ```text
//! GET / -> 200 OK, "Hello from axum on ringio"
//! GET /users/42 -> 200 OK, "user 42"
//! GET /users/ada -> 200 OK, "user ada"
//! GET /nowhere -> 404 Not Found, ""
//! ```

use axum::extract::Path;
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Request;
use ringio::compat::Compat;
use ringio::net::{TcpListener, TcpStream};
use tower_service::Service;

type Error = Box<dyn std::error::Error>;

fn app() -> Router {
    Router::new()
        .route("/", get(|| async { "Hello from axum on ringio" }))
        .route(
            "/users/{id}",
            get(|Path(id): Path<String>| async move { format!("user {id}") }),
        )
}

/// Serves `router` on every connection `listener` accepts.
async fn serve(listener: TcpListener, router: Router) {
    while let Ok((stream, _)) = listener.accept().await {
        let router = router.clone();
        let service = service_fn(move |req: Request<hyper::body::Incoming>| {
            // Router::poll_ready is always ready: call a clone directly.
            router.clone().call(req)
        });
        ringio::spawn(async move {
            if let Err(e) = http1::Builder::new()
                .serve_connection(Compat::new(stream), service)
                .await
            {
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
    let server = ringio::spawn(serve(listener, app()));

    let stream = TcpStream::connect(&addr).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(Compat::new(stream)).await?;
    let conn = ringio::spawn(conn);
    for path in ["/", "/users/42", "/users/ada", "/nowhere"] {
        let req = Request::get(path)
            .header("host", addr.to_string())
            .body(Empty::<Bytes>::new())?;
        let res = sender.send_request(req).await?;
        let status = res.status();
        let body = res.into_body().collect().await?.to_bytes();
        println!(
            "GET {path} -> {status}, {:?}",
            String::from_utf8_lossy(&body)
        );
    }
    drop(sender);
    conn.await??;
    server.abort();
    Ok(())
}
