//! Model-checks the waiter list under `Lock`: hand-off and cancellation
//! races between threads. Run by `ci/loom.sh` (needs `--cfg loom`).
#![cfg(loom)]

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use loom::sync::Arc;
use loom::thread;
use ringio_sync::Lock;

fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
    Pin::new(fut).poll(&mut Context::from_waker(Waker::noop()))
}

#[test]
fn two_threads_increment_under_the_lock() {
    loom::model(|| {
        let lock = Arc::new(Lock::new(0));
        let other = thread::spawn({
            let lock = lock.clone();
            move || *loom::future::block_on(lock.lock()) += 1
        });
        *loom::future::block_on(lock.lock()) += 1;
        other.join().unwrap();
        assert_eq!(lock.try_lock().map(|g| *g), Ok(2));
    });
}

#[test]
fn a_waiter_dropped_while_the_lock_is_released_never_keeps_it() {
    loom::model(|| {
        let lock = Arc::new(Lock::new(()));
        let guard = lock.try_lock().ok();
        let waiter = thread::spawn({
            let lock = lock.clone();
            move || {
                let mut fut = lock.lock();
                let _ = poll_once(&mut fut);
                // Dropped whether or not the lock was handed to it.
            }
        });
        drop(guard);
        waiter.join().unwrap();
        assert!(!lock.is_locked());
    });
}
