//! as_completed(): results in completion order, then None.

use std::time::Duration;

use ringio_runtime::task::as_completed;
use ringio_runtime::time::{sleep, timeout};
use ringio_runtime::{run, spawn};

#[test]
fn yields_in_completion_order_with_indices() {
    // Deadlines 100 ms apart: a loaded machine can stall the loop between
    // two spawns for tens of milliseconds, which reordered 10 ms steps.
    run(async {
        let tasks: Vec<_> = [400u64, 100, 300, 200]
            .into_iter()
            .map(|ms| {
                spawn(async move {
                    sleep(Duration::from_millis(ms)).await;
                    ms
                })
            })
            .collect();
        let mut it = as_completed(tasks);
        assert_eq!(it.len(), 4);
        let mut seen = Vec::new();
        while let Some(f) = it.next().await {
            seen.push((f.index, f.result.unwrap()));
        }
        assert_eq!(seen, [(1, 100), (3, 200), (2, 300), (0, 400)]);
        assert!(it.is_empty());
        assert!(it.next().await.is_none());
    })
    .unwrap();
}

#[test]
fn failures_are_reported_too_and_pending_can_be_aborted() {
    run(async {
        let tasks = vec![
            spawn(async {
                sleep(Duration::from_secs(600)).await;
                1
            }),
            spawn(async { panic!("bad") }),
        ];
        let mut it = as_completed(tasks);
        let first = it.next().await.unwrap();
        assert_eq!(first.index, 1);
        assert!(first.result.unwrap_err().is_panic());
        // A deadline on next() is a plain timeout.
        assert!(timeout(Duration::from_millis(10), it.next()).await.is_err());
        for h in it.pending() {
            h.abort();
        }
        let last = it.next().await.unwrap();
        assert!(last.result.unwrap_err().is_cancelled());
    })
    .unwrap();
}

#[test]
fn tasks_finishing_between_two_calls_come_in_completion_order() {
    run(async {
        let tasks: Vec<_> = [30u64, 20, 10]
            .into_iter()
            .map(|ms| {
                spawn(async move {
                    sleep(Duration::from_millis(ms)).await;
                    ms
                })
            })
            .collect();
        let mut it = as_completed(tasks);
        assert_eq!(it.next().await.unwrap().result.unwrap(), 10);
        // The loop is stuck while both other tasks come due: they finish
        // at its next turn, 20 before 30, before next() looks again.
        std::thread::sleep(Duration::from_millis(100));
        let rest: Vec<u64> = [it.next().await.unwrap(), it.next().await.unwrap()]
            .into_iter()
            .map(|f| f.result.unwrap())
            .collect();
        assert_eq!(rest, [20, 30]);
    })
    .unwrap();
}
