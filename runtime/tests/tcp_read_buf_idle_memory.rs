//! Memory of `read_buf` over many connections: a burst of small messages
//! that empties the provided-buffer pool does not raise the peak RSS by a
//! buffer per connection, and connections idle after one `read_buf` hold no
//! more than connections idle after one `read` (into a 4 KiB buffer), also
//! with the pool turned off (as on kernels before 5.19).
//!
//! Each measurement runs in a server child process (this binary
//! re-executed) whose clients live in a client child process, so that RSS
//! counts only the server. The server's loop is blocked while the clients
//! send, and the ring runs without `DEFER_TASKRUN`: all arrivals then
//! reach the pool in one kernel pass, before any buffer is recycled. With
//! the default pool, on kernels with incremental buffer consumption (6.12),
//! the burst's small messages share a few buffers; a pool of one 1 KiB
//! buffer makes most connections find it empty (`ENOBUFS`) even after it
//! grows, as a burst beyond any pool would under real load. This is a
//! `harness = false` test.

use std::cell::Cell;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream as StdStream;
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use ringio_runtime::net::TcpListener;
use ringio_runtime::time::sleep;
use ringio_runtime::{spawn, Backend, Runtime};

const ROLE: &str = "RINGIO_TEST_READ_BUF_MEMORY_ROLE";
const CONNS: &str = "RINGIO_TEST_READ_BUF_MEMORY_CONNS";
/// Connections per measurement (`RINGIO_TEST_READ_BUF_MEMORY_CONNS`
/// overrides, e.g. 10000; the soft RLIMIT_NOFILE is raised to the hard).
const DEFAULT_CONNS: usize = 2000;
/// The most the burst may raise the peak RSS, per connection. Before the
/// fix each connection that found the pool empty received into a 16 KiB
/// buffer of its own: ~4 KiB of peak RSS per connection.
const MAX_PEAK_PER_CONN: f64 = 1024.0;
/// How long a phase (connecting, the burst) may take.
const PHASE: Duration = Duration::from_secs(20);

fn main() {
    match std::env::var(ROLE).as_deref() {
        Ok("client") => return client(),
        Ok(mode) => return server(mode),
        Err(_) => {}
    }
    let n = conns();
    let default_pool = measure("read_buf", n);
    let read_buf = measure("read_buf_small_pool", n);
    let no_pool = measure("read_buf_no_pool", n);
    let read = measure("read", n);
    println!(
        "{n} connections: read_buf (default pool): burst peak {:.0} B/conn, \
         idle {:.0} B/conn, pool empty {} times; read_buf (small pool): burst peak {:.0} B/conn, idle {:.0} B/conn, \
         pool empty {} times; read_buf without the pool: burst peak {:.0} B/conn, \
         idle {:.0} B/conn; read (4 KiB buffer): burst peak {:.0} B/conn, idle {:.0} B/conn",
        default_pool.peak,
        default_pool.idle,
        default_pool.pool_empty,
        read_buf.peak,
        read_buf.idle,
        read_buf.pool_empty,
        no_pool.peak,
        no_pool.idle,
        read.peak,
        read.idle
    );
    assert!(
        read_buf.pool_empty >= n as u64 / 2,
        "the burst did not empty the pool ({} ENOBUFS): the test measured nothing",
        read_buf.pool_empty
    );
    for (what, f) in [
        ("a burst that empties the pool", &read_buf),
        ("a burst into the default pool", &default_pool),
    ] {
        assert!(
            f.peak <= MAX_PEAK_PER_CONN,
            "{what} raised the peak RSS by {:.0} B per connection",
            f.peak
        );
    }
    for (what, f) in [
        ("read_buf", &default_pool),
        ("read_buf with a small pool", &read_buf),
        ("read_buf without the pool", &no_pool),
    ] {
        assert!(
            f.idle <= read.idle,
            "idle after {what}: {:.0} B per connection, after read: {:.0} B",
            f.idle,
            read.idle
        );
    }
    println!("test read_buf_memory_over_many_connections ... ok");
}

fn conns() -> usize {
    std::env::var(CONNS)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_CONNS)
}

struct Figures {
    /// Peak RSS growth during the burst, per connection.
    peak: f64,
    /// RSS growth from before connecting to idle, per connection.
    idle: f64,
    pool_empty: u64,
}

/// Runs a server child in `mode` and parses its figures.
fn measure(mode: &str, n: usize) -> Figures {
    let exe = std::env::current_exe().expect("the test binary's path");
    let out = Command::new(exe)
        .env(ROLE, mode)
        .env(CONNS, n.to_string())
        .output()
        .expect("run the server child");
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{mode} server failed: {stdout}");
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("figures "))
        .unwrap_or_else(|| panic!("no figures from the {mode} server: {stdout}"));
    let v: Vec<f64> = line
        .split_whitespace()
        .map(|x| x.parse().expect("a number"))
        .collect();
    Figures {
        peak: v[0],
        idle: v[1],
        pool_empty: v[2] as u64,
    }
}

fn raise_nofile() {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: valid pointers to an rlimit struct.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim), 0);
        lim.rlim_cur = lim.rlim_max;
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &lim), 0);
    }
}

/// Connects to the address on stdin's first line, reports "connected";
/// on the next line sends a small message on every connection, reports
/// "sent"; exits at end of stdin.
fn client() {
    raise_nofile();
    let mut stdin = BufReader::new(std::io::stdin());
    let mut line = String::new();
    stdin.read_line(&mut line).expect("the address");
    let addr = line.trim().to_string();
    let mut clients: Vec<StdStream> = (0..conns())
        .map(|_| StdStream::connect(&addr).expect("connect"))
        .collect();
    println!("connected");
    line.clear();
    stdin.read_line(&mut line).expect("the go-ahead");
    for c in &mut clients {
        c.write_all(b"hello\n").expect("send");
    }
    println!("sent");
    line.clear();
    let _ = stdin.read_line(&mut line);
}

/// A field of /proc/self/status, in bytes.
fn status(field: &str) -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kb: f64 = s
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"));
    kb * 1024.0
}

/// Each accepted connection does one `read` or `read_buf` of the small
/// message and then idles in the next one.
fn server(mode: &str) {
    raise_nofile();
    let n = conns();
    let read_buf = mode != "read";
    // The provided-buffer pool measured here is io_uring's.
    let mut builder = Runtime::builder()
        .backend(Backend::IoUring)
        .defer_taskrun(false);
    if mode == "read_buf_no_pool" {
        builder = builder.read_buffers(0, 16 * 1024);
    }
    if mode == "read_buf_small_pool" {
        builder = builder.read_buffers(1, 1024);
    }
    let rt = builder.build().expect("a runtime");
    rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let accepted = Rc::new(Cell::new(0usize));
        let got = Rc::new(Cell::new(0usize));
        let rss0 = status("VmRSS:");
        let (acc, g) = (accepted.clone(), got.clone());
        let _acceptor = spawn(async move {
            loop {
                let Ok((s, _)) = listener.accept().await else {
                    continue;
                };
                acc.set(acc.get() + 1);
                let g = g.clone();
                spawn(async move {
                    if read_buf {
                        // A message may straddle two pool buffers (and the
                        // pool run dry between them): read until it is whole.
                        let mut b = BytesMut::new();
                        while b.len() < 6 {
                            assert!(s.read_buf(&mut b).await.unwrap() > 0);
                        }
                        assert_eq!(&b[..], b"hello\n");
                        g.set(g.get() + 1);
                        let _ = s.read_buf(&mut b).await;
                    } else {
                        let (res, b) = s.read(Vec::with_capacity(4096)).await;
                        assert_eq!(res.unwrap(), 6);
                        g.set(g.get() + 1);
                        let _ = s.read(b).await;
                    }
                });
            }
        });
        let mut child = Command::new(std::env::current_exe().unwrap())
            .env(ROLE, "client")
            .env(CONNS, n.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the client child");
        let mut to_client = child.stdin.take().unwrap();
        let mut from_client = BufReader::new(child.stdout.take().unwrap());
        writeln!(to_client, "{addr}").unwrap();
        let until = Instant::now() + PHASE;
        while accepted.get() < n {
            assert!(Instant::now() < until, "only {} accepted", accepted.get());
            sleep(Duration::from_millis(2)).await;
        }
        let mut line = String::new();
        from_client.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "connected");
        // Let every connection's read be submitted.
        sleep(Duration::from_millis(50)).await;
        let before = status("VmRSS:");
        // Reset the peak (VmHWM) to the current RSS.
        std::fs::write("/proc/self/clear_refs", "5").expect("reset VmHWM");
        // The burst arrives while the loop is blocked here.
        writeln!(to_client, "go").unwrap();
        line.clear();
        from_client.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "sent");
        let until = Instant::now() + PHASE;
        while got.get() < n {
            assert!(Instant::now() < until, "only {} read", got.get());
            sleep(Duration::from_millis(2)).await;
        }
        sleep(Duration::from_millis(50)).await;
        let peak = (status("VmHWM:") - before) / n as f64;
        let idle = (status("VmRSS:") - rss0) / n as f64;
        let pool_empty = rt.driver_stats().pool_empty;
        println!("figures {peak:.0} {idle:.0} {pool_empty}");
        drop(to_client);
        child.wait().expect("the client exits");
        // Skip dropping thousands of sockets: the process ends here.
        std::process::exit(0);
    })
    .expect("the loop runs");
}
