//! An EMFILE storm: clients wait in the backlog of a stream server while
//! the process has no fd left. The server's accept loop must back off
//! rather than spin (CPU measured), log a bounded number of errors, and
//! serve every waiting client once fds are free again. The fd limit is
//! process-wide: run this scenario in a process of its own (`all` does).

use std::io::{self, Write as _};
use std::net::TcpStream as StdStream;
use std::time::Duration;

use ringio::net::TcpStream;
use ringio::streams::{start_server, StreamReader, StreamWriter};
use ringio::time::{sleep, timeout, Instant};

use crate::error_counter::ErrorCounter;
use crate::probe::{cpu_time, lowest_free_fd, nofile, set_nofile};
use crate::{Figure, Outcome, Scale};

/// Clients waiting during the storm.
const CLIENTS: usize = 20;
/// CPU the process may use while accept fails, in % of one core.
const CPU_LIMIT: f64 = 10.0;
/// Accept errors logged per second, at most.
const ERRORS_LIMIT: f64 = 20.0;

async fn echo_line(mut r: StreamReader, w: StreamWriter) -> io::Result<()> {
    let line = r.readline().await?;
    w.write(line)?;
    w.drain().await?;
    Ok(())
}

/// Runs the EMFILE storm scenario.
pub fn run(scale: Scale) -> Outcome {
    let storm = scale.pick(Duration::from_secs(3), Duration::from_secs(15));
    let (counter, _guard) = ErrorCounter::install("accept failed");
    let (soft, _) = nofile()?;
    let out = ringio::run(async move {
        let server = start_server(echo_line, "127.0.0.1:0").await?;
        let addr = server.local_addr()?;
        sleep(Duration::from_millis(20)).await;
        // Connect (the kernel completes it from the backlog), then leave
        // no fd free before the loop runs again.
        let mut std_clients = Vec::new();
        for _ in 0..CLIENTS {
            let mut c = StdStream::connect(addr)?;
            c.write_all(b"ping\n")?;
            std_clients.push(c);
        }
        set_nofile(lowest_free_fd()? as u64)?;
        let clients: Vec<TcpStream> = std_clients
            .into_iter()
            .map(TcpStream::from_std)
            .collect::<io::Result<_>>()?;
        let (cpu0, t0, err0) = (cpu_time()?, Instant::now(), counter.count());
        sleep(storm).await;
        let (cpu1, wall, errors) = (cpu_time()?, t0.elapsed(), counter.count() - err0);
        set_nofile(soft)?;
        let mut served = 0;
        for c in &clients {
            let r = timeout(Duration::from_secs(10), c.read(vec![0u8; 16])).await;
            if let Ok((Ok(5), buf)) = r {
                served += usize::from(&buf[..5] == b"ping\n");
            }
        }
        server.close();
        let cpu = (cpu1 - cpu0).as_secs_f64() / wall.as_secs_f64() * 100.0;
        let per_sec = errors as f64 / wall.as_secs_f64();
        Ok::<_, io::Error>((cpu, errors, per_sec, served, wall))
    });
    set_nofile(soft)?;
    let (cpu, errors, per_sec, served, wall) = out??;
    Ok(vec![
        Figure::new(
            "emfile_storm_cpu",
            format!("{cpu:.1}"),
            format!(
                "% of a core over {:.1} s without a free fd, {CLIENTS} clients waiting",
                wall.as_secs_f64()
            ),
            format!("at most {CPU_LIMIT} %"),
            cpu <= CPU_LIMIT,
        ),
        Figure::new(
            "emfile_storm_accept_errors",
            format!("{per_sec:.1}"),
            format!("accept errors logged per second ({errors} in all)"),
            format!("at most {ERRORS_LIMIT}/s, at least 1 (the storm happened)"),
            per_sec <= ERRORS_LIMIT && errors >= 1,
        ),
        Figure::new(
            "emfile_storm_recovered",
            served,
            format!("of {CLIENTS} waiting clients served once fds were free"),
            format!("all {CLIENTS}"),
            served == CLIENTS,
        ),
    ])
}
