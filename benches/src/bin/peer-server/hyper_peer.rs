//! hyper's HTTP/1 hello server, the same service on two runtimes: ringio
//! (sockets under hyper through `ringio::compat::Compat`) and tokio's
//! current_thread runtime (hyper-util's `TokioIo`). Keep-alive, no timer
//! (hyper's defaults): the difference is the runtime and its I/O.

use std::convert::Infallible;
use std::io;

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use ringio_benches::sys;

use crate::announce;

async fn hello(_req: Request<hyper::body::Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    Ok(Response::new(Full::new(Bytes::from_static(
        b"Hello, World!",
    ))))
}

/// On a ringio loop (the default backend, or the one named).
pub fn ringio(backend: Option<ringio::Backend>) -> io::Result<()> {
    use ringio::compat::Compat;
    use ringio::net::TcpListener;

    let std_listener = sys::listen_local()?;
    announce(std_listener.local_addr()?.port())?;
    let mut b = ringio::Runtime::builder();
    if let Some(backend) = backend {
        b = b.backend(backend);
    }
    let rt = b.build().map_err(io::Error::other)?;
    rt.block_on(async move {
        let listener = TcpListener::from_std(std_listener)?;
        loop {
            let (stream, _) = listener.accept().await?;
            stream.set_nodelay(true)?;
            ringio::spawn(async move {
                let _ = http1::Builder::new()
                    .serve_connection(Compat::new(stream), service_fn(hello))
                    .await;
            });
        }
    })
    .map_err(io::Error::other)?
}

/// On tokio's current_thread runtime.
pub fn tokio() -> io::Result<()> {
    use hyper_util::rt::TokioIo;
    use tokio::net::TcpListener;

    let std_listener = sys::listen_local()?;
    std_listener.set_nonblocking(true)?;
    announce(std_listener.local_addr()?.port())?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = TcpListener::from_std(std_listener)?;
        loop {
            let (stream, _) = listener.accept().await?;
            stream.set_nodelay(true)?;
            tokio::spawn(async move {
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service_fn(hello))
                    .await;
            });
        }
    })
}
