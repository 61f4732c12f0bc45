//! Shared pieces of the compat tests: a hyper hello server on ringio, a
//! tokio runtime thread for the far side, and a hash of a byte stream.
#![allow(dead_code)]

use std::cell::Cell;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use ringio::compat::Compat;
use ringio::net::TcpListener;

/// The hello body.
pub const HELLO: &str = "Hello, World!";

/// Every test's bound: long for a loaded machine, short of a hang.
pub const BOUND: Duration = Duration::from_secs(120);

/// Serves HTTP/1 hello on 127.0.0.1, counting requests, until the task
/// is dropped; returns the address.
pub async fn hello_server(served: Rc<Cell<u64>>) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    ringio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let served = served.clone();
            let svc = service_fn(move |_req: Request<hyper::body::Incoming>| {
                served.set(served.get() + 1);
                async { Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(HELLO)))) }
            });
            ringio::spawn(async move {
                let _ = http1::Builder::new()
                    .serve_connection(Compat::new(stream), svc)
                    .await;
            });
        }
    });
    Ok(addr)
}

/// Runs `f`'s future on a tokio current_thread runtime in a thread of its
/// own; the ringio loop awaits its result without blocking.
pub async fn on_tokio<F, Fut, T>(f: F) -> T
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = T>,
    T: Send + 'static,
{
    ringio::spawn_blocking(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime for the far side");
        rt.block_on(async move {
            tokio::time::timeout(BOUND, f())
                .await
                .expect("the tokio side finished within the bound")
        })
    })
    .await
    .expect("the tokio thread did not panic")
}

/// FNV-1a, 64 bits: a hash both sides compute over a byte stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// `len` bytes of a deterministic pseudo-random stream, in chunks of
/// `chunk` bytes (xorshift, so that a misplaced or lost chunk changes the
/// hash).
pub fn chunks(len: usize, chunk: usize) -> impl Iterator<Item = Bytes> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut left = len;
    std::iter::from_fn(move || {
        if left == 0 {
            return None;
        }
        let n = left.min(chunk);
        left -= n;
        let mut v = Vec::with_capacity(n);
        while v.len() < n {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let word = state.to_le_bytes();
            v.extend_from_slice(&word[..(n - v.len()).min(8)]);
        }
        Some(Bytes::from(v))
    })
}

/// `len` bytes of a pattern that differs with `seed`.
pub fn message(len: usize, seed: usize) -> Vec<u8> {
    (0..len).map(|i| ((i + seed) * 7 % 251) as u8).collect()
}

/// Reads `len` bytes `step` at a time through tokio's `AsyncRead`, each
/// read bounded by [`BOUND`].
pub async fn read_in_steps<R: tokio::io::AsyncRead + Unpin>(
    r: &mut R,
    len: usize,
    step: usize,
) -> Vec<u8> {
    use tokio::io::AsyncReadExt;
    let mut got = Vec::new();
    let mut buf = vec![0u8; step];
    while got.len() < len {
        let n = ringio::time::timeout(BOUND, r.read(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("no more bytes after {} of {len}", got.len()))
            .unwrap();
        assert_ne!(n, 0, "end of stream after {} of {len} bytes", got.len());
        got.extend_from_slice(&buf[..n]);
    }
    got
}

/// A connected pair of TCP sockets on 127.0.0.1 under `Compat`: (the
/// accepted side, the connecting side).
pub async fn tcp_pair() -> (
    Compat<ringio::net::TcpStream>,
    Compat<ringio::net::TcpStream>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let client = ringio::net::TcpStream::connect(&listener.local_addr().unwrap())
        .await
        .unwrap();
    let (server, _) = listener.accept().await.unwrap();
    (Compat::new(server), Compat::new(client))
}
