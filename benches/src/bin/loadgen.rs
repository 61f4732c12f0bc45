//! The suite's load generator: the same client for every server, written
//! directly on the io-uring crate so that no runtime under test is also the
//! load.
//!
//! It opens `--conns` connections to `--addr` and runs a plain ping-pong on
//! each: send a `--size`-byte message (ending in `\n`, so the same load
//! drives echo and line-echo servers), read until the whole echo is back,
//! check it, repeat. All sends and receives of all connections go through
//! one ring, one `io_uring_enter` per batch of completions. It pins itself
//! to `--cpu`, warms up for `--warmup` seconds, then measures for
//! `--duration` seconds and prints one JSON line:
//!
//! - `rps`: round trips per second; `round_trips`; `errors` (connections
//!   that failed or echoed the wrong bytes);
//! - `p50_us`, `p99_us`, `p999_us`, `max_us`: round-trip latency
//!   (hdrhistogram, 3 significant digits);
//! - with `--server-pid`: `server_cpu_us_per_rt`, the server process's CPU
//!   time (user + system, from `/proc/PID/stat`) per round trip, and
//!   `server_cpu_util`, its share of one CPU during the measurement;
//! - `client_cpu_util`: this process's share of one CPU (near 1.0 would
//!   mean the client, not the server, is the bottleneck).
//!
//! With `--mode http` the message is a fixed HTTP/1.1 `GET /` (keep-alive)
//! instead, and a round trip ends when the whole response is in: its
//! head up to `\r\n\r\n`, then `content-length` bytes of body. A
//! response that is not `200`, or that has more bytes than that, counts as
//! an error. `--size` is ignored.
//!
//! Usage: `loadgen --addr 127.0.0.1:PORT [--conns 64] [--size 128]
//! [--duration 3] [--warmup 0.5] [--cpu 1] [--server-pid PID]
//! [--mode echo|line|http]`

use std::io;
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use io_uring::{opcode, squeue, types, IoUring};
use ringio_benches::args::Args;
use ringio_benches::sys;
use ringio_benches::uring::push;

const SEND: u64 = 0;
const RECV: u64 = 1;

/// One connection's ping-pong state: bytes of the current message sent,
/// and bytes of its echo received. The receive is queued with the send,
/// so that it is already waiting when the echo arrives (one
/// `io_uring_enter` fewer per round trip).
struct Conn {
    stream: TcpStream,
    back: Vec<u8>,
    sent: usize,
    got: usize,
    started: Instant,
    alive: bool,
}

struct Config {
    addr: SocketAddr,
    http: bool,
    conns: usize,
    size: usize,
    duration: Duration,
    warmup: Duration,
    server_pid: Option<u32>,
}

fn main() {
    if let Err(e) = run() {
        eprintln!("loadgen: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let args = Args::from_env()?;
    let http = match args.text("mode").unwrap_or("echo") {
        "echo" | "line" => false,
        "http" => true,
        m => return Err(format!("--mode {m:?}: expected echo, line or http")),
    };
    let cfg = Config {
        addr: args.require("addr")?,
        http,
        conns: args.get("conns", 64usize)?.max(1),
        size: args.get("size", 128usize)?.max(1),
        duration: Duration::from_secs_f64(args.get("duration", 3.0f64)?),
        warmup: Duration::from_secs_f64(args.get("warmup", 0.5f64)?),
        server_pid: args
            .text("server-pid")
            .map(str::parse)
            .transpose()
            .map_err(|_| "--server-pid: not a pid")?,
    };
    if let Some(cpu) = args.text("cpu") {
        let cpu: usize = cpu.parse().map_err(|_| "--cpu: not a CPU number")?;
        sys::pin_to_cpu(cpu).map_err(|e| format!("pinning to CPU {cpu}: {e}"))?;
    }
    sys::raise_nofile();
    let out = drive(&cfg).map_err(|e| format!("{e}"))?;
    println!("{out}");
    // Exit at once: operations still in flight write into buffers that
    // must not be freed before the ring is gone, and the process's exit
    // tears both down together.
    std::process::exit(0);
}

fn ring_for(conns: usize) -> io::Result<IoUring> {
    ringio_benches::uring::ring((2 * conns + 16).next_power_of_two().clamp(64, 4096) as u32)
}

fn send_sqe(i: usize, c: &Conn, msg: &[u8]) -> squeue::Entry {
    let rest = &msg[c.sent..];
    opcode::Send::new(
        types::Fd(c.stream.as_raw_fd()),
        rest.as_ptr(),
        rest.len() as u32,
    )
    .build()
    .user_data((i as u64) << 1 | SEND)
}

fn recv_sqe(i: usize, c: &mut Conn) -> squeue::Entry {
    let rest = &mut c.back[c.got..];
    opcode::Recv::new(
        types::Fd(c.stream.as_raw_fd()),
        rest.as_mut_ptr(),
        rest.len() as u32,
    )
    .build()
    .user_data((i as u64) << 1 | RECV)
}

fn message(size: usize) -> Vec<u8> {
    let mut m: Vec<u8> = (0..size).map(|i| b'a' + (i % 26) as u8).collect();
    m[size - 1] = b'\n';
    m
}

/// The request of `--mode http`.
const GET: &[u8] = b"GET / HTTP/1.1\r\nHost: loadgen\r\n\r\n";
/// The receive buffer of `--mode http`: room for one response.
const HTTP_BACK: usize = 4096;

/// Whether the bytes received make the whole answer to `msg`: `None`
/// while more are due, `Some(true)` when they are the answer, `Some(false)`
/// when they are wrong (or too many).
fn answered(http: bool, msg: &[u8], back: &[u8]) -> Option<bool> {
    if !http {
        return (back.len() >= msg.len()).then(|| back == msg);
    }
    let Some(head) = back.windows(4).position(|w| w == b"\r\n\r\n") else {
        return (back.len() == HTTP_BACK).then_some(false);
    };
    let text = String::from_utf8_lossy(&back[..head]);
    let length = text.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())?
    });
    let Some(total) = length.map(|n| head + 4 + n) else {
        return Some(false);
    };
    if back.len() < total {
        return (total > HTTP_BACK).then_some(false);
    }
    Some(back.len() == total && text.starts_with("HTTP/1.1 200 "))
}

fn server_cpu(pid: Option<u32>) -> Option<Duration> {
    pid.and_then(|p| sys::process_cpu(p).ok())
}

fn drive(cfg: &Config) -> io::Result<serde_json::Value> {
    let msg = if cfg.http {
        GET.to_vec()
    } else {
        message(cfg.size)
    };
    let back = if cfg.http { HTTP_BACK } else { cfg.size };
    let mut conns = Vec::with_capacity(cfg.conns);
    for _ in 0..cfg.conns {
        let stream = TcpStream::connect(cfg.addr)?;
        stream.set_nodelay(true)?;
        conns.push(Conn {
            stream,
            back: vec![0; back],
            sent: 0,
            got: 0,
            started: Instant::now(),
            alive: true,
        });
    }
    let mut ring = ring_for(cfg.conns)?;
    for (i, c) in conns.iter_mut().enumerate() {
        // SAFETY: `msg` and every `back` live until the process exits
        // (run() exits without returning); `conns` is never resized.
        unsafe {
            push(&mut ring, &send_sqe(i, c, &msg))?;
            push(&mut ring, &recv_sqe(i, c))?;
        }
    }

    let mut hist =
        Histogram::<u64>::new_with_bounds(1, 60_000_000_000, 3).map_err(io::Error::other)?;
    let mut trips = 0u64;
    let mut errors = 0u64;
    let mut alive = cfg.conns;
    let start = Instant::now();
    let measure_from = start + cfg.warmup;
    let measure_until = measure_from + cfg.duration;
    let mut measuring: Option<(Instant, Option<Duration>, Duration)> = None;
    let mut done: Vec<(u64, i32)> = Vec::with_capacity(cfg.conns);
    let wait = types::Timespec::new().nsec(100_000_000);
    let wait = types::SubmitArgs::new().timespec(&wait);
    loop {
        match ring.submitter().submit_with_args(1, &wait) {
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.raw_os_error(),
                    Some(libc::ETIME | libc::EINTR | libc::EBUSY)
                ) => {}
            Err(e) => return Err(e),
        }
        let now = Instant::now();
        if measuring.is_none() && now >= measure_from {
            hist.reset();
            trips = 0;
            measuring = Some((now, server_cpu(cfg.server_pid), sys::self_cpu()));
        }
        if now >= measure_until {
            break;
        }
        if alive == 0 {
            return Err(io::Error::other(format!(
                "all {} connections failed ({errors} errors)",
                cfg.conns
            )));
        }
        done.clear();
        done.extend(ring.completion().map(|c| (c.user_data(), c.result())));
        for &(data, res) in &done {
            let i = (data >> 1) as usize;
            let c = &mut conns[i];
            if !c.alive {
                // The other operation of a connection already given up.
                continue;
            }
            if res <= 0 {
                // An error, or the server closed the connection.
                c.alive = false;
                alive -= 1;
                errors += 1;
                continue;
            }
            if data & 1 == SEND {
                c.sent += res as usize;
                if c.sent < msg.len() {
                    // SAFETY: as above, the buffers outlive the ring.
                    unsafe { push(&mut ring, &send_sqe(i, c, &msg))? };
                }
                continue;
            }
            c.got += res as usize;
            let Some(right) = answered(cfg.http, &msg, &c.back[..c.got]) else {
                // SAFETY: as above.
                unsafe { push(&mut ring, &recv_sqe(i, c))? };
                continue;
            };
            // The whole answer is back (so the whole message was sent).
            if !right {
                c.alive = false;
                alive -= 1;
                errors += 1;
                continue;
            }
            hist.saturating_record((now.duration_since(c.started).as_nanos() as u64).max(1));
            trips += 1;
            c.sent = 0;
            c.got = 0;
            c.started = now;
            // SAFETY: as above.
            unsafe {
                push(&mut ring, &send_sqe(i, c, &msg))?;
                push(&mut ring, &recv_sqe(i, c))?;
            }
        }
    }
    let end = Instant::now();
    let server_end = server_cpu(cfg.server_pid);
    let client_end = sys::self_cpu();
    let (from, server_from, client_from) =
        measuring.unwrap_or((start, server_cpu(cfg.server_pid), Duration::ZERO));
    let wall = end.duration_since(from).as_secs_f64();
    let us = |q: f64| hist.value_at_quantile(q) as f64 / 1e3;
    let mut out = serde_json::json!({
        "conns": cfg.conns,
        "size": msg.len(),
        "seconds": wall,
        "round_trips": trips,
        "rps": trips as f64 / wall,
        "p50_us": us(0.5),
        "p99_us": us(0.99),
        "p999_us": us(0.999),
        "max_us": hist.max() as f64 / 1e3,
        "errors": errors,
        "client_cpu_util": (client_end.saturating_sub(client_from)).as_secs_f64() / wall,
    });
    if let (Some(a), Some(b)) = (server_from, server_end) {
        let cpu = b.saturating_sub(a).as_secs_f64();
        out["server_cpu_util"] = (cpu / wall).into();
        out["server_cpu_us_per_rt"] = (cpu * 1e6 / trips.max(1) as f64).into();
    }
    Ok(out)
}
