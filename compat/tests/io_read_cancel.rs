//! A read through `Compat` that is dropped while pending loses no byte:
//! the read in flight stays in the `Compat`, and its bytes (and those the
//! caller had no room for) are served by the next reads, in order.

use std::future::Future;
use std::pin::{pin, Pin};
use std::process::Stdio;
use std::task::{Context, Waker};
use std::time::Duration;

mod common;

use common::{message, read_in_steps, tcp_pair, BOUND};
use ringio::compat::Compat;
use ringio::net::UnixStream;
use ringio::process::Command;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Polls `fut` once with a waker that does nothing; true if pending.
fn poll_once<F: Future>(fut: F) -> bool {
    let mut fut = pin!(fut);
    fut.as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
        .is_pending()
}

#[test]
fn tokio_read_dropped_while_pending_loses_nothing() {
    ringio::run(async {
        let (a, b) = UnixStream::pair().unwrap();
        let mut a = Compat::new(a);
        let mut small = [0u8; 5];
        // The read starts, finds nothing, and is dropped.
        assert!(poll_once(a.read(&mut small)), "nothing was sent yet");
        let msg = message(1000, 0);
        let (res, _) = b.write_all(msg.clone()).await;
        res.unwrap();
        // Let the abandoned read complete before anyone reads again.
        ringio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(read_in_steps(&mut a, msg.len(), 7).await, msg);
    })
    .unwrap();
}

#[test]
fn read_cut_short_by_a_timeout_loses_nothing() {
    ringio::run(async {
        let (mut server, mut client) = tcp_pair().await;
        let mut buf = [0u8; 64];
        for round in 0..20 {
            // Each read times out before anything arrives...
            let read = ringio::time::timeout(Duration::from_millis(2), server.read(&mut buf));
            assert!(read.await.is_err(), "round {round}: nothing was sent yet");
            // ...then bytes arrive, for the read left in flight.
            let msg = message(100 + round, 0);
            client.write_all(&msg).await.unwrap();
            client.flush().await.unwrap();
            assert_eq!(read_in_steps(&mut server, msg.len(), 3).await, msg);
        }
    })
    .unwrap();
}

#[test]
fn futures_io_pipe_read_dropped_while_pending_loses_nothing() {
    use futures_io::{AsyncRead, AsyncWrite};

    ringio::run(async {
        let mut child = Command::new("cat")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = Compat::new(child.stdin.take().unwrap());
        let mut stdout = Compat::new(child.stdout.take().unwrap());
        let mut buf = [0u8; 3];
        let read_once = |stdout: &mut Compat<_>, buf: &mut [u8], cx: &mut Context<'_>| {
            Pin::new(stdout).poll_read(cx, buf)
        };
        assert!(read_once(
            &mut stdout,
            &mut buf,
            &mut Context::from_waker(Waker::noop())
        )
        .is_pending());

        let msg = message(5000, 0);
        let mut sent = 0;
        while sent < msg.len() {
            sent += std::future::poll_fn(|cx| Pin::new(&mut stdin).poll_write(cx, &msg[sent..]))
                .await
                .unwrap();
        }
        std::future::poll_fn(|cx| Pin::new(&mut stdin).poll_close(cx))
            .await
            .unwrap();
        drop(stdin);

        let mut got = Vec::new();
        loop {
            let read = std::future::poll_fn(|cx| read_once(&mut stdout, &mut buf, cx));
            let n = ringio::time::timeout(BOUND, read)
                .await
                .unwrap_or_else(|_| panic!("no end of stream after {} bytes", got.len()))
                .unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(got, msg);
        assert!(child.wait().await.unwrap().success());
    })
    .unwrap();
}
