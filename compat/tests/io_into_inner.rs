//! `Compat::into_inner` gives the socket back only when nothing would be
//! lost: bytes the `Compat` holds itself (read ahead by `fill_buf`, or an
//! owned read in flight) keep it wrapped; bytes the socket holds (a read
//! served from the loop's pool keeps what did not fit in the socket's own
//! stash) come with the socket, and its next read returns them.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Waker};

use ringio::compat::Compat;
use ringio::net::UnixStream;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};

/// Reads exactly `n` bytes from the bare socket.
async fn read_socket(s: &UnixStream, n: usize) -> Vec<u8> {
    let mut got = Vec::new();
    while got.len() < n {
        let (res, buf) = s.read(Vec::with_capacity(n - got.len())).await;
        assert!(res.unwrap() > 0, "end of stream after {got:?}");
        got.extend_from_slice(&buf);
    }
    got
}

#[test]
fn into_inner_refuses_while_the_compat_holds_bytes() {
    ringio::run(async {
        let (a, b) = UnixStream::pair().unwrap();
        let mut a = Compat::new(a);
        let mut b = Compat::new(b);
        // Nothing started: the socket comes back.
        let a_raw = a.into_inner().expect("an idle Compat unwraps");
        a = Compat::new(a_raw);

        // `fill_buf` reads ahead into the Compat's own buffer: refused
        // while any of it is unconsumed.
        b.write_all(b"abc").await.unwrap();
        b.flush().await.unwrap();
        let ahead = a.fill_buf().await.unwrap().to_vec();
        assert_eq!(ahead, b"abc");
        a.consume(1);
        let mut a = a.into_inner().expect_err("two bytes are unread");
        let mut two = [0u8; 2];
        a.read_exact(&mut two).await.unwrap();
        assert_eq!(&two, b"bc");
        let a = a.into_inner().expect("all read: the socket comes back");

        // The socket still works on its own.
        let (res, _) = a.write_all(b"x".to_vec()).await;
        res.unwrap();
        let mut x = [0u8; 1];
        b.read_exact(&mut x).await.unwrap();
        assert_eq!(&x, b"x");
    })
    .unwrap();
}

#[test]
fn into_inner_after_reads_loses_nothing() {
    ringio::run(async {
        let (a, b) = UnixStream::pair().unwrap();
        let mut a = Compat::new(a);
        let mut b = Compat::new(b);

        // A read polled once and abandoned, then bytes arrive.
        let mut one = [0u8; 1];
        {
            let read = pin!(a.read(&mut one));
            assert!(read
                .poll(&mut Context::from_waker(Waker::noop()))
                .is_pending());
        }
        b.write_all(b"abcdef").await.unwrap();
        b.flush().await.unwrap();
        // One byte through the Compat; the rest is wherever the read left
        // it: the Compat's own buffer, the socket's stash or its queue.
        a.read_exact(&mut one).await.unwrap();
        assert_eq!(&one, b"a");
        let rest = match a.into_inner() {
            // Given back: the socket's own reads return the rest.
            Ok(sock) => read_socket(&sock, 5).await,
            // Refused: the Compat still holds some; it returns the rest.
            Err(mut a) => {
                let mut rest = [0u8; 5];
                a.read_exact(&mut rest).await.unwrap();
                rest.to_vec()
            }
        };
        assert_eq!(rest, b"bcdef");
    })
    .unwrap();
}
