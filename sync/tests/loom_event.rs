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

#[test]
fn a_waiter_dropped_while_set_frees_the_entries_never_disturbs_the_other() {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Waker};

    loom::model(|| {
        let ev = Arc::new(Event::new());
        let mut dropped = ev.wait();
        let _ = Pin::new(&mut dropped).poll(&mut Context::from_waker(Waker::noop()));
        let setter = thread::spawn({
            let ev = ev.clone();
            move || {
                ev.set();
                ev.clear();
            }
        });
        let kept = thread::spawn({
            let ev = ev.clone();
            move || {
                let mut w = ev.wait();
                let _ = Pin::new(&mut w).poll(&mut Context::from_waker(Waker::noop()));
                // Dropped before or after the set freed its entry.
            }
        });
        drop(dropped);
        setter.join().unwrap();
        kept.join().unwrap();
        // The list is consistent: a new waiter registers and is woken.
        let waiter = thread::spawn({
            let ev = ev.clone();
            move || loom::future::block_on(ev.wait())
        });
        ev.set();
        waiter.join().unwrap();
    });
}
