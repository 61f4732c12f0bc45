//! Event: set wakes every waiter, clear does not take back a wake-up
//! (CPython test_locks: EventTests test_wait, test_wait_on_set, test_clear,
//! test_clear_with_waiters, test_wait_cancel).

mod common;

use std::sync::Arc;

use common::{pending, ready, runtime, settle};
use ringio_sync::Event;

#[test]
fn wait_on_a_set_event_returns_at_once() {
    let ev = Event::new();
    ev.set();
    assert!(ev.is_set());
    ready(&mut ev.wait());
}

#[test]
fn set_wakes_every_waiter() {
    runtime().block_on(async {
        let ev = Arc::new(Event::new());
        let tasks: Vec<_> = (0..3)
            .map(|_| {
                let ev = ev.clone();
                tokio::spawn(async move { ev.wait().await })
            })
            .collect();
        settle().await;
        for t in &tasks {
            assert!(!t.is_finished());
        }
        ev.set();
        for t in tasks {
            assert!(t.await.is_ok());
        }
    });
}

#[test]
fn clear_after_set_does_not_take_back_the_wake_up() {
    let ev = Event::new();
    let mut w = ev.wait();
    pending(&mut w);
    ev.set();
    ev.clear();
    assert!(!ev.is_set());
    ready(&mut w);
    pending(&mut ev.wait());
}

#[test]
fn dropped_waiter_does_not_disturb_the_others() {
    let ev = Event::new();
    let mut a = ev.wait();
    let mut b = ev.wait();
    pending(&mut a);
    pending(&mut b);
    drop(a);
    ev.set();
    ready(&mut b);
}

#[test]
fn set_from_another_thread_wakes_a_blocked_thread() {
    let ev = Arc::new(Event::new());
    let setter = std::thread::spawn({
        let ev = ev.clone();
        move || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            ev.set();
        }
    });
    common::block_on(ev.wait());
    assert!(setter.join().is_ok());
}
