//! Dropped receives on datagram sockets (UDP, Unix datagram): a receive
//! cancelled by a tiny timeout while datagrams flow must lose none. The
//! sender numbers its datagrams and keeps at most a window of them
//! unreceived, so the kernel never drops one for lack of buffer space: a
//! missing number is a datagram the runtime lost.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ringio::net::{UdpSocket, UnixDatagram};

use super::dropped_reads::cut;

use crate::pattern::{self, Rng};
use crate::{Figure, Outcome, Scale};

/// The socket under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A connected pair of UDP sockets on 127.0.0.1.
    Udp,
    /// `UnixDatagram::pair`.
    UnixDatagram,
}

/// Datagrams sent but not yet received, at most.
const WINDOW: u64 = 32;

/// The receiving socket (on the loop).
enum Sock {
    Udp(UdpSocket),
    Unix(UnixDatagram),
}

impl Sock {
    async fn recv(&self, buf: Vec<u8>) -> (io::Result<usize>, Vec<u8>) {
        match self {
            Sock::Udp(s) => s.recv(buf).await,
            Sock::Unix(s) => s.recv(buf).await,
        }
    }
}

/// The sending socket (on a thread of its own, blocking).
enum StdSock {
    Udp(std::net::UdpSocket),
    Unix(std::os::unix::net::UnixDatagram),
}

impl StdSock {
    fn send(&self, data: &[u8]) -> io::Result<usize> {
        match self {
            StdSock::Udp(s) => s.send(data),
            StdSock::Unix(s) => s.send(data),
        }
    }
}

/// Sends `total` numbered datagrams, at most [`WINDOW`] ahead of `next`
/// (the receiver's progress), pausing now and then so that receives wait,
/// time out and race the arrivals.
fn send_paced(tx: StdSock, total: u64, next: Arc<AtomicU64>) -> io::Result<()> {
    let mut rng = Rng::new(total);
    for seq in 0..total {
        let start = Instant::now();
        while seq >= next.load(Ordering::Acquire) + WINDOW {
            if start.elapsed() > Duration::from_secs(5) {
                // The receiver gave up (it counts the rest as lost).
                return Ok(());
            }
            std::thread::sleep(Duration::from_micros(50));
        }
        tx.send(&datagram(seq))?;
        if rng.below(4) == 0 {
            std::thread::sleep(Duration::from_micros(500 + rng.below(2500)));
        }
    }
    Ok(())
}

/// Datagram `seq`: its number, then pattern bytes; 64 to 1,063 bytes.
fn datagram(seq: u64) -> Vec<u8> {
    let len = 64 + (seq as usize * 37) % 1000;
    let mut d = seq.to_le_bytes().to_vec();
    d.extend(pattern::chunk(seq as usize, len - 8));
    d
}

async fn pair(kind: Kind) -> io::Result<(StdSock, Sock)> {
    Ok(match kind {
        Kind::Udp => {
            let a = std::net::UdpSocket::bind("127.0.0.1:0")?;
            let b = UdpSocket::bind("127.0.0.1:0").await?;
            a.connect(b.local_addr()?)?;
            b.connect(&a.local_addr()?).await?;
            (StdSock::Udp(a), Sock::Udp(b))
        }
        Kind::UnixDatagram => {
            let (a, b) = std::os::unix::net::UnixDatagram::pair()?;
            (StdSock::Unix(a), Sock::Unix(UnixDatagram::from_std(b)?))
        }
    })
}

/// Runs the dropped-receive scenario on socket `kind`.
pub fn run(kind: Kind, scale: Scale) -> Outcome {
    let total: u64 = scale.pick(3_000, 30_000);
    let name = match kind {
        Kind::Udp => "udp",
        Kind::UnixDatagram => "unix_datagram",
    };
    let (lost, corrupt, dropped, took) = ringio::run(async move {
        let (tx, rx) = pair(kind).await?;
        // Highest number received so far, plus one.
        let next = Arc::new(AtomicU64::new(0));
        let sender = {
            let next = next.clone();
            std::thread::spawn(move || send_paced(tx, total, next))
        };
        let start = Instant::now();
        let (mut lost, mut corrupt, mut dropped, mut attempt) = (0u64, 0u64, 0u64, 0u64);
        let mut idle_since = Instant::now();
        while next.load(Ordering::Acquire) < total {
            let wait = Duration::from_micros(20 + (attempt % 7) * 40);
            attempt += 1;
            match cut(wait, attempt % 2 == 0, rx.recv(Vec::with_capacity(2048))).await {
                None => {
                    dropped += 1;
                    if idle_since.elapsed() > Duration::from_secs(3) {
                        // The tail was lost: nothing more will come.
                        lost += total - next.load(Ordering::Acquire);
                        break;
                    }
                }
                Some((res, buf)) => {
                    let n = res?;
                    idle_since = Instant::now();
                    let seq = u64::from_le_bytes(buf[..8].try_into().map_err(io::Error::other)?);
                    if buf[..n] != datagram(seq)[..] {
                        corrupt += 1;
                    }
                    if seq < next.load(Ordering::Acquire) {
                        corrupt += 1; // repeated or reordered
                    } else {
                        lost += seq - next.load(Ordering::Acquire);
                        next.store(seq + 1, Ordering::Release);
                    }
                }
            }
        }
        sender
            .join()
            .map_err(|_| io::Error::other("the sender thread panicked"))??;
        Ok::<_, io::Error>((lost, corrupt, dropped, start.elapsed()))
    })??;
    Ok(vec![
        Figure::new(
            format!("dropped_reads_{name}_lost_datagrams"),
            lost,
            format!("datagrams lost of {total} ({corrupt} corrupt or repeated)"),
            "limit 0",
            lost == 0 && corrupt == 0,
        ),
        Figure::new(
            format!("dropped_reads_{name}_cancelled"),
            dropped,
            format!("receives dropped in {:.2} s", took.as_secs_f64()),
            "at least 100, or the scenario tested nothing",
            dropped >= 100,
        ),
    ])
}
