//! Model-checks the waiter list under `Semaphore`: permits handed to a waiter
//! that is dropped concurrently are passed on, never lost.
#![cfg(loom)]

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use loom::sync::Arc;
use loom::thread;
use ringio_sync::Semaphore;

fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
    Pin::new(fut).poll(&mut Context::from_waker(Waker::noop()))
}

#[test]
fn a_cancelled_waiter_passes_its_permit_to_the_next() {
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(0));
        let cancelled = thread::spawn({
            let sem = sem.clone();
            move || {
                let mut fut = sem.acquire();
                let _ = poll_once(&mut fut);
            }
        });
        let waiter = thread::spawn({
            let sem = sem.clone();
            move || loom::future::block_on(sem.acquire()).forget()
        });
        sem.add_permits(1);
        cancelled.join().unwrap();
        waiter.join().unwrap();
        assert_eq!(sem.available_permits(), 0);
    });
}

#[test]
fn permits_are_conserved_when_holders_and_waiters_race() {
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(1));
        let other = thread::spawn({
            let sem = sem.clone();
            move || drop(loom::future::block_on(sem.acquire()))
        });
        {
            let mut fut = sem.acquire();
            if let Poll::Ready(permit) = poll_once(&mut fut) {
                drop(permit);
            }
        }
        other.join().unwrap();
        assert_eq!(sem.available_permits(), 1);
    });
}
