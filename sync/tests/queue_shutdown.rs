//! `shutdown(immediate)` behaves as asyncio 3.13's (CPython test_queues:
//! the shutdown tests).

mod common;

use std::sync::Arc;

use common::{pending, ready, runtime, settle};
use ringio_sync::{Queue, QueueShutDown, TryGetError, TryPutError};

#[test]
fn after_shutdown_puts_fail_and_hand_the_item_back() {
    let q = Queue::new(0);
    q.shutdown(false);
    assert!(q.is_shut_down());
    match q.put_nowait(String::from("x")) {
        Err(TryPutError::ShutDown(QueueShutDown(item))) => assert_eq!(item, "x"),
        other => panic!("expected ShutDown, got {other:?}"),
    }
    assert_eq!(
        ready(&mut q.put(String::from("y"))),
        Err(QueueShutDown(String::from("y")))
    );
}

#[test]
fn graceful_shutdown_lets_gets_drain_the_queue_then_fail() {
    let q = Queue::new(0);
    for i in 0..2 {
        assert!(q.put_nowait(i).is_ok());
    }
    q.shutdown(false);
    assert_eq!(q.get_nowait(), Ok(0));
    assert_eq!(ready(&mut q.get()), Ok(1));
    assert_eq!(
        q.get_nowait(),
        Err(TryGetError::ShutDown(QueueShutDown(())))
    );
    assert_eq!(ready(&mut q.get()), Err(QueueShutDown(())));
    // task_done and join still work.
    assert_eq!(q.unfinished_tasks(), 2);
    let mut join = q.join();
    pending(&mut join);
    assert!(q.task_done().is_ok());
    assert!(q.task_done().is_ok());
    ready(&mut join);
}

#[test]
fn shutdown_wakes_blocked_getters_and_putters() {
    let q: Queue<i32> = Queue::new(1);
    let mut getter = q.get();
    pending(&mut getter);
    q.shutdown(false);
    assert_eq!(ready(&mut getter), Err(QueueShutDown(())));

    let q = Queue::new(1);
    assert!(q.put_nowait(1).is_ok());
    let mut putter = q.put(2);
    pending(&mut putter);
    q.shutdown(false);
    assert_eq!(ready(&mut putter), Err(QueueShutDown(2)));
    // The item already in the queue can still be taken.
    assert_eq!(q.get_nowait(), Ok(1));
}

#[test]
fn immediate_shutdown_discards_items_and_marks_them_done() {
    let q = Queue::new(0);
    for i in 0..3 {
        assert!(q.put_nowait(i).is_ok());
    }
    assert_eq!(q.get_nowait(), Ok(0)); // taken but not done
    let mut join = q.join();
    pending(&mut join);
    q.shutdown(true);
    assert_eq!(q.qsize(), 0);
    assert_eq!(q.unfinished_tasks(), 1);
    assert!(q.get_nowait().is_err());
    pending(&mut join);
    assert!(q.task_done().is_ok());
    ready(&mut join);
}

#[test]
fn immediate_shutdown_releases_join_when_nothing_was_taken() {
    let q = Queue::new(0);
    for i in 0..3 {
        assert!(q.put_nowait(i).is_ok());
    }
    let mut join = q.join();
    pending(&mut join);
    q.shutdown(true);
    ready(&mut join);
}

#[test]
fn immediate_shutdown_takes_back_items_handed_to_getters_not_yet_run() {
    let q = Queue::new(0);
    let mut getter = q.get();
    pending(&mut getter);
    assert!(q.put_nowait(1).is_ok()); // handed to the getter
    q.shutdown(true);
    assert_eq!(ready(&mut getter), Err(QueueShutDown(())));
    assert_eq!(q.unfinished_tasks(), 0);
    assert_eq!(q.qsize(), 0);
}

#[test]
fn item_destructors_may_use_the_queue_during_shutdown() {
    struct Reenter(Arc<Queue<Reenter>>);
    impl Drop for Reenter {
        fn drop(&mut self) {
            let _ = self.0.qsize();
        }
    }
    let q = Arc::new(Queue::new(0));
    assert!(q.put_nowait(Reenter(q.clone())).is_ok());
    q.shutdown(true); // would deadlock if the item were dropped under the lock
    assert_eq!(q.qsize(), 0);
}

#[test]
fn consumer_tasks_stop_on_shutdown() {
    runtime().block_on(async {
        let q = Arc::new(Queue::new(2));
        let consumer = tokio::spawn({
            let q = q.clone();
            async move {
                let mut got = Vec::new();
                while let Ok(item) = q.get().await {
                    got.push(item);
                }
                got
            }
        });
        for i in 0..5 {
            assert_eq!(q.put(i).await, Ok(()));
        }
        settle().await;
        q.shutdown(false);
        assert_eq!(consumer.await.ok(), Some(vec![0, 1, 2, 3, 4]));
    });
}
