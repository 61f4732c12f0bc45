//! 100,000 tasks spawned, run and joined on one loop.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use ringio_runtime::{run, spawn, yield_now};

#[test]
fn one_hundred_thousand_tasks() {
    let total = run(async {
        let handles: Vec<_> = (0..100_000u64).map(|i| spawn(async move { i })).collect();
        let mut sum = 0u64;
        for h in handles {
            sum += h.await.unwrap();
        }
        sum
    })
    .unwrap();
    assert_eq!(total, (0..100_000u64).sum());
}

#[test]
fn one_hundred_thousand_sleeping_tasks() {
    let done = Rc::new(Cell::new(0u32));
    run({
        let done = done.clone();
        async move {
            let handles: Vec<_> = (0..100_000u32)
                .map(|i| {
                    let done = done.clone();
                    spawn(async move {
                        ringio_runtime::time::sleep(Duration::from_millis(u64::from(i % 20))).await;
                        yield_now().await;
                        done.set(done.get() + 1);
                    })
                })
                .collect();
            for h in handles {
                h.await.unwrap();
            }
        }
    })
    .unwrap();
    assert_eq!(done.get(), 100_000);
}
