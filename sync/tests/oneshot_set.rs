//! oneshot behaves as asyncio.Future: set once, a second set is an error, the
//! receiver sees dropped senders.

mod common;

use common::{pending, ready, runtime};
use ringio_sync::oneshot::{self, RecvError, SetError, TryRecvError};

#[test]
fn set_once_then_receive() {
    let (tx, rx) = oneshot::channel();
    assert!(!tx.is_set());
    assert!(tx.set(1).is_ok());
    assert!(tx.is_set());
    assert_eq!(common::block_on(rx), Ok(1));
}

#[test]
fn a_second_set_is_an_error_and_hands_the_value_back() {
    let (tx, mut rx) = oneshot::channel();
    let tx2 = tx.clone();
    assert!(tx.set("first").is_ok());
    match tx2.set("second") {
        Err(SetError::AlreadySet(v)) => assert_eq!(v, "second"),
        other => panic!("{other:?}"),
    }
    assert_eq!(rx.try_recv(), Ok("first"));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Taken));
}

#[test]
fn receiver_sees_every_sender_dropped() {
    let (tx, mut rx) = oneshot::channel::<u8>();
    let tx2 = tx.clone();
    pending(&mut rx);
    drop(tx);
    pending(&mut rx);
    drop(tx2);
    assert_eq!(ready(&mut rx), Err(RecvError::SenderDropped));
    assert!(RecvError::<std::convert::Infallible>::SenderDropped
        .to_string()
        .contains("sender"));
}

#[test]
fn set_after_the_receiver_is_dropped_is_an_error() {
    let (tx, rx) = oneshot::channel();
    drop(rx);
    assert!(tx.is_closed());
    assert_eq!(tx.set(5).map_err(SetError::into_inner), Err(5));
}

#[test]
fn set_from_a_task_wakes_the_awaiting_task() {
    // Seed 002, "Using asyncio.Future".
    runtime().block_on(async {
        let (tx, rx) = oneshot::channel();
        let setter = tokio::spawn(async move {
            tokio::task::yield_now().await;
            tx.set("Done!").map_err(|e| e.to_string())
        });
        assert_eq!(rx.await, Ok("Done!"));
        assert_eq!(setter.await.ok(), Some(Ok(())));
    });
}

#[test]
fn try_recv_before_set_is_empty() {
    let (_tx, mut rx) = oneshot::channel::<()>();
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
}
