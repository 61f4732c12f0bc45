//! Seed 002's "Asynchronous Web Scraping" with a real HTTP client: hyper's
//! client over ringio sockets (`ringio::compat`, cargo feature `compat`)
//! in place of aiohttp. Several pages are fetched concurrently, at most two
//! at a time (a `Semaphore`, as a polite scraper limits itself), and
//! `gather_all` returns them in the order asked. So that it runs anywhere
//! (no network needed), the program first starts a hyper server of its
//! own on loopback, serving pages that take different times to answer.
//!
//! As in the seed, it prints each page's text; what it fetched, and how
//! long that took, goes to stderr.
//!
//! `cargo run --example web_scraping_hyper --features compat`
//!
//! ```text
//! <!doctype html><title>example.com</title><p>Served after 300 ms.</p>
//! <!doctype html><title>example.org</title><p>Served after 100 ms.</p>
//! <!doctype html><title>example.net</title><p>Served after 200 ms.</p>
//! <!doctype html><title>example.edu</title><p>Served after 100 ms.</p>
//! ```

use std::cell::Cell;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use ringio::compat::Compat;
use ringio::net::{TcpListener, TcpStream};
use ringio::sync::Semaphore;
use ringio::time::sleep;

type Error = Box<dyn std::error::Error>;

/// How long the server takes over each page.
fn delay_of(page: &str) -> u64 {
    match page {
        "example.com" => 300,
        "example.net" => 200,
        _ => 100,
    }
}

/// The server: a page per path, after its delay.
async fn page(req: Request<hyper::body::Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let name = req.uri().path().trim_start_matches('/').to_owned();
    if !name.starts_with("example.") {
        let mut res = Response::new(Full::new(Bytes::from_static(b"no such page\n")));
        *res.status_mut() = StatusCode::NOT_FOUND;
        return Ok(res);
    }
    let delay = delay_of(&name);
    sleep(Duration::from_millis(delay)).await;
    let body = format!("<!doctype html><title>{name}</title><p>Served after {delay} ms.</p>\n");
    Ok(Response::new(Full::new(Bytes::from(body))))
}

async fn serve(listener: TcpListener) {
    while let Ok((stream, _)) = listener.accept().await {
        ringio::spawn(async move {
            let served = http1::Builder::new()
                .serve_connection(Compat::new(stream), service_fn(page))
                .await;
            if let Err(e) = served {
                eprintln!("server: {e}");
            }
        });
    }
}

/// The client, as the seed's `fetch(url)`: a GET on a connection of its
/// own, the body as text. `limit` bounds how many run at once; `running`
/// counts them, `most` keeps the highest count seen.
async fn fetch(
    addr: SocketAddr,
    path: &'static str,
    limit: Rc<Semaphore>,
    running: Rc<Cell<usize>>,
    most: Rc<Cell<usize>>,
) -> Result<String, Error> {
    let _permit = limit.acquire().await;
    running.set(running.get() + 1);
    most.set(most.get().max(running.get()));
    let stream = TcpStream::connect(&addr).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(Compat::new(stream)).await?;
    let conn = ringio::spawn(conn);
    let req = Request::get(path)
        .header("host", addr.to_string())
        .header("user-agent", "ringio-example")
        .body(Empty::<Bytes>::new())?;
    let res = sender.send_request(req).await?;
    let status = res.status();
    let body = res.into_body().collect().await?.to_bytes();
    drop(sender);
    conn.await??;
    running.set(running.get() - 1);
    eprintln!("GET {path} -> {status}, {} bytes", body.len());
    if !status.is_success() {
        return Err(format!("GET {path}: {status}").into());
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

#[ringio::main]
async fn main() -> Result<(), Error> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    eprintln!("serving on http://{addr}");
    let server = ringio::spawn(serve(listener));

    let paths = [
        "/example.com",
        "/example.org",
        "/example.net",
        "/example.edu",
    ];
    let limit = Rc::new(Semaphore::new(2));
    let (running, most) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    let start = Instant::now();
    let tasks = paths.map(|path| {
        ringio::spawn(fetch(
            addr,
            path,
            limit.clone(),
            running.clone(),
            most.clone(),
        ))
    });
    let results = ringio::gather_all(tasks).await;
    let took = start.elapsed();
    for result in results {
        println!("{}", result??.trim_end());
    }

    // The point of the program: concurrent, yet never more than the limit.
    let sequential: u64 = paths.iter().map(|p| delay_of(&p[1..])).sum();
    eprintln!(
        "fetched {} pages in {took:?}, at most {} at a time ({sequential} ms one after another)",
        paths.len(),
        most.get()
    );
    if most.get() != 2 {
        return Err(format!("{} fetches ran at once, not 2", most.get()).into());
    }
    if took >= Duration::from_millis(sequential) {
        return Err(format!("{took:?}: no faster than one after another").into());
    }
    server.abort();
    Ok(())
}
