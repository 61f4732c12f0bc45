//! A port of CPython's `Lib/test/test_asyncio/test_waitfor.py` to
//! [`ringio::task::wait_for`], asyncio's `wait_for`: it cancels
//! what it waited on when the time runs out (a task is aborted and waited
//! for), and when it is itself cancelled. Each test is named after the
//! CPython test it follows; Python's `finally:` is a drop guard here
//! (cancelling a task drops its future).
//!
//! Not ported, and why:
//! - `test_wait_for_cancellation_race_condition`, `test_wait_for_cancel_suppressed`:
//!   the inner coroutine catches its own `CancelledError` and returns a
//!   value; a Rust future cannot see or refuse being dropped.
//! - `test_wait_for_self_cancellation`: the inner task swallows two
//!   cancellations and returns 42; an aborted ringio task cannot refuse its
//!   abort (the part that applies, that `wait_for` itself can be cancelled
//!   and cancels its task, is `test_cancel_wait_for`).
//! - `test_wait_for_reraises_exception_during_cancellation`: asyncio raises
//!   the exception the inner task's `finally:` raised while being
//!   cancelled. ringio's `wait_for` gives `Err(Elapsed)` (it cannot give a
//!   task's output through a future of any type); that task's panic is
//!   reported by the loop (tracing), as for any task whose handle is gone.
//! - `test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started` is
//!   ported with a task, which is what asyncio makes of the coroutine (a
//!   task not started yet); a bare future given with a zero timeout is
//!   polled once, as a finished task's result must not be lost and a Rust
//!   future cannot say whether it is done without being polled.
//! - Negative timeouts: a `Duration` is never negative; a deadline in the
//!   past (`wait_for_at`) stands for them.

#[path = "support/asyncio_port.rs"]
mod support;

use std::time::{Duration, Instant};

use ringio_runtime::task::{all_tasks, wait, wait_for, wait_for_at, ReturnWhen};
use ringio_runtime::time::sleep;
use ringio_runtime::{call_later, call_soon, run, spawn, yield_now, JoinHandle};
use support::{ms, Flag, Fut};

/// True while the task of `id` is alive on this loop.
fn alive(id: ringio_runtime::task::TaskId) -> bool {
    all_tasks().iter().any(|t| t.id == id)
}

/// A task that sleeps 10 s, with `running` true until it ends (however).
fn foo(running: &Flag, started: Option<Fut<()>>) -> JoinHandle<&'static str> {
    let running = running.clone();
    spawn(async move {
        let _finally = {
            let r = running.clone();
            support::OnDrop(move || r.clear())
        };
        running.set();
        if let Some(s) = started {
            s.set(());
        }
        sleep(Duration::from_secs(10)).await;
        "done"
    })
}

#[test]
fn test_asyncio_wait_for_cancelled() {
    run(async {
        let exited = Flag::new();
        let e = exited.clone();
        let slow = async move {
            let _finally = e.on_drop();
            sleep(ms(200)).await;
        };
        let waitfortask = spawn(wait_for(slow, ms(400)));
        yield_now().await;
        waitfortask.abort();
        let (done, pending) = wait(vec![waitfortask], ReturnWhen::AllCompleted, None).await;
        assert!(pending.is_empty());
        assert!(done[0].result.as_ref().unwrap_err().is_cancelled());
        assert!(
            exited.get(),
            "cancelling wait_for cancelled what it waited on"
        );
    })
    .unwrap();
}

#[test]
fn test_asyncio_wait_for_timeout() {
    run(async {
        let exited = Flag::new();
        let e = exited.clone();
        let slow = async move {
            let _finally = e.on_drop();
            sleep(ms(200)).await;
        };
        assert!(wait_for(slow, ms(20)).await.is_err());
        assert!(exited.get());
    })
    .unwrap();
}

#[test]
fn test_wait_for_timeout_less_then_0_or_0_future_done() {
    run(async {
        let fut = spawn(async { "done" });
        while !fut.is_finished() {
            yield_now().await;
        }
        let t0 = Instant::now();
        let ret = wait_for(fut, Duration::ZERO).await;
        assert_eq!(ret.unwrap().unwrap(), "done");
        assert!(t0.elapsed() < ms(2000));
    })
    .unwrap();
}

#[test]
fn test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started() {
    run(async {
        let started = Flag::new();
        let s = started.clone();
        let foo = spawn(async move { s.set() });
        let id = foo.id();
        let t0 = Instant::now();
        assert!(wait_for(foo, Duration::ZERO).await.is_err());
        assert!(t0.elapsed() < ms(2000));
        assert!(!started.get(), "the task was cancelled before it started");
        assert!(!alive(id));
    })
    .unwrap();
}

#[test]
fn test_wait_for_timeout_less_then_0_or_0() {
    run(async {
        for past in [false, true] {
            let running = Flag::new();
            let started = Fut::new();
            let fut = foo(&running, Some(started.clone()));
            let id = fut.id();
            started.wait().await;
            assert!(running.get());
            let t0 = Instant::now();
            let out = if past {
                wait_for_at(fut, Instant::now() - ms(1000)).await
            } else {
                wait_for(fut, Duration::ZERO).await
            };
            assert!(out.is_err());
            // Cancelled due to the timeout, and ended before wait_for returned.
            assert!(!alive(id));
            assert!(!running.get());
            assert!(t0.elapsed() < ms(2000));
        }
    })
    .unwrap();
}

#[test]
fn test_wait_for() {
    run(async {
        let running = Flag::new();
        let fut = foo(&running, None);
        let id = fut.id();
        let t0 = Instant::now();
        assert!(wait_for(fut, ms(50)).await.is_err());
        assert!(
            !alive(id),
            "it should have been cancelled due to the timeout"
        );
        assert!(t0.elapsed() < ms(2000));
        assert!(!running.get());
    })
    .unwrap();
}

#[test]
fn test_wait_for_blocking() {
    run(async {
        let res = wait_for(async { "done" }, Duration::MAX).await;
        assert_eq!(res, Ok("done"));
    })
    .unwrap();
}

#[test]
fn test_wait_for_race_condition() {
    run(async {
        let fut = Fut::new();
        let f = fut.clone();
        let task = wait_for(fut.wait(), ms(400));
        let _h = call_later(ms(20), move || f.set("ok"));
        assert_eq!(task.await, Ok("ok"));
    })
    .unwrap();
}

#[test]
fn test_wait_for_waits_for_task_cancellation() {
    run(async {
        let task_done = Flag::new();
        let d = task_done.clone();
        let inner_task = spawn(async move {
            let _finally = d.on_drop();
            sleep(Duration::from_secs(10)).await;
        });
        // Started (asyncio's task takes its first step before a timer
        // fires; a loaded machine could pass 1 ms before ringio's does).
        yield_now().await;
        assert!(wait_for(inner_task, ms(1)).await.is_err());
        // wait_for returned only once the task was cancelled.
        assert!(task_done.get());
    })
    .unwrap();
}

#[test]
fn test_wait_for_waits_for_task_cancellation_w_timeout_0() {
    run(async {
        let task_done = Flag::new();
        let d = task_done.clone();
        let foo = async move {
            let inner_task = spawn(async move {
                let _finally = d.on_drop();
                sleep(Duration::from_secs(10)).await;
            });
            sleep(ms(1)).await;
            wait_for(inner_task, Duration::ZERO).await
        };
        assert!(foo.await.is_err());
        assert!(task_done.get());
    })
    .unwrap();
}

/// `_test_cancel_wait_for(timeout)`: cancelling the wait cancels the task
/// (Python issue #23219).
async fn cancel_wait_for(timeout: Duration) {
    let cancelled = Flag::new();
    let c = cancelled.clone();
    let task = spawn(async move {
        let _finally = c.on_drop();
        std::future::pending::<()>().await;
    });
    let id = task.id();
    let wait = spawn(wait_for(task, timeout));
    let abort = wait.abort_handle();
    let _h = call_soon(move || abort.abort());
    assert!(wait.await.unwrap_err().is_cancelled());
    // The abort reaches the task at the loop's next turn.
    yield_now().await;
    assert!(cancelled.get());
    assert!(!alive(id));
}

#[test]
fn test_cancel_blocking_wait_for() {
    run(cancel_wait_for(Duration::MAX)).unwrap();
}

#[test]
fn test_cancel_wait_for() {
    run(cancel_wait_for(Duration::from_secs(60))).unwrap();
}

#[test]
fn test_wait_for_issue86296() {
    run(async {
        let reached_end = Flag::new();
        let r = reached_end.clone();
        let task = spawn(async move {
            wait_for(async {}, Duration::from_secs(100)).await.unwrap();
            sleep(Duration::from_secs(1)).await;
            r.set();
        });
        yield_now().await;
        assert!(!task.is_finished());
        task.abort();
        assert!(task.await.unwrap_err().is_cancelled());
        assert!(!reached_end.get());
    })
    .unwrap();
}
