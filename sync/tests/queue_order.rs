//! Queues hand items out in their kind's order and respect `maxsize`
//! (CPython test_queues: test_order, test_maxsize, LIFO and priority tests).

mod common;

use common::{pending, ready};
use ringio_sync::{
    LifoQueue, PriorityQueue, Queue, QueueEmpty, QueueFull, TryGetError, TryPutError,
};

#[test]
fn fifo_lifo_priority_order() {
    let fifo = Queue::new(0);
    let lifo = LifoQueue::new(0);
    let prio = PriorityQueue::new(0);
    for i in [1, 3, 2] {
        assert!(fifo.put_nowait(i).is_ok());
        assert!(lifo.put_nowait(i).is_ok());
        assert!(prio.put_nowait(i).is_ok());
    }
    let drain = |get: &dyn Fn() -> Result<i32, TryGetError>| -> Vec<i32> {
        std::iter::from_fn(|| get().ok()).collect()
    };
    assert_eq!(drain(&|| fifo.get_nowait()), [1, 3, 2]);
    assert_eq!(drain(&|| lifo.get_nowait()), [2, 3, 1]);
    assert_eq!(drain(&|| prio.get_nowait()), [1, 2, 3]);
}

#[test]
fn priority_queue_orders_tuples_by_priority() {
    let q = PriorityQueue::new(0);
    for item in [(3, "c"), (1, "a"), (2, "b")] {
        assert!(q.put_nowait(item).is_ok());
    }
    assert_eq!(q.get_nowait(), Ok((1, "a")));
    assert_eq!(q.get_nowait(), Ok((2, "b")));
    assert_eq!(q.get_nowait(), Ok((3, "c")));
}

#[test]
fn maxsize_zero_is_unbounded() {
    let q = Queue::new(0);
    for i in 0..10_000 {
        assert!(q.put_nowait(i).is_ok());
    }
    assert!(!q.full());
    assert_eq!(q.qsize(), 10_000);
    assert_eq!(q.maxsize(), 0);
}

#[test]
fn put_nowait_on_full_hands_the_item_back() {
    let q = Queue::new(2);
    assert!(q.put_nowait(String::from("a")).is_ok());
    assert!(q.put_nowait(String::from("b")).is_ok());
    assert!(q.full());
    match q.put_nowait(String::from("c")) {
        Err(TryPutError::Full(QueueFull(item))) => assert_eq!(item, "c"),
        other => panic!("expected Full, got {other:?}"),
    }
    assert_eq!(q.qsize(), 2);
}

#[test]
fn get_nowait_on_empty_is_queue_empty() {
    let q: Queue<u8> = Queue::new(0);
    assert!(q.empty());
    assert_eq!(q.get_nowait(), Err(TryGetError::Empty(QueueEmpty)));
    let message = QueueEmpty.to_string();
    assert!(
        message.contains("empty") && message.contains("get()"),
        "{message}"
    );
}

#[test]
fn blocking_put_waits_for_room_and_blocking_get_for_an_item() {
    let q = Queue::new(1);
    let mut get = q.get();
    pending(&mut get);
    assert!(q.put_nowait(1).is_ok());
    assert_eq!(ready(&mut get), Ok(1));

    assert!(q.put_nowait(2).is_ok());
    let mut put = q.put(3);
    pending(&mut put);
    assert_eq!(q.get_nowait(), Ok(2));
    assert_eq!(ready(&mut put), Ok(()));
    assert_eq!(q.get_nowait(), Ok(3));
}

#[test]
fn waiting_getters_are_served_in_arrival_order() {
    let q = Queue::new(0);
    let mut getters: Vec<_> = (0..5).map(|_| q.get()).collect();
    for g in &mut getters {
        pending(g);
    }
    for i in 0..5 {
        assert!(q.put_nowait(i).is_ok());
    }
    let got: Vec<_> = getters.iter_mut().map(|g| ready(g)).collect();
    assert_eq!(got, [Ok(0), Ok(1), Ok(2), Ok(3), Ok(4)]);
}

#[test]
fn waiting_putters_are_served_in_arrival_order() {
    let q = Queue::new(1);
    assert!(q.put_nowait(0).is_ok());
    let mut putters: Vec<_> = (1..5).map(|i| q.put(i)).collect();
    for p in &mut putters {
        pending(p);
    }
    let mut got = Vec::new();
    for p in &mut putters {
        got.push(q.get_nowait().ok());
        assert_eq!(ready(p), Ok(()));
    }
    got.push(q.get_nowait().ok());
    assert_eq!(got, [Some(0), Some(1), Some(2), Some(3), Some(4)]);
}

#[test]
fn getters_woken_in_one_turn_take_items_in_priority_order() {
    // asyncio: put 5, 1, 3 with three getters waiting; they get 1, 3, 5.
    let q = PriorityQueue::new(0);
    let mut getters: Vec<_> = (0..3).map(|_| q.get()).collect();
    for g in &mut getters {
        pending(g);
    }
    for i in [5, 1, 3] {
        assert!(q.put_nowait(i).is_ok());
    }
    let got: Vec<_> = getters.iter_mut().map(|g| ready(g)).collect();
    assert_eq!(got, [Ok(1), Ok(3), Ok(5)]);
}

#[test]
fn getters_woken_in_one_turn_take_items_last_in_first_out() {
    // asyncio: put 1, 2, 3 with three getters waiting on a LifoQueue: 3, 2, 1.
    let q = LifoQueue::new(0);
    let mut getters: Vec<_> = (0..3).map(|_| q.get()).collect();
    for g in &mut getters {
        pending(g);
    }
    for i in [1, 2, 3] {
        assert!(q.put_nowait(i).is_ok());
    }
    let got: Vec<_> = getters.iter_mut().map(|g| ready(g)).collect();
    assert_eq!(got, [Ok(3), Ok(2), Ok(1)]);
}

#[test]
fn status_calls_agree_with_get_nowait_while_a_getter_waits() {
    let q = Queue::new(0);
    let mut waiting = q.get();
    pending(&mut waiting);
    assert!(q.put_nowait(7).is_ok());
    // The item is in the queue, as in asyncio: counted and takeable.
    assert_eq!(q.qsize(), 1);
    assert!(!q.empty());
    assert_eq!(q.get_nowait(), Ok(7));
    // The woken getter found nothing and waits again; the next item is its.
    pending(&mut waiting);
    assert!(q.put_nowait(8).is_ok());
    assert_eq!(ready(&mut waiting), Ok(8));
    assert_eq!(q.qsize(), 0);
}

#[test]
fn status_calls_agree_with_put_nowait_while_a_putter_waits() {
    let q = Queue::new(1);
    assert!(q.put_nowait(0).is_ok());
    let mut waiting = q.put(1);
    pending(&mut waiting);
    assert_eq!(q.get_nowait(), Ok(0));
    // The room is free, as in asyncio: not full, and put_nowait takes it.
    assert!(!q.full());
    assert!(q.put_nowait(9).is_ok());
    assert!(q.full());
    pending(&mut waiting);
    assert_eq!(q.get_nowait(), Ok(9));
    assert_eq!(ready(&mut waiting), Ok(()));
    assert_eq!(q.get_nowait(), Ok(1));
}

#[test]
fn a_woken_getter_that_is_dropped_passes_the_wake_on() {
    let q = Queue::new(0);
    let waker = common::CountingWaker::new();
    let mut first = q.get();
    let mut second = q.get();
    assert!(common::poll_with(&mut first, &waker).is_pending());
    assert!(common::poll_with(&mut second, &waker).is_pending());
    assert!(q.put_nowait(1).is_ok());
    assert_eq!(waker.count(), 1, "one put wakes one getter");
    drop(first);
    assert_eq!(
        waker.count(),
        2,
        "the dropped getter's wake went to the next"
    );
    assert_eq!(ready(&mut second), Ok(1));
}
