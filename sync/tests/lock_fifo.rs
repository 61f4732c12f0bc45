//! The lock is handed over in arrival order, and dropped waiters never keep
//! or lose it (CPython test_locks: LockTests test_acquire, test_cancel_release_race,
//! test_cancel_race, test_finished_waiter_cancelled, test_lock_doesnt_accept_loop_parameter...).

mod common;

use std::sync::Arc;

use common::{pending, poll_with, ready, runtime, settle, CountingWaker};
use ringio_sync::Lock;

#[test]
fn waiters_get_the_lock_in_arrival_order() {
    runtime().block_on(async {
        let lock = Arc::new(Lock::new(Vec::new()));
        let guard = lock.lock().await;
        let tasks: Vec<_> = (0..5)
            .map(|i| {
                let lock = lock.clone();
                tokio::spawn(async move { lock.lock().await.push(i) })
            })
            .collect();
        settle().await;
        drop(guard);
        for t in tasks {
            assert!(t.await.is_ok());
        }
        assert_eq!(*lock.lock().await, [0, 1, 2, 3, 4]);
    });
}

#[test]
fn try_lock_does_not_jump_a_waiter() {
    let lock = Lock::new(());
    let guard = lock.try_lock();
    let mut waiter = lock.lock();
    pending(&mut waiter);
    drop(guard);
    assert!(lock.try_lock().is_err());
    let _g = ready(&mut waiter);
}

#[test]
fn dropped_waiter_that_was_handed_the_lock_passes_it_on() {
    // test_cancel_race: the lock was released to a waiter that was cancelled
    // before it ran; the next waiter must get it.
    let lock = Lock::new(0);
    let mut guard = lock.try_lock().ok();
    let mut a = lock.lock();
    let mut b = lock.lock();
    let waker_b = CountingWaker::new();
    pending(&mut a);
    assert!(poll_with(&mut b, &waker_b).is_pending());
    if let Some(g) = guard.as_mut() {
        **g = 1;
    }
    drop(guard); // handed to `a`
    drop(a); // cancelled after being handed the lock
    assert_eq!(waker_b.count(), 1, "the hand-off passes to b and wakes it");
    let g = ready(&mut b);
    assert_eq!(*g, 1);
}

#[test]
fn dropped_waiter_that_was_not_handed_the_lock_gives_up_its_place() {
    let lock = Lock::new(());
    let guard = lock.try_lock();
    let mut a = lock.lock();
    let mut b = lock.lock();
    pending(&mut a);
    pending(&mut b);
    drop(a);
    drop(guard);
    let _g = ready(&mut b);
}

#[test]
fn dropping_every_waiter_leaves_the_lock_free() {
    let lock = Lock::new(5);
    let guard = lock.try_lock();
    let mut waiters: Vec<_> = (0..4).map(|_| lock.lock()).collect();
    for w in &mut waiters {
        pending(w);
    }
    drop(guard);
    drop(waiters);
    assert!(!lock.is_locked());
    assert_eq!(lock.try_lock().map(|g| *g), Ok(5));
}

#[test]
fn guard_survives_await_points_in_a_send_task() {
    runtime().block_on(async {
        let lock = Arc::new(Lock::new(String::new()));
        let t = tokio::spawn({
            let lock = lock.clone();
            async move {
                let mut g = lock.lock().await;
                g.push('a');
                tokio::task::yield_now().await;
                g.push('b');
            }
        });
        assert!(t.await.is_ok());
        assert_eq!(*lock.lock().await, "ab");
    });
}

#[test]
fn a_panicking_holder_releases_the_lock() {
    let lock = Arc::new(Lock::new(1));
    let result = std::thread::spawn({
        let lock = lock.clone();
        move || {
            let _g = common::block_on(lock.lock());
            panic!("holder panics");
        }
    })
    .join();
    assert!(result.is_err());
    assert_eq!(lock.try_lock().map(|g| *g), Ok(1));
}
