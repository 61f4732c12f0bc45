//! wait(): ReturnWhen conditions, timeout, done/pending split, no cancelling.

use std::time::{Duration, Instant};

use ringio_runtime::task::{wait, wait_with, ReturnWhen};
use ringio_runtime::time::sleep;
use ringio_runtime::{run, spawn, JoinHandle};

fn sleeper(ms: u64) -> JoinHandle<u64> {
    spawn(async move {
        sleep(Duration::from_millis(ms)).await;
        ms
    })
}

#[test]
fn first_completed_returns_the_first_and_leaves_the_rest_running() {
    run(async {
        let start = Instant::now();
        // Far apart, so that a slow machine (valgrind, a sanitizer build)
        // cannot blur which came first.
        let (done, pending) = wait(
            vec![sleeper(600), sleeper(10), sleeper(500)],
            ReturnWhen::FirstCompleted,
            None,
        )
        .await;
        assert!(start.elapsed() < Duration::from_millis(400));
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].index, 1);
        assert_eq!(*done[0].result.as_ref().unwrap(), 10);
        assert_eq!(pending.len(), 2);
        assert!(pending.iter().all(|h| !h.is_finished()));
        // Not cancelled: they still finish with their values.
        let mut rest = Vec::new();
        for h in pending {
            rest.push(h.await.unwrap());
        }
        assert_eq!(rest, [600, 500]);
    })
    .unwrap();
}

#[test]
fn all_completed_waits_for_every_task() {
    run(async {
        let (done, pending) = wait(
            vec![sleeper(30), sleeper(10), sleeper(20)],
            ReturnWhen::AllCompleted,
            None,
        )
        .await;
        assert!(pending.is_empty());
        let order: Vec<usize> = done.iter().map(|d| d.index).collect();
        assert_eq!(order, [1, 2, 0], "done is in completion order");
    })
    .unwrap();
}

#[test]
fn timeout_returns_early_without_cancelling() {
    run(async {
        let start = Instant::now();
        let (done, pending) = wait(
            vec![sleeper(10), sleeper(600)],
            ReturnWhen::AllCompleted,
            Some(Duration::from_millis(40)),
        )
        .await;
        let took = start.elapsed();
        assert!(took >= Duration::from_millis(40) && took < Duration::from_millis(450));
        assert_eq!(done.len(), 1);
        assert_eq!(pending.len(), 1);
        assert!(!pending[0].is_finished());
        let h = pending.into_iter().next().unwrap();
        assert_eq!(h.await.unwrap(), 600);
    })
    .unwrap();
}

#[test]
fn first_exception_counts_err_outputs() {
    run(async {
        let ok_slow = spawn(async {
            sleep(Duration::from_millis(300)).await;
            Ok::<u8, String>(1)
        });
        let err_fast = spawn(async {
            sleep(Duration::from_millis(10)).await;
            Err::<u8, String>("bad".into())
        });
        let start = Instant::now();
        let (done, pending) = wait(vec![ok_slow, err_fast], ReturnWhen::FirstException, None).await;
        assert!(start.elapsed() < Duration::from_millis(200));
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].index, 1);
        assert!(matches!(&done[0].result, Ok(Err(e)) if e == "bad"));
        assert_eq!(pending.len(), 1);
        pending[0].abort();
    })
    .unwrap();
}

#[test]
fn first_exception_counts_panics_but_not_cancellations() {
    run(async {
        let cancelled = sleeper(600_000);
        cancelled.abort();
        let panics = spawn(async {
            sleep(Duration::from_millis(20)).await;
            if true {
                panic!("boom");
            }
            0u64
        });
        let slow = sleeper(400);
        let start = Instant::now();
        let (done, pending) = wait(
            vec![cancelled, panics, slow],
            ReturnWhen::FirstException,
            None,
        )
        .await;
        assert!(start.elapsed() < Duration::from_millis(300));
        // The cancelled task finished first but did not stop the wait.
        assert_eq!(done.len(), 2);
        assert!(done[0].result.as_ref().unwrap_err().is_cancelled());
        assert!(done[1].result.as_ref().unwrap_err().is_panic());
        assert_eq!(pending.len(), 1);
    })
    .unwrap();
}

#[test]
fn first_exception_without_any_is_all_completed() {
    run(async {
        let (done, pending) = wait(
            vec![sleeper(5), sleeper(15)],
            ReturnWhen::FirstException,
            None,
        )
        .await;
        assert_eq!(done.len(), 2);
        assert!(pending.is_empty());
    })
    .unwrap();
}

#[test]
fn wait_with_uses_the_predicate() {
    run(async {
        let (done, pending) = wait_with(
            vec![sleeper(10), sleeper(300)],
            ReturnWhen::FirstException,
            None,
            |v: &u64| *v == 10,
        )
        .await;
        assert_eq!(done.len(), 1);
        assert_eq!(pending.len(), 1);
        pending[0].abort();
    })
    .unwrap();
}

#[test]
fn empty_returns_at_once() {
    run(async {
        let (done, pending) = wait(
            Vec::<JoinHandle<u64>>::new(),
            ReturnWhen::AllCompleted,
            None,
        )
        .await;
        assert!(done.is_empty() && pending.is_empty());
    })
    .unwrap();
}
