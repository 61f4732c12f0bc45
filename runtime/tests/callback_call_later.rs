//! call_soon, call_later and call_at run callbacks in time order; cancel
//! stops them.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use ringio_runtime::time::sleep;
use ringio_runtime::{call_at, call_later, call_soon, run};

#[test]
fn callbacks_run_in_time_order_and_cancel_works() {
    let log = Rc::new(RefCell::new(Vec::new()));
    run({
        let log = log.clone();
        async move {
            let l = log.clone();
            call_later(Duration::from_millis(30), move || {
                l.borrow_mut().push("later-30")
            });
            let l = log.clone();
            call_at(Instant::now() + Duration::from_millis(10), move || {
                l.borrow_mut().push("at-10")
            });
            let l = log.clone();
            let cancelled = call_later(Duration::from_millis(20), move || {
                l.borrow_mut().push("cancelled")
            });
            let l = log.clone();
            let soon = call_soon(move || l.borrow_mut().push("soon"));
            cancelled.cancel();
            assert!(!soon.is_done());
            sleep(Duration::from_millis(60)).await;
            assert!(soon.is_done());
            assert!(cancelled.is_done());
        }
    })
    .unwrap();
    assert_eq!(*log.borrow(), vec!["soon", "at-10", "later-30"]);
}

#[test]
fn a_cancelled_handle_is_done_and_cancelled_at_once() {
    let ran = Rc::new(RefCell::new(false));
    run({
        let ran = ran.clone();
        async move {
            let h = call_later(Duration::from_millis(20), move || *ran.borrow_mut() = true);
            assert!(!h.is_done());
            assert!(!h.cancelled());
            h.cancel();
            // asyncio: done and cancelled as soon as cancel() returns.
            assert!(h.is_done());
            assert!(h.cancelled());
            let ran_one = call_soon(|| {});
            sleep(Duration::from_millis(40)).await;
            assert!(ran_one.is_done());
            assert!(!ran_one.cancelled());
        }
    })
    .unwrap();
    assert!(!*ran.borrow(), "a cancelled callback never runs");
}
