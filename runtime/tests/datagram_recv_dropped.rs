//! A datagram receive dropped in flight loses nothing: a datagram the
//! kernel had already delivered into the dropped receive's buffer is
//! returned by the next receive, whole, in order, and (`recv_from`) with its
//! sender. UDP and Unix datagram sockets, `recv` and `recv_from`.

use std::future::{poll_fn, Future};
use std::io;
use std::os::linux::net::SocketAddrExt;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant};

use ringio_runtime::net::{UdpSocket, UnixDatagram};
use ringio_runtime::run;
use ringio_runtime::time::{sleep, timeout};

/// Datagrams per run.
const COUNT: usize = 20_000;
/// Most datagrams in flight: the sender waits for the receiver, so the
/// kernel never drops one for want of room (UDP may, on overflow).
const WINDOW: usize = 16;
/// Bound on each run.
const LIMIT: Duration = Duration::from_secs(30);

/// Datagram `i`: its number, then 0..700 bytes of a pattern.
fn payload(i: usize) -> Vec<u8> {
    let mut p = (i as u32).to_le_bytes().to_vec();
    p.resize(4 + i * 13 % 700, (i % 251) as u8);
    p
}

/// The ringio side of a test; `recv_from` names which of the two senders
/// (0 or 1) the datagram came from.
trait Receiver {
    async fn recv(&self, buf: Vec<u8>) -> (io::Result<usize>, Vec<u8>);
    async fn recv_from(&self, buf: Vec<u8>) -> (io::Result<(usize, Option<usize>)>, Vec<u8>);

    /// `recv_from` when `with_source`, else `recv` (with no sender).
    async fn receive(
        &self,
        buf: Vec<u8>,
        with_source: bool,
    ) -> (io::Result<(usize, Option<usize>)>, Vec<u8>) {
        if with_source {
            return self.recv_from(buf).await;
        }
        let (res, buf) = self.recv(buf).await;
        (res.map(|n| (n, None)), buf)
    }
}

struct Udp {
    sock: UdpSocket,
    senders: [std::net::SocketAddr; 2],
}

impl Receiver for Udp {
    async fn recv(&self, buf: Vec<u8>) -> (io::Result<usize>, Vec<u8>) {
        self.sock.recv(buf).await
    }

    async fn recv_from(&self, buf: Vec<u8>) -> (io::Result<(usize, Option<usize>)>, Vec<u8>) {
        let (res, buf) = self.sock.recv_from(buf).await;
        let res = res.map(|(n, from)| (n, self.senders.iter().position(|s| *s == from)));
        (res, buf)
    }
}

struct Unix {
    sock: UnixDatagram,
    senders: [Vec<u8>; 2],
}

impl Receiver for Unix {
    async fn recv(&self, buf: Vec<u8>) -> (io::Result<usize>, Vec<u8>) {
        self.sock.recv(buf).await
    }

    async fn recv_from(&self, buf: Vec<u8>) -> (io::Result<(usize, Option<usize>)>, Vec<u8>) {
        let (res, buf) = self.sock.recv_from(buf).await;
        let res = res.map(|(n, from)| {
            let name = from.as_abstract_name();
            (n, self.senders.iter().position(|s| Some(&s[..]) == name))
        });
        (res, buf)
    }
}

/// Sends datagram `i` from sender `i % 2` (blocking std sockets).
type Send = Box<dyn FnMut(usize) -> io::Result<usize> + std::marker::Send>;

/// A sender thread sends `COUNT` datagrams, at most `WINDOW` ahead of the
/// receiver, while the receiver drops many receives in flight with zero
/// and one-tick timeouts; every datagram must arrive once, in order, from
/// its sender.
fn every_datagram_arrives_once_in_order(
    rx: impl Receiver + 'static,
    mut send: Send,
    with_source: bool,
) {
    let taken = Arc::new(AtomicUsize::new(0));
    let seen = taken.clone();
    let thread = std::thread::spawn(move || {
        let started = Instant::now();
        for i in 0..COUNT {
            while i >= seen.load(Ordering::Acquire) + WINDOW {
                if started.elapsed() > LIMIT {
                    return i;
                }
                std::thread::yield_now();
            }
            send(i).unwrap();
        }
        COUNT
    });
    let (next, dropped) = run(async move {
        let started = Instant::now();
        let (mut next, mut dropped, mut round) = (0, 0u32, 0u64);
        while next < COUNT && started.elapsed() < LIMIT {
            round += 1;
            let wait = Duration::from_micros(round % 3 * 500);
            match timeout(wait, rx.receive(Vec::with_capacity(1024), with_source)).await {
                Err(_) => dropped += 1,
                Ok((res, buf)) => {
                    let (n, from) = res.unwrap();
                    let got = u32::from_le_bytes(buf[..4].try_into().unwrap()) as usize;
                    assert_eq!(
                        got, next,
                        "datagrams out of order or lost ({dropped} receives dropped)"
                    );
                    assert_eq!(&buf[..n], payload(next), "datagram {next} changed");
                    if with_source {
                        assert_eq!(
                            from,
                            Some(next % 2),
                            "datagram {next} came with the wrong sender"
                        );
                    }
                    next += 1;
                    taken.store(next, Ordering::Release);
                }
            }
        }
        (next, dropped)
    })
    .unwrap();
    let sent = thread.join().unwrap();
    assert_eq!((next, sent), (COUNT, COUNT), "ran out of time");
    assert!(
        dropped >= 50,
        "only {dropped} receives were dropped in flight"
    );
}

/// A UDP receiver and two std senders on 127.0.0.1.
fn udp() -> (Udp, Send) {
    let rx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let to = rx.local_addr().unwrap();
    let senders = [0, 1].map(|_| std::net::UdpSocket::bind("127.0.0.1:0").unwrap());
    let addrs = [0, 1].map(|k| senders[k].local_addr().unwrap());
    let send: Send = Box::new(move |i| senders[i % 2].send_to(&payload(i), to));
    let rx = Udp {
        sock: UdpSocket::from_std(rx).unwrap(),
        senders: addrs,
    };
    (rx, send)
}

/// A Unix datagram receiver and two std senders, on abstract names unique
/// to this process and `tag`.
fn unix(tag: &str) -> (Unix, Send) {
    let name = |who: &str| -> Vec<u8> {
        format!("ringio-test-{}-{tag}-{who}", std::process::id()).into_bytes()
    };
    let addr = |n: &[u8]| std::os::unix::net::SocketAddr::from_abstract_name(n).unwrap();
    let to = addr(&name("rx"));
    let rx = std::os::unix::net::UnixDatagram::bind_addr(&to).unwrap();
    let names = [name("a"), name("b")];
    let senders = names
        .each_ref()
        .map(|n| std::os::unix::net::UnixDatagram::bind_addr(&addr(n)).unwrap());
    let send: Send = Box::new(move |i| senders[i % 2].send_to_addr(&payload(i), &to));
    let rx = Unix {
        sock: UnixDatagram::from_std(rx).unwrap(),
        senders: names,
    };
    (rx, send)
}

#[test]
fn udp_recv_dropped_in_flight_loses_nothing() {
    let (rx, send) = udp();
    every_datagram_arrives_once_in_order(rx, send, false);
}

#[test]
fn udp_recv_from_dropped_in_flight_keeps_the_sender() {
    let (rx, send) = udp();
    every_datagram_arrives_once_in_order(rx, send, true);
}

#[test]
fn unix_recv_dropped_in_flight_loses_nothing() {
    let (rx, send) = unix("recv");
    every_datagram_arrives_once_in_order(rx, send, false);
}

#[test]
fn unix_recv_from_dropped_in_flight_keeps_the_sender() {
    let (rx, send) = unix("recv-from");
    every_datagram_arrives_once_in_order(rx, send, true);
}

#[test]
fn completed_but_dropped_recv_from_keeps_its_datagram_and_sender() {
    let (rx, mut send) = udp();
    run(async move {
        {
            // Start a receive and poll it once so it is in the kernel.
            let mut recv = pin!(rx.recv_from(vec![0u8; 1024]));
            let first = poll_fn(|cx| Poll::Ready(recv.as_mut().poll(cx).is_pending())).await;
            assert!(first, "nothing was sent: the receive must wait");
            // The datagram arrives and the loop reaps the completion, but
            // the receive is never polled again: it is dropped completed.
            send(0).unwrap();
            sleep(Duration::from_millis(30)).await;
        }
        send(1).unwrap();
        for i in 0..2 {
            let (res, buf) = rx.recv_from(Vec::with_capacity(1024)).await;
            let (n, from) = res.unwrap();
            assert_eq!(&buf[..n], payload(i), "datagram {i}");
            assert_eq!(from, Some(i % 2), "sender of datagram {i}");
        }
    })
    .unwrap();
}
