//! The epoll backend's readiness path: socket receives and sends wait in
//! the fd's own slot (no operation entry). Every waiter of one socket is
//! woken, a waiting read that moves to another task is woken there, and a
//! dropped waiting read stops waiting (nothing left in flight, counted per
//! opcode as ended), and debug mode still shows what a task waits on.
//! Runs on epoll whatever RINGIO_BACKEND says.

use std::future::Future;
use std::io::Write;
use std::net::TcpListener as StdListener;
use std::pin::pin;
use std::rc::Rc;
use std::task::Poll;
use std::time::Duration;

use ringio_runtime::metrics;
use ringio_runtime::net::TcpStream;
use ringio_runtime::task::{dump, Builder as TaskBuilder, WaitingOn};
use ringio_runtime::time::{sleep, timeout};
use ringio_runtime::{spawn, Backend, Builder, Runtime};

fn epoll() -> Runtime {
    Builder::new().backend(Backend::Epoll).build().unwrap()
}

/// A connected pair: ringio's end and the blocking std peer.
async fn pair() -> (TcpStream, std::net::TcpStream) {
    let listener = StdListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let stream = TcpStream::connect(&addr).await.unwrap();
    let (peer, _) = listener.accept().unwrap();
    (stream, peer)
}

#[test]
fn two_readers_of_one_socket_both_get_bytes() {
    let rt = epoll();
    let got = rt
        .block_on(async {
            let (stream, mut peer) = pair().await;
            let stream = Rc::new(stream);
            let readers: Vec<_> = (0..2)
                .map(|_| {
                    let s = stream.clone();
                    spawn(async move { s.read(vec![0u8; 1]).await.0.unwrap() })
                })
                .collect();
            // Both wait on the socket before anything arrives.
            sleep(Duration::from_millis(20)).await;
            assert_eq!(metrics::current().unwrap().ops_in_flight, 2);
            peer.write_all(b"a").unwrap();
            sleep(Duration::from_millis(20)).await;
            peer.write_all(b"b").unwrap();
            let mut got = 0;
            for r in readers {
                got += timeout(Duration::from_secs(5), r)
                    .await
                    .expect("a reader of a shared socket was never woken")
                    .unwrap();
            }
            got
        })
        .unwrap();
    assert_eq!(got, 2);
}

#[test]
fn a_waiting_read_moved_to_another_task_is_woken_there() {
    let rt = epoll();
    let n = rt
        .block_on(async {
            let (stream, mut peer) = pair().await;
            let stream = Rc::new(stream);
            let s = stream.clone();
            let mut read = Box::pin(async move { s.read(vec![0u8; 8]).await.0.unwrap() });
            // First poll here: it waits with this task's waker.
            std::future::poll_fn(|cx| {
                assert!(read.as_mut().poll(cx).is_pending(), "nothing was sent yet");
                Poll::Ready(())
            })
            .await;
            // Then it moves to another task, which must be the one woken.
            let task = spawn(read);
            sleep(Duration::from_millis(10)).await;
            peer.write_all(b"moved").unwrap();
            timeout(Duration::from_secs(5), task)
                .await
                .expect("the read's new task was never woken")
                .unwrap()
        })
        .unwrap();
    assert_eq!(n, 5);
}

#[test]
fn a_dropped_waiting_read_stops_waiting_and_loses_nothing() {
    let rt = epoll();
    rt.block_on(async {
        let (stream, mut peer) = pair().await;
        let before = metrics::current().unwrap();
        {
            let read = pin!(stream.read(vec![0u8; 8]));
            let r = timeout(Duration::from_millis(20), read).await;
            assert!(r.is_err(), "nothing was sent, the read must time out");
        }
        let after = metrics::current().unwrap();
        assert_eq!(after.ops_in_flight, before.ops_in_flight, "{after}");
        let recv = after.opcode("recv").expect("the read counts as a recv");
        assert_eq!(recv.submitted, recv.completed, "{after}");
        assert!(after.ops_submitted > before.ops_submitted, "{after}");
        assert_eq!(
            after.ops_completed,
            after.ops_submitted - after.ops_in_flight,
            "{after}"
        );
        // The bytes sent after the drop go to the next read, whole.
        peer.write_all(b"kept").unwrap();
        let (res, buf) = stream.read(vec![0u8; 8]).await;
        assert_eq!(&buf[..res.unwrap()], b"kept");
        // A read and a send that never waited count too.
        let mid = metrics::current().unwrap();
        stream.write_all(b"echo".to_vec()).await.0.unwrap();
        let end = metrics::current().unwrap();
        assert_eq!(end.ops_submitted, mid.ops_submitted + 1, "{end}");
        assert_eq!(end.ops_completed, mid.ops_completed + 1, "{end}");
    })
    .unwrap();
}

#[test]
fn a_send_waits_for_room_and_the_peer_gets_every_byte() {
    let rt = epoll();
    let (sent, received) = rt
        .block_on(async {
            let (stream, peer) = pair().await;
            // 8 MiB is more than loopback buffers hold: the sends must
            // wait for the peer to drain the socket.
            let total = 8usize << 20;
            let reader = std::thread::spawn(move || {
                let mut peer = peer;
                let mut buf = vec![0u8; 64 * 1024];
                let mut n = 0usize;
                while n < total {
                    match std::io::Read::read(&mut peer, &mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(k) => n += k,
                    }
                }
                n
            });
            let chunk = vec![3u8; 1 << 20];
            let mut sent = 0usize;
            while sent < total {
                let (res, _) = timeout(Duration::from_secs(10), stream.write_all(chunk.clone()))
                    .await
                    .expect("a send waiting for room was never woken");
                res.unwrap();
                sent += chunk.len();
            }
            (sent, reader.join().unwrap())
        })
        .unwrap();
    assert_eq!(sent, received);
}

#[test]
fn in_debug_mode_a_dump_shows_a_socket_read_waiting() {
    let rt = Builder::new()
        .backend(Backend::Epoll)
        .debug(true)
        .build()
        .unwrap();
    rt.block_on(async {
        let (stream, mut peer) = pair().await;
        let reader = TaskBuilder::new()
            .name("reader")
            .spawn(async move { stream.read(vec![0u8; 8]).await.0.unwrap() })
            .unwrap();
        sleep(Duration::from_millis(20)).await;
        let d = dump();
        let t = d.find("reader").unwrap();
        match t.waiting_on.as_slice() {
            [WaitingOn::Operation { name, age }] => {
                assert_eq!(*name, "recv");
                assert!(*age >= Duration::from_millis(10), "{d}");
            }
            other => panic!("the reader waits on {other:?}"),
        }
        peer.write_all(b"x").unwrap();
        assert_eq!(reader.await.unwrap(), 1);
        // Done: nothing of it is left in the dump.
        let d = dump();
        assert!(
            d.find("reader").is_none_or(|t| t.waiting_on.is_empty()),
            "{d}"
        );
    })
    .unwrap();
}
