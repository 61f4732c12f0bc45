//! Model-checks Event and oneshot wake-ups across threads: no interleaving
//! loses a wake-up.
#![cfg(loom)]

use loom::sync::Arc;
use loom::thread;
use ringio_sync::{oneshot, Event};

#[test]
fn set_on_another_thread_always_wakes_the_waiter() {
    loom::model(|| {
        let ev = Arc::new(Event::new());
        let setter = thread::spawn({
            let ev = ev.clone();
            move || ev.set()
        });
        loom::future::block_on(ev.wait());
        setter.join().unwrap();
    });
}

#[test]
fn oneshot_receiver_sees_the_value_or_the_dropped_sender() {
    loom::model(|| {
        let (tx, rx) = oneshot::channel();
        let sender = thread::spawn(move || {
            let _ = tx.set(5);
        });
        assert_eq!(loom::future::block_on(rx), Ok(5));
        sender.join().unwrap();
    });
}
