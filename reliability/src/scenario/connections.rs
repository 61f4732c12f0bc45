//! Many connections open at once to a stream server (asyncio's
//! `start_server`): each is echoed one line and then idles in `readline`.
//! The server's resident memory per connection is the figure; the clients
//! live in a child process so their fds and memory are not counted.

use std::io::{self, BufRead, Read, Write};
use std::net::TcpStream as StdStream;
use std::process::Stdio;
use std::time::Duration;

use ringio::process::Command;
use ringio::streams::{start_server_with, ServerOptions, StreamReader, StreamWriter};
use ringio::time::{sleep, timeout, Instant};

use crate::probe::{fd_count, raise_nofile, rss_checked, rss_kib, unchecked};
use crate::{Figure, Outcome, Scale};

/// Resident bytes a server may use per idle connection.
const PER_CONN_LIMIT: i64 = 8 * 1024;

async fn echo_lines(mut r: StreamReader, w: StreamWriter) -> io::Result<()> {
    loop {
        let line = r.readline().await?;
        if line.is_empty() {
            return Ok(());
        }
        w.write(line)?;
        w.drain().await?;
    }
}

/// The child: opens `n` connections to `addr`, echoes a line on each,
/// prints `ready`, and holds them until its stdin closes.
pub fn hold_clients(addr: &str, n: usize) -> io::Result<()> {
    let mut conns = Vec::with_capacity(n);
    for i in 0..n {
        let mut c = StdStream::connect(addr)?;
        c.write_all(format!("{i:08}\n").as_bytes())?;
        conns.push(c);
    }
    for (i, c) in conns.iter_mut().enumerate() {
        let mut buf = [0u8; 9];
        c.read_exact(&mut buf)?;
        if buf[..] != *format!("{i:08}\n").as_bytes() {
            return Err(io::Error::other(format!("connection {i}: wrong echo")));
        }
    }
    println!("ready {n}");
    io::stdout().flush()?;
    let mut rest = Vec::new();
    io::stdin().read_to_end(&mut rest)?;
    Ok(())
}

/// Runs the connections scenario.
pub fn run(scale: Scale) -> Outcome {
    let n: usize = scale.pick(1_000, 10_000);
    raise_nofile()?;
    let out = ringio::run(async move {
        let options = ServerOptions::new().backlog(4096);
        let server = start_server_with(echo_lines, "127.0.0.1:0", options).await?;
        let addr = server.local_addr()?;
        sleep(Duration::from_millis(50)).await;
        let (fd0, rss0) = (fd_count()?, rss_kib()?);
        let start = Instant::now();
        let mut child = Command::new(std::env::current_exe()?)
            .arg("hold-clients")
            .arg(addr.to_string())
            .arg(n.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let out = child
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("the child has no piped stdout"))?;
        let mut said = Vec::new();
        while !said.ends_with(b"\n") {
            let (res, buf) = timeout(Duration::from_secs(120), out.read(Vec::with_capacity(64)))
                .await
                .map_err(|_| io::Error::other("the clients were not ready after 120 s"))?;
            if res? == 0 {
                break;
            }
            said.extend_from_slice(&buf);
        }
        if !said
            .lines()
            .next()
            .is_some_and(|l| l.is_ok_and(|l| l.starts_with("ready")))
        {
            return Err(io::Error::other(format!(
                "the clients failed: {:?}",
                String::from_utf8_lossy(&said)
            )));
        }
        let opened = start.elapsed();
        sleep(Duration::from_millis(100)).await;
        let (active, rss1) = (server.active_connections(), rss_kib()?);
        // Closing the child's stdin lets it exit and close its connections.
        drop(child.stdin.take());
        child.wait().await?;
        let t = Instant::now();
        while server.active_connections() > 0 && t.elapsed() < Duration::from_secs(30) {
            sleep(Duration::from_millis(10)).await;
        }
        let left = server.active_connections();
        server.close();
        server.wait_closed().await;
        // Closing an fd may be an operation on the ring: give it a moment.
        let t = Instant::now();
        let mut fds_left = fd_count()? as i64 - fd0 as i64;
        while fds_left > 0 && t.elapsed() < Duration::from_secs(5) {
            sleep(Duration::from_millis(10)).await;
            fds_left = fd_count()? as i64 - fd0 as i64;
        }
        Ok::<_, io::Error>((active, rss1 as i64 - rss0 as i64, left, fds_left, opened))
    })?;
    let (active, rss_delta, left, fds_left, opened) = out?;
    let per_conn = rss_delta * 1024 / n as i64;
    Ok(vec![
        Figure::new(
            "connections_open",
            active,
            format!(
                "of {n} connections open and echoed at once ({:.1} s to open)",
                opened.as_secs_f64()
            ),
            format!("all {n}"),
            active == n,
        ),
        Figure::new(
            "connections_rss_per_connection",
            per_conn,
            format!("bytes of server RSS per idle connection, {n} connections"),
            format!("at most {PER_CONN_LIMIT} B{}", unchecked()),
            per_conn <= PER_CONN_LIMIT || !rss_checked(),
        ),
        Figure::new(
            "connections_left_after_close",
            format!("{left} connections, {fds_left} fds"),
            "still open after the clients left",
            "limit 0 and 0",
            left == 0 && fds_left <= 0,
        ),
    ])
}
