//! When the main future ends, the loop stops after that turn, as asyncio's
//! does: tasks already queued (woken by main's last step) get one more
//! step before `run` returns and cancels what is left. Seed 002's Event
//! program depends on it: main sets the event and returns, and the waiter
//! still prints "Event received!".

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use ringio::sync::Event;
use ringio::time::sleep;

#[test]
fn a_waiter_woken_by_mains_last_step_runs_before_run_returns() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let event = Rc::new(Event::new());
    ringio::run({
        let (log, event) = (log.clone(), event.clone());
        async move {
            ringio::spawn({
                let (log, event) = (log.clone(), event.clone());
                async move {
                    log.borrow_mut().push("waiting");
                    event.wait().await;
                    log.borrow_mut().push("received");
                    // A second step is not asyncio's either: cancelled.
                    sleep(Duration::from_millis(1)).await;
                    log.borrow_mut().push("after the loop stopped");
                }
            });
            sleep(Duration::from_millis(20)).await;
            event.set();
        }
    })
    .unwrap();
    assert_eq!(*log.borrow(), ["waiting", "received"]);
}
