//! A port of CPython's `Lib/test/test_asyncio/test_timeouts.py` to
//! [`ringio::time::TimeoutScope`], asyncio's `timeout()` /
//! `timeout_at()` context managers (`async with timeout(d) as cm:` is
//! `let cm = timeout_scope(Some(d)); cm.run(work).await`). Each test is
//! named after the CPython test it follows; Python's `finally:` is a drop
//! guard here (cancelling drops the work).
//!
//! Not ported, and why:
//! - `test_nested_timeouts` (two scopes with the same deadline): asyncio
//!   reports the expiry from the outer scope only, through its count of
//!   pending cancellations; in ringio the inner scope's work is polled
//!   first and that scope reports it (the outer one then sees its work
//!   finish with the inner `Err(Elapsed)`).
//! - `test_timeout_after_cancellation`, `test_cancel_in_timeout_after_cancellation`,
//!   `test_nested_timeout_in_finally`: a task catches its own cancellation
//!   or awaits inside `finally:`; a Rust future cannot see its drop, and a
//!   destructor cannot await.
//! - `test_timeout_exception_cause`: exception chaining (`__cause__`).
//! - `test_repr_*`: Python's `repr` strings.
//! - `test_timeout_already_entered`, `test_timeout_double_enter`,
//!   `test_timeout_finished`, `test_timeout_not_entered`,
//!   `test_timeout_without_task`: the context-manager protocol's misuse
//!   (`__aenter__` twice, `reschedule` before entering); a scope is a value
//!   whose `run` takes the work, so there is no entering to get wrong.

#[path = "support/asyncio_port.rs"]
mod support;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use ringio_runtime::task::AbortHandle;
use ringio_runtime::time::{sleep, timeout_scope, timeout_scope_at};
use ringio_runtime::{run, spawn, yield_now};
use support::{ms, Flag, Fut};

const LONG: Duration = Duration::from_secs(10);

#[test]
fn test_timeout_basic() {
    run(async {
        let cm = timeout_scope(Some(ms(10)));
        assert!(cm.run(sleep(LONG)).await.is_err());
        assert!(cm.expired());
    })
    .unwrap();
}

#[test]
fn test_timeout_at_basic() {
    run(async {
        let deadline = Instant::now() + ms(10);
        let cm = timeout_scope_at(Some(deadline));
        assert!(cm.run(sleep(LONG)).await.is_err());
        assert!(cm.expired());
        assert_eq!(cm.when(), Some(deadline));
    })
    .unwrap();
}

#[test]
fn test_waiter_cancelled() {
    run(async {
        let cancelled = Flag::new();
        let c = cancelled.clone();
        let cm = timeout_scope(Some(ms(10)));
        let out = cm
            .run(async move {
                let _except_cancelled = c.on_drop();
                sleep(LONG).await;
            })
            .await;
        assert!(out.is_err());
        assert!(cancelled.get());
    })
    .unwrap();
}

#[test]
fn test_timeout_not_called() {
    run(async {
        let cm = timeout_scope(Some(LONG));
        cm.run(sleep(ms(10))).await.unwrap();
        let t1 = Instant::now();
        assert!(!cm.expired());
        assert!(cm.when().unwrap() > t1);
    })
    .unwrap();
}

#[test]
fn test_timeout_disabled() {
    run(async {
        let cm = timeout_scope(None);
        cm.run(sleep(ms(10))).await.unwrap();
        assert!(!cm.expired());
        assert_eq!(cm.when(), None);
    })
    .unwrap();
}

#[test]
fn test_timeout_at_disabled() {
    run(async {
        let cm = timeout_scope_at(None);
        cm.run(sleep(ms(10))).await.unwrap();
        assert!(!cm.expired());
        assert_eq!(cm.when(), None);
    })
    .unwrap();
}

#[test]
fn test_timeout_zero() {
    run(async {
        let t0 = Instant::now();
        let cm = timeout_scope(Some(Duration::ZERO));
        assert!(cm.run(sleep(LONG)).await.is_err());
        let t1 = Instant::now();
        assert!(cm.expired());
        let when = cm.when().unwrap();
        assert!(t0 <= when && when <= t1);
    })
    .unwrap();
}

#[test]
fn test_timeout_zero_sleep_zero() {
    run(async {
        let t0 = Instant::now();
        let cm = timeout_scope(Some(Duration::ZERO));
        assert!(cm.run(sleep(Duration::ZERO)).await.is_err());
        let t1 = Instant::now();
        assert!(cm.expired());
        let when = cm.when().unwrap();
        assert!(t0 <= when && when <= t1);
    })
    .unwrap();
}

#[test]
fn test_timeout_in_the_past_sleep_zero() {
    run(async {
        let t0 = Instant::now();
        let cm = timeout_scope_at(Some(t0 - Duration::from_secs(11)));
        assert!(cm.run(sleep(Duration::ZERO)).await.is_err());
        assert!(cm.expired());
        assert!(cm.when().unwrap() <= t0);
    })
    .unwrap();
}

#[test]
fn test_foreign_exception_passed() {
    run(async {
        let cm = timeout_scope(Some(ms(10)));
        let out = cm.run(async { Err::<(), _>("KeyError") }).await;
        assert_eq!(out, Ok(Err("KeyError")));
        assert!(!cm.expired());
    })
    .unwrap();
}

#[test]
fn test_foreign_exception_on_timeout() {
    run(async {
        let crash = async {
            let _finally = support::OnDrop(|| panic!("ZeroDivisionError"));
            sleep(Duration::from_secs(1)).await;
        };
        let task = spawn(async move {
            let cm = timeout_scope(Some(ms(10)));
            let _ = cm.run(crash).await;
        });
        // The error raised while cancelling wins over the timeout.
        let err = task.await.unwrap_err();
        assert_eq!(err.panic_message(), Some("ZeroDivisionError"));
    })
    .unwrap();
}

#[test]
fn test_foreign_cancel_doesnt_timeout_if_not_expired() {
    run(async {
        let me: Rc<RefCell<Option<AbortHandle>>> = Rc::default();
        let cm = timeout_scope(Some(LONG));
        let (m, c) = (me.clone(), cm.clone());
        let task = spawn(async move {
            c.run(async {
                // asyncio.current_task().cancel()
                if let Some(h) = m.borrow().as_ref() {
                    h.abort();
                }
                sleep(LONG).await;
            })
            .await
        });
        *me.borrow_mut() = Some(task.abort_handle());
        assert!(task.await.unwrap_err().is_cancelled());
        assert!(!cm.expired());
    })
    .unwrap();
}

#[test]
fn test_outer_task_is_not_cancelled() {
    run(async {
        let task = spawn(async {
            let cm = timeout_scope(Some(ms(1)));
            cm.run(sleep(LONG)).await.is_err()
        });
        assert_eq!(task.await.ok(), Some(true), "the task ended normally");
    })
    .unwrap();
}

#[test]
fn test_nested_timeouts_concurrent() {
    run(async {
        let outer = timeout_scope(Some(ms(2)));
        // (CPython's 0.1 s; longer here so a loaded machine cannot pass it too.)
        let inner = timeout_scope(Some(ms(800)));
        let i = inner.clone();
        let out = outer
            .run(async move {
                i.run(async {
                    // Pretend we crunch some numbers.
                    std::thread::sleep(ms(10));
                    sleep(Duration::from_secs(1)).await;
                })
                .await
            })
            .await;
        assert!(out.is_err());
        assert!(outer.expired());
        assert!(!inner.expired());
    })
    .unwrap();
}

#[test]
fn test_nested_timeouts_loop_busy() {
    run(async {
        let t0 = Instant::now();
        let outer = timeout_scope(Some(ms(100)));
        let inner = timeout_scope(Some(ms(10)));
        let i = inner.clone();
        let out = outer
            .run(async move {
                let caught = i
                    .run(async {
                        // Pretend the loop is busy for a while.
                        std::thread::sleep(ms(100));
                        sleep(Duration::from_secs(1)).await;
                    })
                    .await;
                assert!(caught.is_err(), "the inner timeout fired");
                sleep(LONG).await; // interrupted by the outer timeout
            })
            .await;
        assert!(out.is_err());
        assert!(inner.expired() && outer.expired());
        assert!(t0.elapsed() <= Duration::from_secs(5));
    })
    .unwrap();
}

#[test]
fn test_reschedule() {
    run(async {
        let fut = Fut::new();
        let deadline1 = Instant::now() + LONG;
        let deadline2 = deadline1 + Duration::from_secs(20);
        let f = fut.clone();
        let task = spawn(async move {
            let cm = timeout_scope_at(Some(deadline1));
            f.set(cm.clone());
            cm.run(sleep(Duration::from_secs(50))).await
        });
        let cm = fut.wait().await;
        assert_eq!(cm.when(), Some(deadline1));
        cm.reschedule(Some(deadline2));
        assert_eq!(cm.when(), Some(deadline2));
        cm.reschedule(None);
        assert_eq!(cm.when(), None);
        yield_now().await;
        task.abort();
        assert!(task.await.unwrap_err().is_cancelled());
        assert!(!cm.expired());
    })
    .unwrap();
}
