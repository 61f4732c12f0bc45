//! Sleeps and `call_at` callbacks whose deadlines passed before the loop
//! first polled them (the loop was blocked right after they were made)
//! still resume in deadline order, not in the order they were polled:
//! among those the loop first reaches in the same turn (up to
//! `event_interval` tasks, 61 by default), as `time`'s docs say.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use ringio_runtime::time::{sleep, sleep_until};
use ringio_runtime::{call_at, run, spawn};

#[test]
fn sleeps_past_due_at_their_first_poll_resume_in_deadline_order() {
    let order = Rc::new(RefCell::new(Vec::new()));
    run({
        let order = order.clone();
        async move {
            let base = Instant::now() + Duration::from_millis(2);
            // Spawned latest deadline first: polled in that order.
            let tasks: Vec<_> = (0..50u64)
                .rev()
                .map(|i| {
                    let order = order.clone();
                    let at = base + Duration::from_micros(i * 50);
                    spawn(async move {
                        sleep_until(at).await;
                        order.borrow_mut().push(i);
                    })
                })
                .collect();
            // Block the loop until every deadline has passed, before the
            // tasks are first polled.
            std::thread::sleep(Duration::from_millis(30));
            for t in tasks {
                t.await.unwrap();
            }
            sleep(Duration::from_millis(1)).await;
        }
    })
    .unwrap();
    let got = order.borrow().clone();
    let want: Vec<u64> = (0..50).collect();
    assert_eq!(got, want, "resumed out of deadline order");
}

#[test]
fn call_at_in_the_past_runs_in_deadline_order_at_the_next_turn() {
    let order = Rc::new(RefCell::new(Vec::new()));
    run({
        let order = order.clone();
        async move {
            let now = Instant::now();
            for i in (0..5u64).rev() {
                let order = order.clone();
                call_at(now - Duration::from_millis(10 - i), move || {
                    order.borrow_mut().push(i)
                });
            }
            assert!(order.borrow().is_empty(), "not run inside call_at");
            sleep(Duration::from_millis(5)).await;
        }
    })
    .unwrap();
    assert_eq!(*order.borrow(), [0, 1, 2, 3, 4]);
}
