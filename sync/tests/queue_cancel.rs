//! Dropping a waiting `get` or `put` loses nothing and duplicates nothing
//! (CPython test_queues: test_get_cancel_drop_one_pending_reader,
//! test_get_cancel_drop_many_pending_readers, test_put_cancel_drop,
//! test_cancelled_getters_not_being_held_in_self_getters,
//! test_cancelled_puts_not_being_held_in_self_putters, test_get_cancelled_race).

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{pending, ready, runtime, settle};
use ringio_sync::{LifoQueue, PriorityQueue, Queue};

#[test]
fn get_dropped_after_being_woken_loses_no_item() {
    let q = Queue::new(0);
    let mut reader = q.get();
    pending(&mut reader);
    assert!(q.put_nowait(1).is_ok());
    assert!(q.put_nowait(2).is_ok());
    drop(reader); // woken with item 1, then cancelled
                  // "if we get 2, it means 1 got dropped!"
    assert_eq!(q.get_nowait(), Ok(1));
    assert_eq!(q.get_nowait(), Ok(2));
}

#[test]
fn get_dropped_after_being_woken_passes_the_item_to_the_next_getter() {
    let q = Queue::new(0);
    let mut readers: Vec<_> = (0..3).map(|_| q.get()).collect();
    for r in &mut readers {
        pending(r);
    }
    assert!(q.put_nowait(1).is_ok());
    let first = readers.remove(0);
    drop(first);
    assert_eq!(ready(&mut readers[0]), Ok(1));
    pending(&mut readers[1]);
    assert_eq!(q.qsize(), 0);
}

#[test]
fn handed_back_items_keep_their_place_in_lifo_and_priority_queues() {
    let lifo = LifoQueue::new(0);
    let mut reader = lifo.get();
    pending(&mut reader);
    assert!(lifo.put_nowait(1).is_ok());
    assert!(lifo.put_nowait(2).is_ok());
    drop(reader);
    // 1 is older than 2, so it goes back under it, as if never handed out.
    assert_eq!(lifo.get_nowait(), Ok(2));
    assert_eq!(lifo.get_nowait(), Ok(1));

    let prio = PriorityQueue::new(0);
    let mut reader = prio.get();
    pending(&mut reader);
    assert!(prio.put_nowait(5).is_ok());
    assert!(prio.put_nowait(3).is_ok());
    drop(reader);
    assert_eq!(prio.get_nowait(), Ok(3));
    assert_eq!(prio.get_nowait(), Ok(5));
}

#[test]
fn put_dropped_after_room_appeared_does_not_duplicate() {
    let q = Queue::new(1);
    assert!(q.put_nowait(1).is_ok());
    let mut writer = q.put(2);
    pending(&mut writer);
    assert_eq!(q.get_nowait(), Ok(1));
    drop(writer); // room was reserved for it; cancelled before it ran
                  // The caller saw the put cancelled, so it tries again.
    let mut retry = q.put(2);
    assert_eq!(ready(&mut retry), Ok(()));
    assert_eq!(q.get_nowait(), Ok(2));
    assert_eq!(q.qsize(), 0);
}

#[test]
fn put_dropped_after_room_appeared_passes_the_room_on() {
    let q = Queue::new(1);
    assert!(q.put_nowait(0).is_ok());
    let mut first = q.put(1);
    let mut second = q.put(2);
    pending(&mut first);
    pending(&mut second);
    assert_eq!(q.get_nowait(), Ok(0));
    drop(first);
    assert_eq!(ready(&mut second), Ok(()));
    assert_eq!(q.get_nowait(), Ok(2));
}

#[test]
fn dropped_waiters_are_not_held_in_the_queue() {
    let q = Queue::new(1);
    {
        let mut getters: Vec<_> = (0..3).map(|_| q.get()).collect();
        for g in &mut getters {
            pending(g);
        }
    }
    // No stale getter swallows this item.
    assert!(q.put_nowait(1).is_ok());
    assert_eq!(q.get_nowait(), Ok(1));

    assert!(q.put_nowait(1).is_ok());
    {
        let mut putters: Vec<_> = (0..3).map(|i| q.put(10 + i)).collect();
        for p in &mut putters {
            pending(p);
        }
    }
    assert_eq!(q.get_nowait(), Ok(1));
    // No stale putter took the room.
    assert!(q.put_nowait(2).is_ok());
    assert_eq!(q.get_nowait(), Ok(2));
    assert!(q.empty());
}

#[test]
fn cancelled_tasks_never_hang_the_rest() {
    runtime().block_on(async {
        let q = Arc::new(Queue::new(0));
        let mut handles = Vec::new();
        for i in 0..10 {
            let q = q.clone();
            handles.push((i, tokio::spawn(async move { q.get().await })));
        }
        settle().await;
        // Cancel every other getter, some right after items arrive.
        for i in 0..5 {
            assert!(q.put_nowait(i).is_ok());
        }
        for (i, handle) in &handles {
            if i % 2 == 0 {
                handle.abort();
            }
        }
        for i in 5..10 {
            assert!(q.put_nowait(i).is_ok());
        }
        let mut got = Vec::new();
        for (i, handle) in handles {
            match tokio::time::timeout(Duration::from_secs(5), handle).await {
                Ok(Ok(Ok(item))) => got.push(item),
                Ok(Err(e)) if e.is_cancelled() => assert_eq!(i % 2, 0),
                other => panic!("getter {i}: {other:?}"),
            }
        }
        // Whatever the cancelled getters had been handed is still there.
        while let Ok(item) = q.get_nowait() {
            got.push(item);
        }
        got.sort();
        assert_eq!(got, (0..10).collect::<Vec<_>>());
    });
}

#[test]
fn get_cancelled_race() {
    // t1 and t2 wait; t1 is cancelled; the item goes to t2.
    runtime().block_on(async {
        let q = Arc::new(Queue::new(0));
        let t1 = tokio::spawn({
            let q = q.clone();
            async move { q.get().await }
        });
        let t2 = tokio::spawn({
            let q = q.clone();
            async move { q.get().await }
        });
        settle().await;
        t1.abort();
        settle().await;
        assert!(q.put_nowait('a').is_ok());
        assert_eq!(t2.await.ok(), Some(Ok('a')));
        assert!(t1.await.is_err());
    });
}
