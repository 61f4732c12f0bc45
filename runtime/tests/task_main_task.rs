//! The future given to `run`/`block_on` is a task: named `main`, seen by
//! `current_task()`, scheduled through the run queue with the others.

use std::cell::RefCell;
use std::rc::Rc;

use ringio_runtime::task::{all_tasks, current_task};
use ringio_runtime::{run, spawn, yield_now, Runtime};

#[test]
fn main_and_a_yielding_task_alternate_step_for_step() {
    let log = Rc::new(RefCell::new(String::new()));
    let l = log.clone();
    run(async move {
        let t = {
            let l = l.clone();
            spawn(async move {
                for _ in 0..5 {
                    l.borrow_mut().push('t');
                    yield_now().await;
                }
            })
        };
        for _ in 0..5 {
            l.borrow_mut().push('m');
            yield_now().await;
        }
        t.await.unwrap();
    })
    .unwrap();
    assert_eq!(*log.borrow(), "mtmtmtmtmt");
}

#[test]
fn the_main_task_is_named_and_listed_and_gone_after_block_on() {
    let rt = Runtime::new().unwrap();
    let (me, listed) = rt
        .block_on(async { (current_task().unwrap(), all_tasks()) })
        .unwrap();
    assert_eq!(me.name, "main");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, me.id);
    // Each block_on has its own main task; none is left behind.
    assert!(rt.all_tasks().is_empty());
    let again = rt.block_on(async { current_task().unwrap().id }).unwrap();
    assert_ne!(again, me.id);
}

#[test]
fn a_panic_in_the_main_future_comes_out_of_block_on() {
    let rt = Runtime::new().unwrap();
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(async {
            yield_now().await;
            panic!("main went wrong");
        })
    }));
    let payload = out.unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"main went wrong"));
    // The loop is still usable, and the main task is gone.
    assert_eq!(rt.block_on(async { 5 }).unwrap(), 5);
    assert!(rt.all_tasks().is_empty());
}

#[test]
fn main_may_borrow_from_the_caller() {
    let rt = Runtime::new().unwrap();
    let mut total = 0;
    let items = vec![1, 2, 3];
    rt.block_on(async {
        for i in &items {
            yield_now().await;
            total += i;
        }
    })
    .unwrap();
    assert_eq!(total, 6);
}

#[test]
fn the_main_task_is_woken_from_another_thread() {
    use std::future::poll_fn;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::task::Poll;
    use std::time::Duration;

    let done = Arc::new(AtomicBool::new(false));
    let mut waker_sent = false;
    let out = run(poll_fn(|cx| {
        if done.load(Ordering::Acquire) {
            return Poll::Ready("woken");
        }
        if !waker_sent {
            waker_sent = true;
            let (w, d) = (cx.waker().clone(), done.clone());
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(20));
                d.store(true, Ordering::Release);
                w.wake();
            });
        }
        Poll::Pending
    }))
    .unwrap();
    assert_eq!(out, "woken");
}
