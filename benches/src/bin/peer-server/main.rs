//! One echo server of the suite, run as its own process so that the
//! report can pin it to a CPU and read its CPU time from `/proc`.
//!
//! `peer-server --peer NAME [--mode echo|line] [--cpu 0]` pins itself to
//! the CPU, listens on a free port of 127.0.0.1, prints the port on a line
//! of its own and serves until killed.
//!
//! - `--mode echo`: each connection's bytes are written back as they
//!   arrive, with a 64 KiB buffer per read. Peers: `ringio-read` (`read`
//!   into an owned buffer), `ringio-read_buf` (`read_buf`: a multishot
//!   receive into the loop's provided-buffer pool), `tokio` (current_thread
//!   runtime), `raw-uring` (a loop written directly on the io-uring crate:
//!   the floor), `raw-uring-fixed` (the same loop through registered
//!   files), `ringio-epoll` (`read` on the epoll backend, as where
//!   io_uring is refused), and with the `peers` feature `monoio` and
//!   `compio`.
//! - `--mode line`: each line is written back, as an application would
//!   with its runtime's buffered streams. Peers: `ringio` (`readline`,
//!   `write`, `drain`), `ringio-epoll` (the same on the epoll backend),
//!   `tokio` (`BufReader::read_until` + `write_all`).
//! - `--mode http`: hyper's HTTP/1 hello server, keep-alive. Peers:
//!   `ringio` (through `ringio::compat`), `tokio` (current_thread).
//!
//! With `RINGIO_PEER_STATS` set in the environment, ringio's echo servers
//! print the loop's `DriverStats` to stderr every second (pool reads,
//! `ENOBUFS`, multishot receives armed, pool growth).

#[cfg(feature = "peers")]
mod compio_peer;
mod hyper_peer;
#[cfg(feature = "peers")]
mod monoio_peer;
mod raw_uring;
mod ringio_peer;
mod tokio_peer;

use std::io::{self, Write};

use ringio_benches::args::Args;
use ringio_benches::sys;

/// Bytes asked for per read by the echo servers.
pub const BUF: usize = 64 * 1024;

fn main() {
    if let Err(e) = run() {
        eprintln!("peer-server: {e}");
        std::process::exit(1);
    }
}

/// Tells the report the port the server listens on.
pub fn announce(port: u16) -> io::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{port}")?;
    out.flush()
}

fn run() -> Result<(), String> {
    let args = Args::from_env()?;
    let peer: String = args.require("peer")?;
    let mode = args.text("mode").unwrap_or("echo").to_owned();
    if let Some(cpu) = args.text("cpu") {
        let cpu: usize = cpu.parse().map_err(|_| "--cpu: not a CPU number")?;
        sys::pin_to_cpu(cpu).map_err(|e| format!("pinning to CPU {cpu}: {e}"))?;
    }
    sys::raise_nofile();
    let res = match (peer.as_str(), mode.as_str()) {
        ("ringio-read", "echo") => ringio_peer::echo(false, None),
        ("ringio-read_buf", "echo") => ringio_peer::echo(true, None),
        ("ringio-epoll", "echo") => ringio_peer::echo(false, Some(ringio::Backend::Epoll)),
        ("ringio", "line") => ringio_peer::line(None),
        ("ringio-epoll", "line") => ringio_peer::line(Some(ringio::Backend::Epoll)),
        ("tokio", "echo") => tokio_peer::echo(),
        ("tokio", "line") => tokio_peer::line(),
        ("raw-uring", "echo") => raw_uring::echo(false),
        ("raw-uring-fixed", "echo") => raw_uring::echo(true),
        ("ringio", "http") => hyper_peer::ringio(None),
        ("ringio-epoll", "http") => hyper_peer::ringio(Some(ringio::Backend::Epoll)),
        ("tokio", "http") => hyper_peer::tokio(),
        #[cfg(feature = "peers")]
        ("monoio", "echo") => monoio_peer::echo(),
        #[cfg(feature = "peers")]
        ("compio", "echo") => compio_peer::echo(),
        (p, m) => {
            return Err(format!(
            "no peer {p:?} with mode {m:?} in this build (monoio and compio need --features peers)"
        ))
        }
    };
    res.map_err(|e| format!("{peer} ({mode}): {e}"))
}
