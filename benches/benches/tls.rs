//! TLS echo beside tokio-rustls, in one run: a server whose handler loops
//! over `readline`, `write`, `drain` over TLS (ringio's `start_server`
//! with `ServerOptions::tls`; tokio-rustls's `TlsAcceptor` with
//! `BufReader::read_until` + `write_all` + `flush` on a tokio
//! current_thread runtime, one task per connection, unsplit). Both servers get the same rustls
//! `ServerConfig` (ring provider, TLS 1.3, one self-signed certificate
//! made with rcgen) and run on a thread of their own.
//!
//! The load is the same TLS client for both (the load generator of the
//! suite speaks plain TCP only): a ringio loop on the main thread with 32
//! connections made with `open_tls_connection`, each sending a 64-byte
//! line (LINE_BYTES) and waiting for its echo, LINES times (default 2000). Connections
//! and handshakes are made before the clock starts, so the figures are
//! those of TLS records, not of handshakes. Reported: median wall time of
//! ROUNDS rounds (default 5), messages per second, the server thread's CPU
//! time per message (from its schedstat), and the ratio (tokio-rustls
//! time / ringio time: above 1 means ringio is faster).
//!
//! Run: `cargo bench -p ringio-benches --bench tls` (ROUNDS=N, LINES=N,
//! LINE_BYTES=N for longer lines: 16384 measures bulk records).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ringio::streams::tls::rustls::{self, pki_types, ClientConfig, RootCertStore, ServerConfig};
use ringio::streams::{
    open_tls_connection, start_server_with, ClientTls, ServerOptions, StreamReader, StreamWriter,
};
use ringio_benches::{report, this_thread_proc, thread_cpu};

const CONNS: usize = 32;
/// The line each connection sends: LINE_BYTES long (default 64), ending
/// in a newline.
fn line() -> Vec<u8> {
    let len = env_or("LINE_BYTES", 64).clamp(1, 60_000);
    let mut line = vec![b'x'; len];
    line[len - 1] = b'\n';
    line
}

type Error = Box<dyn std::error::Error>;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The one server config both servers use, and a client config trusting it.
fn configs() -> (Arc<ServerConfig>, Arc<ClientConfig>) {
    let made =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).expect("a certificate");
    let cert = made.cert.der().clone();
    let key = pki_types::PrivatePkcs8KeyDer::from(made.key_pair.serialize_der()).into();
    let server = ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("TLS 1.3")
        .with_no_client_auth()
        .with_single_cert(vec![cert.clone()], key)
        .expect("server config");
    let mut roots = RootCertStore::empty();
    roots.add(cert).expect("root");
    let client = ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("TLS 1.3")
        .with_root_certificates(roots)
        .with_no_client_auth();
    (Arc::new(server), Arc::new(client))
}

fn main() {
    let rounds = env_or("ROUNDS", 5);
    let lines = env_or("LINES", 2000);
    println!(
        "TLS line echo: {CONNS} connections x {lines} lines of {} B, median of {rounds} rounds",
        line().len()
    );
    let (server_config, client_config) = configs();
    let messages = (CONNS * lines) as f64;

    let (addr, proc) = ringio_server(server_config.clone());
    let ringio = measure(
        "ringio",
        addr,
        &proc,
        &client_config,
        rounds,
        lines,
        messages,
    );
    let (addr, proc) = tokio_server(server_config);
    let tokio = measure(
        "tokio-rustls",
        addr,
        &proc,
        &client_config,
        rounds,
        lines,
        messages,
    );
    report(
        "TLS line echo vs tokio-rustls",
        ringio.0,
        "tokio-rustls",
        tokio.0,
    );
    println!(
        "{:<32} server CPU ratio tokio-rustls/ringio {:>5.2}x",
        "",
        tokio.1.as_secs_f64() / ringio.1.as_secs_f64().max(f64::MIN_POSITIVE)
    );
}

/// Runs the client load `rounds` times (after one warm-up round) against
/// `addr`; prints and returns the median wall time and the median server
/// CPU time of a round.
fn measure(
    name: &str,
    addr: SocketAddr,
    proc: &std::path::Path,
    client: &Arc<ClientConfig>,
    rounds: usize,
    lines: usize,
    messages: f64,
) -> (Duration, Duration) {
    client_load(addr, client, lines);
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    for _ in 0..rounds.max(1) {
        let (wall, cpu) = client_load_timed(addr, client, lines, proc);
        walls.push(wall);
        cpus.push(cpu);
    }
    walls.sort();
    cpus.sort();
    let (wall, cpu) = (walls[walls.len() / 2], cpus[cpus.len() / 2]);
    println!(
        "{name:<13} {:>9.0} msg/s   median {:>8.1} ms   server CPU {:.2} us/msg",
        messages / wall.as_secs_f64(),
        wall.as_secs_f64() * 1e3,
        cpu.as_secs_f64() * 1e6 / messages
    );
    (wall, cpu)
}

fn client_load(addr: SocketAddr, client: &Arc<ClientConfig>, lines: usize) {
    client_load_timed(addr, client, lines, std::path::Path::new("/nonexistent"));
}

/// The load: CONNS TLS connections made first, then each doing `lines`
/// ping-pongs of one line; returns the wall time and server CPU time of
/// the ping-pongs.
fn client_load_timed(
    addr: SocketAddr,
    client: &Arc<ClientConfig>,
    lines: usize,
    proc: &std::path::Path,
) -> (Duration, Duration) {
    let rt = ringio::Runtime::new().expect("ringio runtime for the client");
    let client = client.clone();
    rt.block_on(async move {
        let mut conns = Vec::new();
        for _ in 0..CONNS {
            let tls = ClientTls::new(client.clone(), "localhost").expect("name");
            conns.push(open_tls_connection(addr, tls).await.expect("TLS connect"));
        }
        let cpu0 = thread_cpu(proc).unwrap_or_default();
        let start = Instant::now();
        let tasks: Vec<_> = conns
            .into_iter()
            .map(|(reader, writer)| ringio::spawn(one_client(reader, writer, lines)))
            .collect();
        for t in tasks {
            t.await.expect("client task").expect("client I/O");
        }
        let wall = start.elapsed();
        let cpu = thread_cpu(proc).unwrap_or_default().saturating_sub(cpu0);
        (wall, cpu)
    })
    .expect("client loop")
}

async fn one_client(
    mut reader: StreamReader,
    writer: StreamWriter,
    lines: usize,
) -> Result<(), Error> {
    let line = ringio::streams::Bytes::from(line());
    for _ in 0..lines {
        writer.write(line.clone())?;
        let echoed = reader.readline().await?;
        if echoed.len() != line.len() {
            return Err("short echo".into());
        }
    }
    writer.close();
    writer.wait_closed().await?;
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

fn ringio_server(config: Arc<ServerConfig>) -> (SocketAddr, PathBuf) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = ringio::Runtime::new().expect("ringio runtime");
        rt.block_on(async move {
            let options = ServerOptions::new().tls(config);
            let server = start_server_with(echo_lines, "127.0.0.1:0", options)
                .await
                .expect("start_server");
            tx.send((
                server.local_addr().expect("addr"),
                this_thread_proc().unwrap_or_default(),
            ))
            .expect("send addr");
            server.serve_forever().await;
        })
        .expect("ringio server loop");
    });
    rx.recv().expect("ringio server address")
}

async fn tokio_echo_lines(
    acceptor: tokio_rustls::TlsAcceptor,
    stream: tokio::net::TcpStream,
) -> std::io::Result<()> {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
    stream.set_nodelay(true)?;
    let tls = acceptor.accept(stream).await?;
    // One task reads and writes in turn: no split (tokio::io::split's
    // lock would cost tokio-rustls time it need not spend here).
    let mut tls = tokio::io::BufReader::new(tls);
    let mut line = Vec::new();
    loop {
        line.clear();
        if tls.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        tls.get_mut().write_all(&line).await?;
        tls.get_mut().flush().await?;
    }
}

fn tokio_server(config: Arc<ServerConfig>) -> (SocketAddr, PathBuf) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        rt.block_on(async move {
            let acceptor = tokio_rustls::TlsAcceptor::from(config);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send((
                listener.local_addr().expect("addr"),
                this_thread_proc().unwrap_or_default(),
            ))
            .expect("send addr");
            loop {
                if let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(tokio_echo_lines(acceptor.clone(), stream));
                }
            }
        });
    });
    rx.recv().expect("tokio server address")
}
