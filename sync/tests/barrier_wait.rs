//! Barrier: arrival indices, rounds, abort and reset (CPython test_locks:
//! BarrierTests test_barrier, test_barrier_parties, test_abort_barrier,
//! test_reset_barrier, test_blocking_tasks_while_draining).

mod common;

use std::sync::Arc;

use common::{pending, ready, runtime};
use ringio_sync::{Barrier, BrokenBarrierError};

#[test]
fn every_party_gets_a_distinct_arrival_index() {
    runtime().block_on(async {
        let barrier = Arc::new(Barrier::new(4));
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let barrier = barrier.clone();
                tokio::spawn(async move { barrier.wait().await })
            })
            .collect();
        let mut indices = Vec::new();
        for t in tasks {
            match t.await {
                Ok(Ok(i)) => indices.push(i),
                other => panic!("{other:?}"),
            }
        }
        indices.sort();
        assert_eq!(indices, [0, 1, 2, 3]);
        assert_eq!(barrier.n_waiting(), 0);
    });
}

#[test]
fn indices_follow_arrival_order_and_rounds_repeat() {
    let barrier = Barrier::new(3);
    for _round in 0..3 {
        let mut a = barrier.wait();
        let mut b = barrier.wait();
        pending(&mut a);
        pending(&mut b);
        assert_eq!(barrier.n_waiting(), 2);
        assert_eq!(ready(&mut barrier.wait()), Ok(2));
        assert_eq!(ready(&mut a), Ok(0));
        assert_eq!(ready(&mut b), Ok(1));
    }
}

#[test]
fn a_dropped_waiter_leaves_the_barrier() {
    let barrier = Barrier::new(2);
    let mut a = barrier.wait();
    pending(&mut a);
    drop(a);
    assert_eq!(barrier.n_waiting(), 0);
    let mut b = barrier.wait();
    pending(&mut b);
    assert_eq!(ready(&mut barrier.wait()), Ok(1));
    assert_eq!(ready(&mut b), Ok(0));
}

#[test]
fn abort_breaks_current_and_later_waits_until_reset() {
    let barrier = Barrier::new(3);
    let mut a = barrier.wait();
    pending(&mut a);
    barrier.abort();
    assert!(barrier.is_broken());
    assert!(matches!(ready(&mut a), Err(BrokenBarrierError { .. })));
    assert!(ready(&mut barrier.wait()).is_err());
    barrier.reset();
    assert!(!barrier.is_broken());
    let mut a = barrier.wait();
    let mut b = barrier.wait();
    pending(&mut a);
    pending(&mut b);
    assert_eq!(ready(&mut barrier.wait()), Ok(2));
    assert!(ready(&mut a).is_ok() && ready(&mut b).is_ok());
}

#[test]
fn reset_breaks_the_waiting_round_only() {
    let barrier = Barrier::new(2);
    let mut a = barrier.wait();
    pending(&mut a);
    barrier.reset();
    let err = ready(&mut a).err();
    assert!(err.is_some());
    if let Some(err) = err {
        assert!(err.to_string().contains("reset()"));
    }
    let mut b = barrier.wait();
    pending(&mut b);
    assert_eq!(ready(&mut barrier.wait()), Ok(1));
}

#[test]
fn one_party_never_blocks() {
    let barrier = Barrier::new(1);
    assert_eq!(barrier.parties(), 1);
    assert_eq!(ready(&mut barrier.wait()), Ok(0));
    assert_eq!(ready(&mut barrier.wait()), Ok(0));
}
