//! oneshot's done callbacks, as asyncio.Future's `add_done_callback`: each
//! runs once when the outcome is decided (result, error, cancel, or every
//! sender dropped), in registration order; one added after completion runs
//! at once; callbacks may use the oneshot they are registered on.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::thread;

use ringio_sync::oneshot::{self, Outcome, RecvError};

type Log = Arc<Mutex<Vec<(u32, Outcome)>>>;

fn recorder(log: &Log, id: u32) -> impl FnOnce(Outcome) + Send + 'static {
    let log = log.clone();
    move |outcome| log.lock().unwrap().push((id, outcome))
}

fn entries(log: &Log) -> Vec<(u32, Outcome)> {
    log.lock().unwrap().clone()
}

#[test]
fn callbacks_run_once_in_registration_order_when_the_result_is_set() {
    let log = Log::default();
    let (tx, mut rx) = oneshot::channel();
    tx.add_done_callback(recorder(&log, 1));
    rx.add_done_callback(recorder(&log, 2));
    tx.add_done_callback(recorder(&log, 3));
    assert!(entries(&log).is_empty(), "nothing runs before the outcome");
    tx.set("v").unwrap();
    let want = [
        (1, Outcome::Value),
        (2, Outcome::Value),
        (3, Outcome::Value),
    ];
    assert_eq!(entries(&log), want);
    assert_eq!(rx.try_recv(), Ok("v"));
    drop(tx);
    drop(rx);
    assert_eq!(entries(&log), want, "no callback runs twice");
}

#[test]
fn a_callback_added_after_completion_runs_at_once() {
    let log = Log::default();
    let (tx, rx) = oneshot::channel::<u8>();
    tx.set(1).unwrap();
    assert!(rx.is_done());
    rx.add_done_callback(recorder(&log, 1));
    assert_eq!(entries(&log), [(1, Outcome::Value)]);
}

#[test]
fn callbacks_see_an_error_a_cancel_a_dropped_receiver_and_dropped_senders() {
    let log = Log::default();

    let (tx, _rx) = oneshot::channel_with_error::<u8, String>();
    tx.add_done_callback(recorder(&log, 1));
    tx.set_exception("boom".into()).unwrap();

    let (tx, _rx) = oneshot::channel::<u8>();
    tx.add_done_callback(recorder(&log, 2));
    tx.cancel();

    let (tx, rx) = oneshot::channel::<u8>();
    tx.add_done_callback(recorder(&log, 3));
    drop(rx);
    assert!(tx.is_cancelled());

    let (tx, mut rx) = oneshot::channel::<u8>();
    rx.add_done_callback(recorder(&log, 4));
    let tx2 = tx.clone();
    drop(tx);
    assert_eq!(entries(&log).len(), 3, "one sender is still alive");
    drop(tx2);
    assert_eq!(
        std::pin::Pin::new(&mut rx)
            .poll(&mut std::task::Context::from_waker(std::task::Waker::noop())),
        std::task::Poll::Ready(Err(RecvError::SenderDropped))
    );

    assert_eq!(
        entries(&log),
        [
            (1, Outcome::Exception),
            (2, Outcome::Cancelled),
            (3, Outcome::Cancelled),
            (4, Outcome::SenderDropped),
        ]
    );
}

#[test]
fn a_callback_may_use_the_oneshot_and_one_it_adds_runs_after_the_others() {
    let log = Log::default();
    let (tx, rx) = oneshot::channel::<u8>();
    let tx = Arc::new(tx);
    {
        let log = log.clone();
        let inner = tx.clone();
        tx.add_done_callback(move |outcome| {
            log.lock().unwrap().push((1, outcome));
            // Touches the same oneshot: no deadlock; the callback it adds
            // runs after those registered before it.
            assert!(inner.is_done());
            inner.add_done_callback(recorder(&log, 3));
        });
    }
    tx.add_done_callback(recorder(&log, 2));
    tx.set(9).unwrap();
    assert_eq!(
        entries(&log),
        [
            (1, Outcome::Value),
            (2, Outcome::Value),
            (3, Outcome::Value)
        ]
    );
    drop(rx);
}

#[test]
fn a_panicking_callback_does_not_stop_the_others() {
    let log = Log::default();
    let (tx, _rx) = oneshot::channel::<u8>();
    tx.add_done_callback(recorder(&log, 1));
    tx.add_done_callback(|_| panic!("callback failed"));
    tx.add_done_callback(recorder(&log, 3));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| tx.set(1)));
    assert!(
        caught.is_err(),
        "the panic reaches the code that set the result"
    );
    assert_eq!(entries(&log), [(1, Outcome::Value), (3, Outcome::Value)]);
    tx.add_done_callback(recorder(&log, 4));
    assert_eq!(
        entries(&log),
        [
            (1, Outcome::Value),
            (3, Outcome::Value),
            (4, Outcome::Value)
        ],
        "after the panic, a late callback still runs at once"
    );
}

#[test]
fn callbacks_run_on_the_thread_that_sets_the_result() {
    let (tx, rx) = oneshot::channel::<u8>();
    let ran_on = Arc::new(Mutex::new(None));
    {
        let ran_on = ran_on.clone();
        rx.add_done_callback(move |_| *ran_on.lock().unwrap() = Some(thread::current().id()));
    }
    let setter = thread::spawn(move || {
        tx.set(1).unwrap();
        thread::current().id()
    });
    let setter_id = setter.join().unwrap();
    assert_eq!(*ran_on.lock().unwrap(), Some(setter_id));
    drop(rx);
}
