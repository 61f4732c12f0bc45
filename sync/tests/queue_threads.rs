//! Producers and consumers on several threads, with waiting gets and puts
//! cancelled at random: every item arrives exactly once.

mod common;

use std::sync::Arc;
use std::thread;

use common::{maybe_cancel, Rng};
use ringio_sync::{Queue, TryGetError};

const PRODUCERS: u64 = 4;
const CONSUMERS: u64 = 4;
const PER_PRODUCER: u64 = 2_000;

#[test]
fn every_item_arrives_exactly_once_despite_cancellations() {
    let q = Arc::new(Queue::new(8));
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let q = q.clone();
            thread::spawn(move || {
                let mut rng = Rng::new(p + 1);
                for i in 0..PER_PRODUCER {
                    let item = p * PER_PRODUCER + i;
                    // A cancelled put never put its item: retrying is safe.
                    while maybe_cancel(q.put(item), rng.below(4) == 0).is_none() {}
                }
            })
        })
        .collect();
    let consumers: Vec<_> = (0..CONSUMERS)
        .map(|c| {
            let q = q.clone();
            thread::spawn(move || {
                let mut rng = Rng::new(100 + c);
                let mut got = Vec::new();
                loop {
                    match maybe_cancel(q.get(), rng.below(4) == 0) {
                        Some(Ok(item)) => {
                            got.push(item);
                            let _ = q.task_done();
                        }
                        Some(Err(_)) => break, // shut down and empty
                        None => {}             // cancelled: try again
                    }
                }
                got
            })
        })
        .collect();
    for p in producers {
        assert!(p.join().is_ok());
    }
    common::block_on(q.join());
    q.shutdown(false);
    let mut all: Vec<u64> = Vec::new();
    for c in consumers {
        match c.join() {
            Ok(got) => all.extend(got),
            Err(_) => panic!("consumer panicked"),
        }
    }
    assert_eq!(
        q.get_nowait(),
        Err(TryGetError::ShutDown(Default::default()))
    );
    all.sort_unstable();
    let want: Vec<u64> = (0..PRODUCERS * PER_PRODUCER).collect();
    assert_eq!(all.len(), want.len(), "lost or duplicated items");
    assert_eq!(all, want);
}

#[test]
fn fifo_order_is_kept_per_producer() {
    let q = Arc::new(Queue::new(4));
    let producer = thread::spawn({
        let q = q.clone();
        move || {
            for i in 0..5_000u32 {
                if common::block_on(q.put(i)).is_err() {
                    return;
                }
            }
        }
    });
    let mut rng = Rng::new(7);
    let mut last = None;
    let mut count = 0;
    while count < 5_000 {
        if let Some(Ok(item)) = maybe_cancel(q.get(), rng.below(3) == 0) {
            assert!(last.is_none_or(|l| l < item), "{last:?} then {item}");
            last = Some(item);
            count += 1;
        }
    }
    assert!(producer.join().is_ok());
}
