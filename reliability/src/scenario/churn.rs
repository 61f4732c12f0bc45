//! Connect/accept/drop churn: many short connections, each one byte each
//! way, the server closing first. Open fds and resident memory measured
//! after a warm-up and at the end must stay flat.

use std::cell::Cell;
use std::io;
use std::rc::Rc;
use std::time::{Duration, Instant};

use ringio::net::{TcpListener, TcpStream};
use ringio::time::{sleep, timeout};

use crate::probe::{fd_count, kib_to_mib, rss_checked, rss_kib, unchecked};
use crate::{Figure, Outcome, Scale};

/// Connections at once.
const CONCURRENCY: usize = 16;
/// RSS growth allowed between warm-up and the end.
const RSS_LIMIT_KIB: i64 = 8 * 1024;

async fn serve(listener: TcpListener, errors: Rc<Cell<u64>>) {
    loop {
        match listener.accept().await {
            Ok((s, _)) => {
                let errors = errors.clone();
                ringio::spawn(async move {
                    let (res, buf) = s.read(vec![0u8; 1]).await;
                    let ok = matches!(res, Ok(1)) && buf[0] == b'?';
                    if !ok || s.write_all(&b"!"[..]).await.0.is_err() {
                        errors.set(errors.get() + 1);
                    }
                });
            }
            Err(_) => errors.set(errors.get() + 1),
        }
    }
}

async fn client(addr: std::net::SocketAddr) -> io::Result<()> {
    let s = TcpStream::connect(&addr).await?;
    s.write_all(&b"?"[..]).await.0?;
    let (res, buf) = s.read(vec![0u8; 1]).await;
    if res? != 1 || buf[0] != b'!' {
        return Err(io::Error::other("wrong reply"));
    }
    // The server closes first: its end holds TIME_WAIT, not our port.
    let (res, _) = s.read(vec![0u8; 1]).await;
    if res? != 0 {
        return Err(io::Error::other("data after the reply"));
    }
    Ok(())
}

/// Runs the churn scenario.
pub fn run(scale: Scale) -> Outcome {
    let total: usize = scale.pick(10_000, 100_000);
    ringio::run(async move {
        let listener = TcpListener::options()
            .backlog(1024)
            .bind("127.0.0.1:0")
            .await?;
        let addr = listener.local_addr()?;
        let server_errors = Rc::new(Cell::new(0u64));
        let server = ringio::spawn(serve(listener, server_errors.clone()));
        let client_errors = Rc::new(Cell::new(0u64));
        let done = Rc::new(Cell::new(0usize));
        let start = Instant::now();
        let mut warm = None;
        let per_worker = total / CONCURRENCY;
        let mut workers = Vec::new();
        for _ in 0..CONCURRENCY {
            let (errors, done) = (client_errors.clone(), done.clone());
            workers.push(ringio::spawn(async move {
                for _ in 0..per_worker {
                    match timeout(Duration::from_secs(10), client(addr)).await {
                        Ok(Ok(())) => {}
                        _ => errors.set(errors.get() + 1),
                    }
                    done.set(done.get() + 1);
                }
            }));
        }
        while done.get() < per_worker * CONCURRENCY {
            if warm.is_none() && done.get() >= total / 10 {
                warm = Some((fd_count()?, rss_kib()?));
            }
            sleep(Duration::from_millis(5)).await;
        }
        for w in workers {
            crate::join::joined(w.await)?;
        }
        // Let the server's last connection tasks finish.
        sleep(Duration::from_millis(100)).await;
        let took = start.elapsed();
        let (fd0, rss0) = warm.ok_or_else(|| io::Error::other("no warm-up sample"))?;
        let (fd1, rss1) = (fd_count()?, rss_kib()?);
        server.abort();
        let errors = client_errors.get() + server_errors.get();
        let done = per_worker * CONCURRENCY;
        let fd_delta = fd1 as i64 - fd0 as i64;
        let rss_delta = rss1 as i64 - rss0 as i64;
        Ok::<_, io::Error>(vec![
            Figure::new(
                "churn_fd_delta",
                fd_delta,
                format!("fds after {done} connections vs after {}", total / 10),
                "at most 0",
                fd_delta <= 0,
            ),
            Figure::new(
                "churn_rss_delta",
                format!("{:.2}", kib_to_mib(rss_delta)),
                format!("MiB (RSS {:.1} MiB at the end)", kib_to_mib(rss1 as i64)),
                format!("at most {} MiB{}", RSS_LIMIT_KIB / 1024, unchecked()),
                rss_delta <= RSS_LIMIT_KIB || !rss_checked(),
            ),
            Figure::new(
                "churn_errors",
                errors,
                format!(
                    "failed connections of {done} ({:.0} connections/s)",
                    done as f64 / took.as_secs_f64()
                ),
                "limit 0",
                errors == 0,
            ),
        ])
    })?
    .map_err(Into::into)
}
