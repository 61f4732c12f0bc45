//! `task_done` and `join` count items across several workers (CPython
//! test_queues: test_task_done, test_join_empty_queue, test_task_done_underflow).

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{pending, ready, runtime};
use ringio_sync::{Queue, TaskDoneError};

#[test]
fn task_done_without_unfinished_items_is_an_error() {
    let q: Queue<()> = Queue::new(0);
    assert_eq!(q.task_done(), Err(TaskDoneError));
    assert!(q.put_nowait(()).is_ok());
    assert_eq!(q.get_nowait(), Ok(()));
    assert_eq!(q.task_done(), Ok(()));
    assert_eq!(q.task_done(), Err(TaskDoneError));
    assert!(TaskDoneError.to_string().contains("once per item"));
}

#[test]
fn join_on_a_queue_with_nothing_unfinished_returns_at_once() {
    let q: Queue<i32> = Queue::new(0);
    ready(&mut q.join());
    assert!(q.put_nowait(1).is_ok());
    assert_eq!(q.get_nowait(), Ok(1));
    assert!(q.task_done().is_ok());
    ready(&mut q.join());
}

#[test]
fn join_waits_until_every_item_is_done() {
    let q = Queue::new(0);
    for i in 0..3 {
        assert!(q.put_nowait(i).is_ok());
    }
    let mut join = q.join();
    pending(&mut join);
    for _ in 0..3 {
        assert!(q.get_nowait().is_ok());
    }
    assert_eq!(q.unfinished_tasks(), 3);
    assert!(q.task_done().is_ok());
    assert!(q.task_done().is_ok());
    pending(&mut join);
    assert!(q.task_done().is_ok());
    ready(&mut join);
}

#[test]
fn task_done_and_join_with_several_workers() {
    runtime().block_on(async {
        let q = Arc::new(Queue::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        for i in 0..100 {
            assert!(q.put_nowait(i).is_ok());
        }
        let mut workers = Vec::new();
        for _ in 0..2 {
            let (q, total) = (q.clone(), total.clone());
            workers.push(tokio::spawn(async move {
                loop {
                    let Ok(item) = q.get().await else { return };
                    total.fetch_add(item, Ordering::SeqCst);
                    q.task_done().map_err(|e| e.to_string()).unwrap();
                    tokio::task::yield_now().await;
                }
            }));
        }
        q.join().await;
        assert_eq!(total.load(Ordering::SeqCst), 4950);
        // The workers are blocked in get(); shutting down releases them.
        q.shutdown(false);
        for w in workers {
            assert!(w.await.is_ok());
        }
    });
}

#[test]
fn several_joiners_are_all_released() {
    runtime().block_on(async {
        let q = Arc::new(Queue::new(0));
        assert!(q.put_nowait(1).is_ok());
        let joiners: Vec<_> = (0..3)
            .map(|_| {
                let q = q.clone();
                tokio::spawn(async move { q.join().await })
            })
            .collect();
        tokio::task::yield_now().await;
        assert_eq!(q.get().await, Ok(1));
        assert!(q.task_done().is_ok());
        for j in joiners {
            assert!(j.await.is_ok());
        }
    });
}
