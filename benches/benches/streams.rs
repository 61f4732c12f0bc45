//! Streams beside tokio and Python's asyncio, in one run:
//!
//! - **line echo**: a server whose handler loops over `readline`, `write`,
//!   `drain` (ringio's `start_server`; tokio's `BufReader::read_until` +
//!   `write_all` on a current_thread runtime; asyncio's `start_server`
//!   with `readline`/`write`/`drain`, when `python3` is on the machine).
//!   The load is the same client for all three: a ringio loop on the main
//!   thread with 32 connections, each sending a 64-byte line and waiting
//!   for its echo, 2000 times. Reported: median wall time of several rounds,
//!   messages per second, the server thread's CPU time per message, and
//!   the ratios (peer time / ringio time: above 1 means ringio is faster).
//! - **idle memory**: the server (ringio, then tokio) runs in a child
//!   process; 10,000 clients connect, exchange one line and go idle; the
//!   growth of the child's resident memory divided by 10,000 is the cost
//!   of an idle connection (goal: at most 4 KiB with ringio).
//!
//! Run: `cargo bench -p ringio-benches --bench streams` (IDLE_CONNS=N for
//! the idle measurement, default 10,000; ROUNDS=N to
//! change the number of rounds, default 5).

use std::io::{BufRead, BufReader as StdBufReader, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ringio::net::TcpStream;
use ringio::streams::{start_server_with, ServerOptions, StreamReader, StreamWriter};
use ringio_benches::{median_of, report};

const CONNS: usize = 32;
const LINES: usize = 2000;
const LINE: &[u8] = b"the quick brown fox jumps over the lazy dog, again and again ..\n";
/// Idle connections of the memory measurement (IDLE_CONNS=N to change:
/// CI's smoke round uses fewer).
fn idle_conns() -> usize {
    std::env::var("IDLE_CONNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000)
}
const IDLE_CHILD: &str = "RINGIO_BENCH_IDLE_SERVER";

type Error = Box<dyn std::error::Error>;

fn main() {
    if let Ok(kind) = std::env::var(IDLE_CHILD) {
        idle_server(&kind);
        return;
    }
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    println!(
        "line echo: {CONNS} connections x {LINES} lines of {} B, median of {rounds} rounds",
        LINE.len()
    );
    let messages = (CONNS * LINES) as f64;

    let (addr, proc) = ringio_server();
    let ringio = measure("ringio", addr, Some(&proc), rounds, messages);
    let (addr, proc) = tokio_server();
    let tokio = measure("tokio", addr, Some(&proc), rounds, messages);
    report("line echo vs tokio", ringio.0, "tokio", tokio.0);
    print_cpu_ratio("tokio", ringio.1, tokio.1);

    match python_server() {
        Ok((mut child, addr)) => {
            let proc = PathBuf::from(format!("/proc/{}", child.id()));
            let asyncio = measure("asyncio", addr, Some(&proc), rounds, messages);
            report("line echo vs asyncio", ringio.0, "asyncio", asyncio.0);
            print_cpu_ratio("asyncio", ringio.1, asyncio.1);
            let _ = child.kill();
            let _ = child.wait();
        }
        Err(e) => println!("asyncio: skipped ({e})"),
    }

    println!();
    println!(
        "idle connections: server RSS growth for {} connections",
        idle_conns()
    );
    for kind in ["ringio", "tokio"] {
        match idle_memory(kind) {
            Ok(per_conn) => println!("{kind:<8} {per_conn:>8.0} bytes per idle connection"),
            Err(e) => println!("{kind:<8} skipped: {e}"),
        }
    }
}

fn print_cpu_ratio(peer: &str, ringio: Option<Duration>, other: Option<Duration>) {
    if let (Some(r), Some(o)) = (ringio, other) {
        println!(
            "{:<32} server CPU ratio {peer}/ringio {:>5.2}x",
            "",
            o.as_secs_f64() / r.as_secs_f64().max(f64::MIN_POSITIVE)
        );
    }
}

/// Runs the client load `rounds` times against `addr`; prints and returns
/// the median wall time and the median server CPU time per round.
fn measure(
    name: &str,
    addr: SocketAddr,
    proc: Option<&Path>,
    rounds: usize,
    messages: f64,
) -> (Duration, Option<Duration>) {
    // One warm-up round, not counted.
    client_load(addr);
    let mut cpus = Vec::new();
    let wall = median_of(rounds, || {
        let cpu0 = proc.and_then(cpu_time);
        client_load(addr);
        if let (Some(a), Some(b)) = (cpu0, proc.and_then(cpu_time)) {
            cpus.push(b.saturating_sub(a));
        }
    });
    cpus.sort();
    let cpu = cpus.get(cpus.len() / 2).copied();
    println!(
        "{name:<8} {:>10.0} msg/s   median {:>8.1} ms   server CPU {}",
        messages / wall.as_secs_f64(),
        wall.as_secs_f64() * 1e3,
        cpu.map_or("unknown".into(), |c| format!(
            "{:.2} us/msg",
            c.as_secs_f64() * 1e6 / messages
        )),
    );
    (wall, cpu)
}

/// CPU time used so far by the thread (or single-threaded process) at
/// `proc` (`/proc/PID` or `/proc/PID/task/TID`), from its schedstat.
fn cpu_time(proc: &Path) -> Option<Duration> {
    let s = std::fs::read_to_string(proc.join("schedstat")).ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

fn this_thread_proc() -> PathBuf {
    std::fs::read_link("/proc/thread-self")
        .map(|l| Path::new("/proc").join(l))
        .unwrap_or_default()
}

/// The load: CONNS connections, each doing LINES ping-pongs of one line.
fn client_load(addr: SocketAddr) {
    let rt = ringio::Runtime::new().expect("ringio runtime for the client");
    rt.block_on(async move {
        let tasks: Vec<_> = (0..CONNS)
            .map(|_| ringio::spawn(one_client(addr)))
            .collect();
        for t in tasks {
            t.await.expect("client task").expect("client I/O");
        }
    })
    .expect("client loop");
}

async fn one_client(addr: SocketAddr) -> std::io::Result<()> {
    let s = TcpStream::connect(&addr).await?;
    s.set_nodelay(true)?;
    let mut msg = LINE.to_vec();
    let mut buf = Vec::with_capacity(4096);
    for _ in 0..LINES {
        let (res, m) = s.write_all(msg).await;
        msg = m;
        res?;
        let mut got = 0;
        while got < LINE.len() {
            let (res, b) = s.read(buf).await;
            buf = b;
            match res? {
                0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                n => got += n,
            }
        }
    }
    Ok(())
}

async fn echo_lines(mut reader: StreamReader, writer: StreamWriter) -> Result<(), Error> {
    loop {
        let line = reader.readline().await?;
        if line.is_empty() {
            return Ok(());
        }
        writer.write(line)?;
        writer.drain().await?;
    }
}

fn ringio_server() -> (SocketAddr, PathBuf) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = ringio::Runtime::new().expect("ringio runtime");
        rt.block_on(async move {
            let server = start_server_with(echo_lines, "127.0.0.1:0", ServerOptions::new())
                .await
                .expect("start_server");
            tx.send((server.local_addr().expect("addr"), this_thread_proc()))
                .expect("send addr");
            server.serve_forever().await;
        })
        .expect("ringio server loop");
    });
    rx.recv().expect("ringio server address")
}

fn tokio_rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn tokio_echo_lines(stream: tokio::net::TcpStream, greet: bool) -> std::io::Result<()> {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
    stream.set_nodelay(true)?;
    let (rd, mut wr) = stream.into_split();
    let mut rd = tokio::io::BufReader::new(rd);
    if greet {
        wr.write_all(b"ready\n").await?;
    }
    let mut line = Vec::new();
    loop {
        line.clear();
        if rd.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        wr.write_all(&line).await?;
    }
}

fn tokio_server() -> (SocketAddr, PathBuf) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        tokio_rt().block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send((listener.local_addr().expect("addr"), this_thread_proc()))
                .expect("send addr");
            loop {
                if let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(tokio_echo_lines(stream, false));
                }
            }
        });
    });
    rx.recv().expect("tokio server address")
}

const PY_SERVER: &str = r#"
import asyncio, sys

async def handle(reader, writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        writer.write(line)
        await writer.drain()
    writer.close()

async def main():
    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()

asyncio.run(main())
"#;

/// Starts the asyncio server as a child; returns it and its address.
fn python_server() -> Result<(Child, SocketAddr), Error> {
    let script = std::env::temp_dir().join(format!("ringio-bench-echo-{}.py", std::process::id()));
    std::fs::write(&script, PY_SERVER)?;
    let spawned = Command::new("python3")
        .arg(&script)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&script);
            return Err(format!("python3 not runnable: {e}").into());
        }
    };
    let port = read_port(&mut child);
    let _ = std::fs::remove_file(&script);
    match port {
        Ok(port) => Ok((child, SocketAddr::from(([127, 0, 0, 1], port)))),
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            Err(e)
        }
    }
}

/// The port a child server prints as its first line.
fn read_port(child: &mut Child) -> Result<u16, Error> {
    let out = child.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    StdBufReader::new(out).read_line(&mut line)?;
    Ok(line.trim().parse()?)
}

/// The child process of the idle-memory measurement: a server that greets
/// each connection, answers one line, and then waits on it.
fn idle_server(kind: &str) {
    match kind {
        "ringio" => {
            let rt = ringio::Runtime::new().expect("ringio runtime");
            rt.block_on(async {
                let options = ServerOptions::new().backlog(4096);
                let server = start_server_with(greet_and_echo, "127.0.0.1:0", options)
                    .await
                    .expect("start_server");
                println!("{}", server.local_addr().expect("addr").port());
                std::io::stdout().flush().expect("stdout");
                server.serve_forever().await;
            })
            .expect("ringio loop");
        }
        _ => {
            tokio_rt().block_on(async {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                println!("{}", listener.local_addr().expect("addr").port());
                std::io::stdout().flush().expect("stdout");
                loop {
                    if let Ok((stream, _)) = listener.accept().await {
                        tokio::spawn(tokio_echo_lines(stream, true));
                    }
                }
            });
        }
    }
}

async fn greet_and_echo(reader: StreamReader, writer: StreamWriter) -> Result<(), Error> {
    writer.write("ready\n")?;
    echo_lines(reader, writer).await
}

fn vm_rss(pid: u32) -> Result<u64, Error> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .ok_or("no VmRSS")?;
    let kb: u64 = line.split_whitespace().nth(1).ok_or("bad VmRSS")?.parse()?;
    Ok(kb * 1024)
}

/// Opens `n` connections: each reads the greeting, sends a line and reads
/// its echo, then stays open.
fn open_idle(addr: SocketAddr, n: usize) -> Result<Vec<std::net::TcpStream>, Error> {
    let mut conns = Vec::with_capacity(n);
    let mut buf = [0u8; 64];
    for batch in 0..n.div_ceil(500) {
        let start = conns.len();
        for _ in 0..(n - batch * 500).min(500) {
            conns.push(std::net::TcpStream::connect(addr)?);
        }
        for c in &mut conns[start..] {
            c.set_read_timeout(Some(Duration::from_secs(10)))?;
            c.read_exact(&mut buf[..6])?;
            c.write_all(b"hello\n")?;
            c.read_exact(&mut buf[..6])?;
        }
    }
    Ok(conns)
}

fn fd_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// The server's resident memory growth per idle connection, in bytes.
fn idle_memory(kind: &str) -> Result<f64, Error> {
    if let Some(limit) = fd_limit() {
        if limit < idle_conns() as u64 + 200 {
            return Err(format!(
                "the open-files limit is {limit}, {} connections need more (ulimit -n)",
                idle_conns()
            )
            .into());
        }
    }
    let exe = std::env::current_exe()?;
    let mut child = Command::new(exe)
        .env(IDLE_CHILD, kind)
        .stdout(Stdio::piped())
        .spawn()?;
    let result = (|| {
        let port = read_port(&mut child)?;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        // Warm up (allocator arenas, the receive pool), then measure.
        drop(open_idle(addr, 300)?);
        std::thread::sleep(Duration::from_millis(300));
        let before = vm_rss(child.id())?;
        let start = Instant::now();
        let conns = open_idle(addr, idle_conns())?;
        std::thread::sleep(Duration::from_millis(300));
        let after = vm_rss(child.id())?;
        let took = start.elapsed();
        drop(conns);
        println!(
            "{kind:<8} RSS {:.1} MiB -> {:.1} MiB ({} connections opened in {:.2} s)",
            before as f64 / (1 << 20) as f64,
            after as f64 / (1 << 20) as f64,
            idle_conns(),
            took.as_secs_f64()
        );
        Ok(after.saturating_sub(before) as f64 / idle_conns() as f64)
    })();
    let _ = child.kill();
    let _ = child.wait();
    result
}
