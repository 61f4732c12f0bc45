//! I/O on the ring beside tokio, in one process:
//!
//! - loopback TCP echo: the server runs on its own thread (a ringio loop,
//!   or a tokio current_thread runtime); the load, the same for both, runs
//!   on another thread (a ringio client): 64 connections, each sending a message and
//!   waiting for its echo, with 128 B and 4 KiB messages. ringio's server
//!   runs twice: with `read` into an owned buffer (one receive submitted
//!   per read), and with `read_buf` (a multishot receive into the loop's
//!   provided-buffer pool, armed once per connection);
//! - 4 KiB random reads from a 256 MiB file, 64 reads in flight, ringio's
//!   `File::read_at` against `tokio::fs::File` (seek + read_exact).
//!
//! Prints the median of several rounds and the ratio (tokio time / ringio
//! time: above 1 means ringio is faster). The 256 MiB file is deleted at
//! the end.
//!
//! Run: `cargo bench -p ringio-benches --bench io` (ROUNDS=N to change).
//!
//! Here the client is a ringio loop in the same process, on the other
//! core. For figures that do not depend on the client (each server its own
//! pinned process, one load generator on the io-uring crate for all, more
//! peers and loads), run the suite: `cargo run -p ringio-benches --release
//! --features peers --bin report`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use ringio::buf::IoBuf;
use ringio_benches::{median_of, median_with_cpu, report, this_thread_proc};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

const CONNS: usize = 64;
const FILE_SIZE: u64 = 256 << 20;
const BLOCK: usize = 4096;
const IN_FLIGHT: usize = 64;
const READS_PER_TASK: usize = 2000;

fn tokio_rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// Starts a ringio echo server on its own thread; returns its address and
/// the thread's `/proc` path (for its CPU time). `pooled`: receive with
/// `read_buf` (multishot, provided buffers) instead of `read`.
fn ringio_echo_server(pooled: bool) -> (SocketAddr, PathBuf) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = ringio::Runtime::new().expect("ringio runtime");
        rt.block_on(async move {
            let listener = ringio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send((
                listener.local_addr().expect("addr"),
                this_thread_proc().expect("/proc/thread-self"),
            ))
            .expect("send addr");
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                if pooled {
                    ringio::spawn(async move {
                        let mut buf = ringio::streams::bytes::BytesMut::with_capacity(8192);
                        loop {
                            match stream.read_buf(&mut buf).await {
                                Ok(0) | Err(_) => return,
                                Ok(_) => {}
                            }
                            let (res, _) = stream.write_all(buf.split().freeze()).await;
                            if res.is_err() {
                                return;
                            }
                        }
                    });
                    continue;
                }
                ringio::spawn(async move {
                    let mut buf = vec![0u8; 8192];
                    loop {
                        let (res, b) = stream.read(buf).await;
                        let n = match res {
                            Ok(0) | Err(_) => return,
                            Ok(n) => n,
                        };
                        let (res, b) = stream.write_all(b.slice(..n)).await;
                        if res.is_err() {
                            return;
                        }
                        buf = b.into_inner();
                    }
                });
            }
        })
        .expect("ringio loop");
    });
    rx.recv().expect("server address")
}

/// Starts a tokio echo server on its own thread; returns its address and
/// the thread's `/proc` path (for its CPU time).
fn tokio_echo_server() -> (SocketAddr, PathBuf) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        tokio_rt().block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send((
                listener.local_addr().expect("addr"),
                this_thread_proc().expect("/proc/thread-self"),
            ))
            .expect("send addr");
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 8192];
                    loop {
                        let n = match stream.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => n,
                        };
                        if stream.write_all(&buf[..n]).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
    });
    rx.recv().expect("server address")
}

/// The load: CONNS connections, each doing `trips` request/echo rounds of
/// `size` bytes. The same client for both servers: a ringio loop on this
/// thread, whose batched submissions keep the client cheaper than either
/// server, so the server is what is measured.
fn load(rt: &ringio::Runtime, addr: SocketAddr, size: usize, trips: usize) {
    rt.block_on(async move {
        let mut tasks = Vec::with_capacity(CONNS);
        for _ in 0..CONNS {
            tasks.push(ringio::spawn(async move {
                let s = ringio::net::TcpStream::connect(&addr)
                    .await
                    .expect("connect");
                s.set_nodelay(true).expect("nodelay");
                let mut msg = vec![7u8; size];
                let mut back = vec![0u8; size];
                for _ in 0..trips {
                    let (res, m) = s.write_all(msg).await;
                    res.expect("write");
                    msg = m;
                    let mut got = 0;
                    while got < size {
                        let (res, b) = s.read(back.slice(got..)).await;
                        back = b.into_inner();
                        match res.expect("read") {
                            0 => panic!("the server closed the connection"),
                            n => got += n,
                        }
                    }
                }
            }));
        }
        for t in tasks {
            t.await.expect("load task");
        }
    })
    .expect("ringio loop");
}

fn make_file(path: &Path) {
    use std::io::Write;
    let mut f = std::fs::File::create(path).expect("create the test file");
    let chunk: Vec<u8> = (0..(1 << 20)).map(|i: u32| (i % 251) as u8).collect();
    for _ in 0..(FILE_SIZE >> 20) {
        f.write_all(&chunk).expect("write the test file");
    }
    f.sync_all().expect("sync the test file");
}

/// xorshift64: cheap, reproducible offsets.
fn next(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

fn offset(x: &mut u64) -> u64 {
    (next(x) % (FILE_SIZE / BLOCK as u64)) * BLOCK as u64
}

fn ringio_random_reads(rt: &ringio::Runtime, path: &Path) {
    let path = path.to_owned();
    rt.block_on(async move {
        let file = std::rc::Rc::new(ringio::fs::File::open(&path).await.expect("open"));
        let mut tasks = Vec::with_capacity(IN_FLIGHT);
        for t in 0..IN_FLIGHT {
            let file = file.clone();
            tasks.push(ringio::spawn(async move {
                let mut seed = 0x9E37_79B9_7F4A_7C15u64 ^ (t as u64 + 1);
                let mut buf = vec![0u8; BLOCK];
                for _ in 0..READS_PER_TASK {
                    let (res, b) = file.read_exact_at(buf, offset(&mut seed)).await;
                    res.expect("read");
                    buf = b;
                }
            }));
        }
        for t in tasks {
            t.await.expect("read task");
        }
    })
    .expect("ringio loop");
}

fn tokio_random_reads(rt: &tokio::runtime::Runtime, path: &Path) {
    let path = path.to_owned();
    rt.block_on(async move {
        let mut tasks = Vec::with_capacity(IN_FLIGHT);
        for t in 0..IN_FLIGHT {
            let path = path.clone();
            tasks.push(tokio::spawn(async move {
                let mut f = tokio::fs::File::open(&path).await.expect("open");
                let mut seed = 0x9E37_79B9_7F4A_7C15u64 ^ (t as u64 + 1);
                let mut buf = vec![0u8; BLOCK];
                for _ in 0..READS_PER_TASK {
                    f.seek(std::io::SeekFrom::Start(offset(&mut seed)))
                        .await
                        .expect("seek");
                    f.read_exact(&mut buf).await.expect("read");
                }
            }));
        }
        for t in tasks {
            t.await.expect("read task");
        }
    });
}

fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    println!("ringio I/O vs tokio, median of {rounds} rounds");

    let (ring_addr, ring_proc) = ringio_echo_server(false);
    let (pool_addr, pool_proc) = ringio_echo_server(true);
    let (tok_addr, tok_proc) = tokio_echo_server();
    let client = ringio::Runtime::new().expect("ringio runtime");
    for (size, trips) in [(128usize, 2000usize), (4096, 1000)] {
        // Warm up both servers once.
        load(&client, ring_addr, size, 10);
        load(&client, pool_addr, size, 10);
        load(&client, tok_addr, size, 10);
        let (r, r_cpu) =
            median_with_cpu(rounds, &ring_proc, || load(&client, ring_addr, size, trips));
        let (p, p_cpu) =
            median_with_cpu(rounds, &pool_proc, || load(&client, pool_addr, size, trips));
        let (t, t_cpu) =
            median_with_cpu(rounds, &tok_proc, || load(&client, tok_addr, size, trips));
        report(
            &format!("tcp echo {CONNS} conns {size} B read"),
            r,
            "tokio",
            t,
        );
        report(
            &format!("tcp echo {CONNS} conns {size} B read_buf"),
            p,
            "tokio",
            t,
        );
        // The same exchange, as CPU the server thread spent on it: what the
        // runtime costs, apart from the client and the loopback.
        report(
            &format!("  server CPU {size} B read"),
            r_cpu,
            "tokio",
            t_cpu,
        );
        report(
            &format!("  server CPU {size} B read_buf"),
            p_cpu,
            "tokio",
            t_cpu,
        );
    }

    let path: PathBuf =
        std::env::temp_dir().join(format!("ringio-bench-io-{}", std::process::id()));
    make_file(&path);
    let ring = ringio::Runtime::new().expect("ringio runtime");
    let tok = tokio_rt();
    let r = median_of(rounds, || ringio_random_reads(&ring, &path));
    let t = median_of(rounds, || tokio_random_reads(&tok, &path));
    report(
        &format!("file 4 KiB random reads x{IN_FLIGHT}"),
        r,
        "tokio::fs",
        t,
    );
    let _ = std::fs::remove_file(&path);
}
