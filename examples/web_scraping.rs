//! Seed 002's "Asynchronous Web Scraping" use case, with streams instead of
//! aiohttp: several HTTP GETs run concurrently over `open_connection`, and
//! `gather_all` returns the pages in the order asked. So that it runs
//! anywhere (no network needed), the program first starts a tiny HTTP
//! server of its own on loopback with `start_server`, serving three pages
//! that take different times to answer. Fetched together they take about
//! as long as the slowest one, not the sum.
//!
//! As in the seed, it prints each page's text (the seed shows the first
//! bytes of each, `<!doctype html>...`); what it fetched from where, and
//! how long that took, goes to stderr.
//!
//! ```text
//! <!doctype html><title>example.com</title><p>Served after 300 ms.</p>
//! <!doctype html><title>example.org</title><p>Served after 100 ms.</p>
//! <!doctype html><title>example.net</title><p>Served after 200 ms.</p>
//! ```

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use ringio::streams::{open_connection, start_server, ReadError, StreamReader, StreamWriter};
use ringio::time::sleep;

type Error = Box<dyn std::error::Error>;

/// The server: one request per connection (HTTP/1.0 style), then close.
async fn serve_page(mut reader: StreamReader, writer: StreamWriter) -> Result<(), Error> {
    let head = reader.readuntil(b"\r\n\r\n").await?;
    let head = String::from_utf8_lossy(&head);
    let mut request_line = head.lines().next().unwrap_or("").split_whitespace();
    let (method, path) = (request_line.next(), request_line.next());
    let response = match (method, path) {
        (Some("GET"), Some(path)) => {
            let delay = match path {
                "/example.com" => 300,
                "/example.net" => 200,
                _ => 100,
            };
            sleep(Duration::from_millis(delay)).await;
            let name = path.trim_start_matches('/');
            let body =
                format!("<!doctype html><title>{name}</title><p>Served after {delay} ms.</p>\n");
            format!(
                "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
        }
        _ => "HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n".to_owned(),
    };
    writer.write(response)?;
    writer.close();
    writer.wait_closed().await?;
    Ok(())
}

/// A fetched page: the status line and the body.
struct Page {
    status: String,
    body: String,
}

/// The client: GET `path` from `addr` and read the whole response.
async fn fetch(addr: SocketAddr, path: &str) -> Result<Page, Error> {
    let (mut reader, writer) = open_connection(addr).await?;
    writer.write(format!(
        "GET {path} HTTP/1.0\r\nHost: {addr}\r\nUser-Agent: ringio-example\r\n\r\n"
    ))?;
    writer.drain().await?;

    let status_line = reader.readline().await?;
    let status = String::from_utf8_lossy(&status_line)
        .trim_end()
        .split_once(' ')
        .map(|(_, s)| s.to_owned())
        .ok_or("no HTTP status line")?;
    // Headers, up to the blank line.
    loop {
        let line = reader.readline().await?;
        if line == "\r\n"[..] || line.is_empty() {
            break;
        }
    }
    let body = match reader.read_to_end().await {
        Ok(b) => b,
        Err(ReadError::Io(e)) => return Err(e.into()),
        Err(e) => return Err(e.into()),
    };
    writer.close();
    Ok(Page {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

#[ringio::main]
async fn main() -> Result<(), Error> {
    let server = start_server(serve_page, "127.0.0.1:0").await?;
    let addr = server.local_addr()?;
    eprintln!("serving on http://{addr}");

    let paths = ["/example.com", "/example.org", "/example.net"];
    let start = Instant::now();
    let tasks = paths.map(|path| ringio::spawn(fetch(addr, path)));
    let results = ringio::gather_all(tasks).await;
    let took = start.elapsed();

    for (path, result) in paths.iter().zip(results) {
        let page = result??;
        eprintln!("GET {path} -> {}, {} bytes", page.status, page.body.len());
        println!("{}", page.body.trim_end());
    }
    let sequential = Duration::from_millis(300 + 200 + 100);
    if took < sequential {
        eprintln!(
            "fetched {} pages concurrently: faster than one after another",
            paths.len()
        );
    } else {
        // The point of the program: fail loudly if it was not concurrent.
        return Err(format!(
            "fetched {} pages in {took:?}: no faster than one after another",
            paths.len()
        )
        .into());
    }
    server.close();
    server.wait_closed().await;
    Ok(())
}
