//! `Compat::into_inner` gives the socket back only when nothing would be
//! lost: not while a read is in flight or received bytes are unread.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Waker};

use ringio::compat::Compat;
use ringio::net::UnixStream;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[test]
fn into_inner_refuses_while_bytes_could_be_lost() {
    ringio::run(async {
        let (a, b) = UnixStream::pair().unwrap();
        let mut a = Compat::new(a);
        let mut b = Compat::new(b);
        // Nothing started: the socket comes back.
        let a_raw = a.into_inner().expect("an idle Compat unwraps");
        a = Compat::new(a_raw);

        // A read in flight: refused.
        let mut one = [0u8; 1];
        {
            let read = pin!(a.read(&mut one));
            assert!(read
                .poll(&mut Context::from_waker(Waker::noop()))
                .is_pending());
        }
        let mut a = a.into_inner().expect_err("a read is in flight");

        // The read completes with more than was asked for: still refused
        // until the rest is read.
        b.write_all(b"abc").await.unwrap();
        b.flush().await.unwrap();
        a.read_exact(&mut one).await.unwrap();
        assert_eq!(&one, b"a");
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
