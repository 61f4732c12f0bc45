//! Model-checks Condition: a notification racing a dropped wait is passed on,
//! and the lock is never lost, in every interleaving.
#![cfg(loom)]

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use loom::sync::Arc;
use loom::thread;
use ringio_sync::{Condition, Lock};

fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
    Pin::new(fut).poll(&mut Context::from_waker(Waker::noop()))
}

#[test]
fn a_notification_racing_a_dropped_wait_reaches_the_other_waiter() {
    loom::model(|| {
        let lock = Arc::new(Lock::new(false));
        let cond = Arc::new(Condition::new());
        // Two waiters registered before the notifier runs.
        let mut dropped = cond.wait(lock.try_lock().unwrap());
        assert!(poll_once(&mut dropped).is_pending());
        let mut kept = cond.wait(lock.try_lock().unwrap());
        assert!(poll_once(&mut kept).is_pending());
        let notifier = thread::spawn({
            let (lock, cond) = (lock.clone(), cond.clone());
            move || {
                *loom::future::block_on(lock.lock()) = true;
                cond.notify(1);
            }
        });
        // Races the notifier: the notification may land on `dropped` first.
        drop(dropped);
        let guard = loom::future::block_on(kept);
        assert!(*guard);
        drop(guard);
        notifier.join().unwrap();
        assert!(!lock.is_locked());
    });
}
