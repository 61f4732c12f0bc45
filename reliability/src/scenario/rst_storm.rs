//! An RST storm: peers reset their connections (`SO_LINGER` 0, then
//! close) while the server waits in a read. Every waiting read must fail
//! with `ConnectionReset`, every later write with `BrokenPipe` or
//! `ConnectionReset`, promptly; none may hang. Half of the connections
//! use raw `TcpStream`s, half asyncio-style streams.

use std::io::{self, ErrorKind};
use std::net::TcpStream as StdStream;
use std::os::fd::AsRawFd;
use std::time::Duration;

use ringio::net::{TcpListener, TcpStream};
use ringio::streams::{self, ReadError, StreamOptions};
use ringio::time::{sleep, timeout, Instant};

use crate::join::joined;
use crate::{Figure, Outcome, Scale};

const BATCH: usize = 50;

/// What one reset connection saw.
#[derive(Debug, PartialEq, Eq)]
enum Seen {
    /// Read failed with ConnectionReset, then write failed.
    Reset,
    /// Something else: the string says what.
    Wrong(String),
}

fn linger_zero(s: &StdStream) -> io::Result<()> {
    let lin = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket fd and a pointer to a linger of the given size.
    let rc = unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&lin as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

fn write_failed(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::BrokenPipe | ErrorKind::ConnectionReset)
}

async fn raw(s: TcpStream) -> Seen {
    let (res, _) = s.read(vec![0u8; 64]).await;
    match res {
        Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
        other => return Seen::Wrong(format!("raw read: {other:?}")),
    }
    match s.write_all(vec![7u8; 64 * 1024]).await.0 {
        Err(e) if write_failed(&e) => Seen::Reset,
        other => Seen::Wrong(format!("raw write after reset: {other:?}")),
    }
}

async fn stream(s: TcpStream) -> Seen {
    let (mut r, w) = match streams::from_tcp(s, StreamOptions::new()) {
        Ok(rw) => rw,
        Err(e) => return Seen::Wrong(format!("from_tcp: {e}")),
    };
    match r.readline().await {
        Err(ReadError::Io(e)) if e.kind() == ErrorKind::ConnectionReset => {}
        other => return Seen::Wrong(format!("readline: {other:?}")),
    }
    let wrote = match w.write(vec![7u8; 64 * 1024]) {
        Ok(()) => w.drain().await,
        Err(e) => Err(e),
    };
    match wrote {
        Err(e) if e.is_connection_lost() => Seen::Reset,
        other => Seen::Wrong(format!("write/drain after reset: {other:?}")),
    }
}

/// Runs the RST storm scenario.
pub fn run(scale: Scale) -> Outcome {
    let total: usize = scale.pick(1_000, 10_000);
    let out = ringio::run(async move {
        let listener = TcpListener::options()
            .backlog(1024)
            .bind("127.0.0.1:0")
            .await?;
        let addr = listener.local_addr()?;
        let (mut reset, mut hung, mut wrong) = (0usize, 0usize, Vec::new());
        let start = Instant::now();
        for batch in 0..total / BATCH {
            let mut clients = Vec::new();
            let mut tasks = Vec::new();
            for i in 0..BATCH {
                let c = StdStream::connect(addr)?;
                linger_zero(&c)?;
                clients.push(c);
                let (s, _) = timeout(Duration::from_secs(10), listener.accept())
                    .await
                    .map_err(|_| io::Error::other("accept hung"))??;
                tasks.push(if (batch + i) % 2 == 0 {
                    ringio::spawn(async move { raw(s).await })
                } else {
                    ringio::spawn(async move { stream(s).await })
                });
            }
            // Let every read reach the kernel, then reset all at once.
            sleep(Duration::from_millis(5)).await;
            drop(clients);
            for t in tasks {
                match timeout(Duration::from_secs(10), t).await {
                    Err(_) => hung += 1,
                    Ok(r) => match joined(r)? {
                        Seen::Reset => reset += 1,
                        Seen::Wrong(what) => wrong.push(what),
                    },
                }
            }
        }
        Ok::<_, io::Error>((reset, hung, wrong, start.elapsed()))
    })?;
    let (reset, hung, wrong, took) = out?;
    let n = total / BATCH * BATCH;
    let sample = wrong.first().cloned().unwrap_or_default();
    Ok(vec![
        Figure::new(
            "rst_storm_hung",
            hung,
            format!(
                "of {n} reset connections left an operation hanging ({:.1} s in all)",
                took.as_secs_f64()
            ),
            "limit 0",
            hung == 0,
        ),
        Figure::new(
            "rst_storm_wrong_outcome",
            wrong.len(),
            format!(
                "of {n} saw other than ConnectionReset then BrokenPipe/reset ({reset} did){}",
                if sample.is_empty() {
                    String::new()
                } else {
                    format!("; first: {sample}")
                }
            ),
            "limit 0",
            wrong.is_empty(),
        ),
    ])
}
