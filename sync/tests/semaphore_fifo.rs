//! Semaphore permits go to waiters in arrival order; dropped waiters pass on
//! what they were handed (CPython test_locks: SemaphoreTests test_acquire,
//! test_acquire_fifo_order, test_acquire_cancel_before_awoken,
//! test_acquire_hang, test_release_no_waiters, BoundedSemaphore release).

mod common;

use std::sync::Arc;

use common::{pending, poll_with, ready, runtime, settle, CountingWaker};
use ringio_sync::{BoundedSemaphore, Lock, Semaphore};

#[test]
fn waiters_are_served_in_fifo_order() {
    runtime().block_on(async {
        let sem = Arc::new(Semaphore::new(1));
        let order = Arc::new(Lock::new(Vec::new()));
        let first = sem.acquire().await;
        let tasks: Vec<_> = (0..5)
            .map(|i| {
                let (sem, order) = (sem.clone(), order.clone());
                tokio::spawn(async move {
                    let _permit = sem.acquire().await;
                    order.lock().await.push(i);
                    tokio::task::yield_now().await;
                })
            })
            .collect();
        settle().await;
        drop(first);
        for t in tasks {
            assert!(t.await.is_ok());
        }
        assert_eq!(*order.lock().await, [0, 1, 2, 3, 4]);
    });
}

#[test]
fn try_acquire_does_not_jump_a_waiter() {
    let sem = Semaphore::new(0);
    let mut waiter = sem.acquire();
    pending(&mut waiter);
    sem.add_permits(1);
    assert!(sem.try_acquire().is_err());
    assert_eq!(ready(&mut waiter).permits(), 1);
}

#[test]
fn waiter_cancelled_before_awoken_passes_its_permit_on() {
    let sem = Semaphore::new(0);
    let mut a = sem.acquire();
    let mut b = sem.acquire();
    let waker_b = CountingWaker::new();
    pending(&mut a);
    assert!(poll_with(&mut b, &waker_b).is_pending());
    sem.add_permits(1); // handed to a
    drop(a);
    assert_eq!(waker_b.count(), 1);
    let _permit = ready(&mut b);
    assert_eq!(sem.available_permits(), 0);
}

#[test]
fn cancelling_waiters_does_not_hang_the_rest() {
    // test_acquire_hang
    runtime().block_on(async {
        let sem = Arc::new(Semaphore::new(0));
        let t1 = tokio::spawn({
            let sem = sem.clone();
            async move { sem.acquire().await.forget() }
        });
        let t2 = tokio::spawn({
            let sem = sem.clone();
            async move { sem.acquire().await.forget() }
        });
        settle().await;
        sem.add_permits(1);
        t1.abort();
        settle().await;
        assert!(t2.is_finished(), "t2 got the permit t1 was handed");
        assert!(t2.await.is_ok());
        assert_eq!(sem.available_permits(), 0);
    });
}

#[test]
fn many_cancelled_waiters_conserve_permits() {
    let sem = Semaphore::new(0);
    let mut waiters: Vec<_> = (0..10).map(|i| sem.acquire_many(1 + i % 3)).collect();
    for w in &mut waiters {
        pending(w);
    }
    sem.add_permits(4);
    drop(waiters);
    assert_eq!(sem.available_permits(), 4);
}

#[test]
fn acquire_many_takes_permits_together() {
    let sem = Semaphore::new(3);
    let permit = ready(&mut sem.acquire_many(3));
    assert_eq!(permit.permits(), 3);
    assert_eq!(sem.available_permits(), 0);
    assert!(sem.is_locked());
    drop(permit);
    assert_eq!(sem.available_permits(), 3);
}

#[test]
fn bounded_semaphore_refuses_to_release_past_its_bound() {
    let sem = BoundedSemaphore::new(2);
    assert!(sem.release().is_err());
    let p = ready(&mut sem.acquire());
    p.forget();
    assert_eq!(sem.available_permits(), 1);
    assert!(sem.release().is_ok());
    let err = sem.release().err();
    assert!(err.is_some());
    if let Some(err) = err {
        assert_eq!(err.bound(), 2);
        assert!(err.to_string().contains("released too many times"));
    }
    assert_eq!(sem.available_permits(), 2);
}

#[test]
fn bounded_semaphore_release_serves_a_waiter() {
    let sem = BoundedSemaphore::new(1);
    ready(&mut sem.acquire()).forget();
    let mut waiter = sem.acquire();
    pending(&mut waiter);
    assert!(sem.release().is_ok());
    let permit = ready(&mut waiter);
    // The released permit went to the waiter; releasing again would overflow
    // only once the permit is back.
    drop(permit);
    assert!(sem.release().is_err());
}
