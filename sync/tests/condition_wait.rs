//! Condition: notify(n) wakes the longest waiters, wait re-acquires the lock,
//! and a dropped wait never loses the lock or a notification (CPython
//! test_locks: ConditionTests test_wait, test_notify, test_notify_all,
//! test_wait_for, test_wait_cancel_after_notify, test_cancelled_error_re_aquire).

mod common;

use std::sync::Arc;

use common::{pending, poll_with, ready, runtime, settle, CountingWaker};
use ringio_sync::{Condition, Lock, LockGuard};

/// Takes a lock that the test knows is free.
fn held<T>(lock: &Lock<T>) -> LockGuard<'_, T> {
    match lock.try_lock() {
        Ok(guard) => guard,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn notify_wakes_waiters_in_order_and_notify_all_wakes_the_rest() {
    runtime().block_on(async {
        let lock = Arc::new(Lock::new(Vec::new()));
        let cond = Arc::new(Condition::new());
        let tasks: Vec<_> = (0..4)
            .map(|i| {
                let (lock, cond) = (lock.clone(), cond.clone());
                tokio::spawn(async move {
                    let guard = lock.lock().await;
                    let mut guard = cond.wait(guard).await;
                    guard.push(i);
                })
            })
            .collect();
        settle().await;
        cond.notify(1);
        settle().await;
        assert_eq!(*lock.lock().await, [0]);
        cond.notify(2);
        settle().await;
        assert_eq!(*lock.lock().await, [0, 1, 2]);
        cond.notify_all();
        for t in tasks {
            assert!(t.await.is_ok());
        }
        assert_eq!(*lock.lock().await, [0, 1, 2, 3]);
    });
}

#[test]
fn notify_with_nobody_waiting_is_not_stored() {
    let lock = Lock::new(());
    let cond = Condition::new();
    cond.notify(1);
    let mut wait = cond.wait(held(&lock));
    pending(&mut wait);
}

#[test]
fn wait_releases_the_lock_and_reacquires_it() {
    let lock = Lock::new(0);
    let cond = Condition::new();
    let mut wait = cond.wait(held(&lock));
    pending(&mut wait);
    assert!(!lock.is_locked(), "waiting releases the lock");
    let mut other = lock.try_lock().ok();
    if let Some(g) = other.as_mut() {
        **g = 7;
    }
    cond.notify(1);
    pending(&mut wait); // notified, but the lock is held
    drop(other);
    let guard = ready(&mut wait);
    assert_eq!(*guard, 7);
}

#[test]
fn wait_for_checks_the_predicate_with_the_lock_held() {
    runtime().block_on(async {
        let lock = Arc::new(Lock::new(0));
        let cond = Arc::new(Condition::new());
        let waiter = tokio::spawn({
            let (lock, cond) = (lock.clone(), cond.clone());
            async move { *cond.wait_for(lock.lock().await, |n| *n >= 3).await }
        });
        for _ in 0..3 {
            settle().await;
            *lock.lock().await += 1;
            cond.notify_all();
        }
        assert_eq!(waiter.await.ok(), Some(3));
    });
}

#[test]
fn dropped_wait_after_notify_passes_the_notification_on() {
    let lock = Lock::new(());
    let cond = Condition::new();
    let mut a = cond.wait(held(&lock));
    pending(&mut a);
    let mut b = cond.wait(held(&lock));
    let waker_b = CountingWaker::new();
    assert!(poll_with(&mut b, &waker_b).is_pending());
    cond.notify(1); // goes to a
    assert_eq!(waker_b.count(), 0);
    drop(a); // cancelled after being notified
    assert_eq!(waker_b.count(), 1, "a's notification passes to b");
    let _guard = ready(&mut b);
}

#[test]
fn dropped_wait_while_reacquiring_never_loses_the_lock() {
    let lock = Lock::new(1);
    let cond = Condition::new();
    let mut a = cond.wait(held(&lock));
    pending(&mut a);
    let holder = lock.try_lock();
    cond.notify(1);
    pending(&mut a); // notified, now queued for the lock
    let mut other = lock.lock();
    pending(&mut other); // queued behind a
    drop(holder); // lock handed to a
    drop(a); // dropped holding the hand-off: it goes to `other`
    assert_eq!(*ready(&mut other), 1);
}

#[test]
fn dropped_wait_before_first_poll_just_unlocks() {
    let lock = Lock::new(());
    let cond = Condition::new();
    let wait = cond.wait(held(&lock));
    assert!(lock.is_locked());
    drop(wait);
    assert!(!lock.is_locked());
}

#[test]
fn cancelled_waiters_never_hang_the_rest() {
    runtime().block_on(async {
        let lock = Arc::new(Lock::new(0));
        let cond = Arc::new(Condition::new());
        let tasks: Vec<_> = (0..6)
            .map(|_| {
                let (lock, cond) = (lock.clone(), cond.clone());
                tokio::spawn(async move {
                    let g = lock.lock().await;
                    let mut g = cond.wait(g).await;
                    *g += 1;
                })
            })
            .collect();
        settle().await;
        cond.notify(3);
        for (i, t) in tasks.iter().enumerate() {
            if i % 2 == 0 {
                t.abort();
            }
        }
        settle().await;
        cond.notify_all();
        let mut finished = 0;
        for t in tasks {
            if t.await.is_ok() {
                finished += 1;
            }
        }
        assert_eq!(*lock.lock().await, finished);
        assert!(finished >= 3, "the three odd tasks finish");
        assert!(!lock.is_locked());
    });
}
