//! oneshot's `set_exception` and `cancel`, as asyncio.Future's: the receiver
//! gets the sender's typed error (or the cancellation) as `Err`, and a
//! future done either way refuses a later result.

mod common;

use std::error::Error;
use std::fmt;

use common::{pending, ready, runtime};
use ringio_sync::oneshot::{self, RecvError, SetError, TryRecvError};

#[derive(Debug, Clone, PartialEq, Eq)]
struct NotFound(&'static str);

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} not found", self.0)
    }
}

impl Error for NotFound {}

#[test]
fn the_receiver_gets_the_error_the_sender_set() {
    let (tx, mut rx) = oneshot::channel_with_error::<u32, NotFound>();
    pending(&mut rx);
    assert!(tx.set_exception(NotFound("alice")).is_ok());
    assert!(tx.is_done());
    let err = ready(&mut rx).unwrap_err();
    assert_eq!(err, RecvError::Exception(NotFound("alice")));
    assert_eq!(err.to_string(), "the sender set an error: alice not found");
    assert_eq!(
        err.source().map(|e| e.to_string()),
        Some("alice not found".to_string())
    );
    assert_eq!(ready(&mut rx), Err(RecvError::Taken));
}

#[test]
fn try_recv_gets_the_error_too() {
    let (tx, mut rx) = oneshot::channel_with_error::<u32, NotFound>();
    tx.set_exception(NotFound("bob")).unwrap();
    assert_eq!(rx.try_recv(), Err(TryRecvError::Exception(NotFound("bob"))));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Taken));
}

#[test]
fn a_result_after_an_error_and_an_error_after_a_result_are_refused() {
    let (tx, mut rx) = oneshot::channel_with_error::<u32, NotFound>();
    tx.set_exception(NotFound("carol")).unwrap();
    assert!(matches!(tx.set(1), Err(SetError::AlreadySet(1))));
    assert!(matches!(
        tx.set_exception(NotFound("dave")),
        Err(SetError::AlreadySet(NotFound("dave")))
    ));
    assert!(!tx.cancel());
    assert_eq!(
        rx.try_recv(),
        Err(TryRecvError::Exception(NotFound("carol")))
    );

    let (tx, mut rx) = oneshot::channel_with_error::<u32, NotFound>();
    tx.set(7).unwrap();
    assert!(matches!(
        tx.set_exception(NotFound("erin")),
        Err(SetError::AlreadySet(NotFound("erin")))
    ));
    assert_eq!(rx.try_recv(), Ok(7));
}

#[test]
fn set_exception_after_the_receiver_is_dropped_hands_the_error_back() {
    let (tx, rx) = oneshot::channel_with_error::<u32, NotFound>();
    drop(rx);
    assert!(matches!(
        tx.set_exception(NotFound("frank")),
        Err(SetError::Closed(NotFound("frank")))
    ));
}

#[test]
fn cancel_wakes_the_receiver_with_cancelled() {
    let (tx, mut rx) = oneshot::channel::<u32>();
    pending(&mut rx);
    assert!(tx.cancel());
    assert!(tx.is_cancelled() && tx.is_done());
    assert!(!tx.cancel(), "a second cancel changes nothing");
    assert!(matches!(tx.set(1), Err(SetError::AlreadySet(1))));
    assert_eq!(ready(&mut rx), Err(RecvError::Cancelled));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Cancelled));
}

#[test]
fn an_error_set_from_another_task_wakes_the_awaiting_task() {
    runtime().block_on(async {
        let (tx, rx) = oneshot::channel_with_error::<&str, NotFound>();
        let setter = tokio::spawn(async move {
            tokio::task::yield_now().await;
            tx.set_exception(NotFound("grace")).is_ok()
        });
        assert_eq!(rx.await, Err(RecvError::Exception(NotFound("grace"))));
        assert_eq!(setter.await.ok(), Some(true));
    });
}
