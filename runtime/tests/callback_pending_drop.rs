//! A `call_at` callback waits as a timer, not as a task: cancelling it, or
//! dropping its loop before it is due, drops the callback (and what it
//! captured) at once, and its handle then says done.

use std::rc::Rc;
use std::time::Duration;

use ringio_runtime::time::sleep;
use ringio_runtime::{call_later, run, Runtime};

#[test]
fn cancel_drops_the_pending_callback_at_once() {
    let captured = Rc::new(());
    run({
        let captured = captured.clone();
        async move {
            let probe = captured.clone();
            let h = call_later(Duration::from_secs(60), move || drop(probe));
            assert_eq!(Rc::strong_count(&captured), 3);
            assert!(!h.is_done());
            h.cancel();
            assert!(h.is_done());
            assert_eq!(Rc::strong_count(&captured), 2);
            sleep(Duration::from_millis(5)).await;
        }
    })
    .unwrap();
    assert_eq!(Rc::strong_count(&captured), 1);
}

#[test]
fn dropping_the_loop_drops_pending_callbacks() {
    let captured = Rc::new(());
    let rt = Runtime::new().unwrap();
    let h = rt
        .block_on({
            let captured = captured.clone();
            async move { call_later(Duration::from_secs(60), move || drop(captured)) }
        })
        .unwrap();
    assert_eq!(Rc::strong_count(&captured), 2);
    assert!(!h.is_done());
    drop(rt);
    assert_eq!(Rc::strong_count(&captured), 1);
    assert!(h.is_done());
}
