//! An EMFILE storm: clients wait in the backlog of a stream server while
//! the process has no fd left. The server's accept loop must back off
//! rather than spin (CPU measured), log a bounded number of errors, and
//! serve every waiting client once fds are free again. The fd limit is
//! process-wide: run this scenario in a process of its own (`all` does).

use std::io::{self, Write as _};
use std::net::{SocketAddr, TcpStream as StdStream};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
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
/// Accept errors logged per second, at most. The listener backs off from
/// 1 ms doubling to 50 ms while fds stay exhausted, so a storm settles at
/// 20 errors/s after a short ramp; 40/s leaves room for the ramp and is
/// five orders of magnitude below the spin it guards against (1.6 million
/// errors in 2 s).
const ERRORS_LIMIT: f64 = 40.0;

async fn echo_line(mut r: StreamReader, w: StreamWriter) -> io::Result<()> {
    let line = r.readline().await?;
    w.write(line)?;
    w.drain().await?;
    Ok(())
}

/// A TCP socket, not yet connected.
fn socket() -> io::Result<OwnedFd> {
    // SAFETY: plain socket(2) call; the result is checked.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: socket(2) just made `fd`; nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Connects socket `fd` to `addr` (an IPv4 address), blocking.
fn connect(fd: OwnedFd, addr: SocketAddr) -> io::Result<StdStream> {
    let SocketAddr::V4(v4) = addr else {
        return Err(io::Error::other("the server is not on IPv4"));
    };
    let sin = libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: v4.port().to_be(),
        sin_addr: libc::in_addr {
            s_addr: u32::from(*v4.ip()).to_be(),
        },
        sin_zero: [0; 8],
    };
    // SAFETY: `fd` is an open socket; `sin` is a valid sockaddr_in of the
    // given length.
    let rc = unsafe {
        libc::connect(
            fd.as_raw_fd(),
            (&sin as *const libc::sockaddr_in).cast(),
            std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(StdStream::from(fd))
}

/// Runs the EMFILE storm scenario.
pub fn run(scale: Scale) -> Outcome {
    let storm = scale.pick(Duration::from_secs(3), Duration::from_secs(15));
    let (counter, _guard) = ErrorCounter::install("accept failed");
    let (soft, _) = nofile()?;
    let out = ringio::run(async move {
        // The clients' sockets are made first; then one fd is left free,
        // for the server's listening socket. (The limit must be set before
        // the server arms its accept: the kernel reads RLIMIT_NOFILE when
        // an accept is submitted.) Then the clients connect (the kernel
        // completes that from the backlog) and wait to be accepted.
        let sockets: Vec<OwnedFd> = (0..CLIENTS).map(|_| socket()).collect::<io::Result<_>>()?;
        set_nofile(lowest_free_fd()? as u64 + 1)?;
        let server = start_server(echo_line, "127.0.0.1:0").await?;
        let addr = server.local_addr()?;
        let mut clients = Vec::new();
        for fd in sockets {
            let mut c = connect(fd, addr)?;
            c.write_all(b"ping\n")?;
            clients.push(TcpStream::from_std(c)?);
        }
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
