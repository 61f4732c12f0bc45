//! A port of CPython's `Lib/test/test_asyncio/test_tasks.py` (tasks,
//! cancellation, `wait`, `as_completed`, `shield`, `gather`,
//! `current_task`) to ringio. Each test is named after the CPython test it
//! follows; Python's `finally:` / `except CancelledError:` is a drop guard
//! here (cancelling a task drops its future), `task.cancel()` is
//! `abort()`, `loop.create_future()` is the tests' `Fut`.
//!
//! Not ported, and why:
//! - `test_cancel_task_catching`, `test_cancel_task_ignoring`,
//!   `test_cancelling`, `test_uncancel_*`, `test_cancel_with_message_*`:
//!   a task catches, counts or ignores its own cancellation, or carries a
//!   message; an aborted Rust future is dropped and cannot see or refuse it.
//! - `test_cancel_inner_future`, `test_cancel_both_task_and_inner_future`,
//!   `test_task_cancel_waiter_future`, `test_shield_cancel_inner`: someone
//!   else cancels the future a task awaits; a Rust future has no outside
//!   `cancel()` (a task's handle has `abort`, which the tests below use).
//! - `test_wait_really_done`: depends on how many loop iterations asyncio's
//!   done-callbacks take before `wait` resumes; ringio's `wait` resumes at
//!   the first completion it sees.
//! - `test_wait_concurrent_complete`: a task and `wait`'s timeout due at
//!   the same instant; which fires first is timer order, not a property.
//! - `test_wait_errors`, `test_as_completed_invalid_args`,
//!   `test_wait_duplicate_coroutines`, `test_as_completed_duplicate_coroutines`:
//!   invalid arguments are type errors in Rust, and handles are unique.
//! - `test_as_completed_with_timeout` and the other timeout forms of
//!   `as_completed`: ringio's `as_completed` has no timeout (wrap `next()`
//!   in `time::timeout`).
//! - `test_cancel_gather_1`: a done-callback cancelling a gather; ringio
//!   has no done-callbacks on tasks.
//! - `test_stop_while_run_in_complete`, `test_exception_marking`,
//!   `test_get_stack`, `test_task_repr*`, `test_task_source_traceback`,
//!   `test_context_*`, `test_log_traceback`, coroutine-object and
//!   `ensure_future` specifics: `loop.stop()`, Python's reprs, frames,
//!   contextvars and coroutine objects have no ringio counterpart.

#[path = "support/asyncio_port.rs"]
mod support;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use ringio_runtime::task::{
    all_tasks, as_completed, current_task, gather_all, shield, try_gather_all, wait, AbortHandle,
    Builder, ReturnWhen, TaskId,
};
use ringio_runtime::time::sleep;
use ringio_runtime::{call_later, gather, run, spawn, yield_now, JoinHandle};
use support::{ms, Counter, Flag, Fut, Log};

const LONG: Duration = Duration::from_secs(10);

fn alive(id: TaskId) -> bool {
    all_tasks().iter().any(|t| t.id == id)
}

/// A cell through which a task reaches its own handle (`t.cancel()` inside
/// `t`).
type Me = Rc<RefCell<Option<AbortHandle>>>;

fn cancel_self(me: &Me) {
    if let Some(h) = me.borrow().as_ref() {
        h.abort();
    }
}

async fn after<T>(delay: Duration, value: T) -> T {
    sleep(delay).await;
    value
}

#[test]
fn test_cancel() {
    run(async {
        let t = spawn(after(LONG, 12));
        yield_now().await;
        t.abort();
        let id = t.id();
        assert!(t.await.unwrap_err().is_cancelled());
        assert!(!alive(id));
    })
    .unwrap();
}

#[test]
fn test_cancel_yield() {
    run(async {
        let reached = Flag::new();
        let r = reached.clone();
        let t = spawn(async move {
            yield_now().await;
            r.set();
            12
        });
        yield_now().await; // start the task
        assert!(!t.is_finished());
        t.abort();
        assert!(t.await.unwrap_err().is_cancelled());
        assert!(!reached.get());
    })
    .unwrap();
}

#[test]
fn test_cancel_current_task() {
    run(async {
        let me: Me = Rc::default();
        let m = me.clone();
        let t = spawn(async move {
            cancel_self(&m);
            // The sleep is cancelled at once.
            sleep(Duration::from_secs(100)).await;
            12
        });
        *me.borrow_mut() = Some(t.abort_handle());
        let t0 = Instant::now();
        assert!(t.await.unwrap_err().is_cancelled());
        assert!(t0.elapsed() < Duration::from_secs(5));
    })
    .unwrap();
}

#[test]
fn test_cancel_at_end() {
    run(async {
        let me: Me = Rc::default();
        let m = me.clone();
        // The coroutine ends right after the task is cancelled: the task
        // is cancelled, its result dropped.
        let t = spawn(async move {
            cancel_self(&m);
            12
        });
        *me.borrow_mut() = Some(t.abort_handle());
        assert!(!t.is_finished());
        assert!(t.await.unwrap_err().is_cancelled());
    })
    .unwrap();
}

#[test]
fn test_cancel_awaited_task() {
    run(async {
        let me: Me = Rc::default();
        let nested_cancelled = Flag::new();
        let nested_id: Rc<RefCell<Option<TaskId>>> = Rc::default();
        let (m, nc, nid) = (me.clone(), nested_cancelled.clone(), nested_id.clone());
        let task = spawn(async move {
            // Create a sub-task and wait for it to run.
            let fut = Fut::<()>::new();
            let nested_task = spawn(async move {
                let _except_cancelled = nc.on_drop();
                fut.wait().await;
            });
            *nid.borrow_mut() = Some(nested_task.id());
            yield_now().await;
            // Request the current task to be cancelled.
            cancel_self(&m);
            // Block on the nested task, which is cancelled with it.
            nested_task.await
        });
        *me.borrow_mut() = Some(task.abort_handle());
        assert!(task.await.unwrap_err().is_cancelled());
        yield_now().await;
        assert!(nested_cancelled.get());
        assert!(!alive(nested_id.borrow().unwrap()));
    })
    .unwrap();
}

#[test]
fn test_wait() {
    run(async {
        let t0 = Instant::now();
        let a = spawn(after(ms(10), 'a'));
        let b = spawn(after(ms(30), 'b'));
        let (done, pending) = wait(vec![b, a], ReturnWhen::AllCompleted, None).await;
        assert!(pending.is_empty());
        let mut values: Vec<char> = done.into_iter().map(|d| d.result.unwrap()).collect();
        values.sort();
        assert_eq!(values, ['a', 'b']);
        assert!(t0.elapsed() >= ms(30));
    })
    .unwrap();
}

#[test]
fn test_wait_first_completed() {
    run(async {
        let a = spawn(after(LONG, 'a'));
        let b = spawn(after(ms(10), 'b'));
        let (done, pending) = wait(vec![b, a], ReturnWhen::FirstCompleted, None).await;
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].result.as_ref().ok(), Some(&'b'));
        assert_eq!(pending.len(), 1);
        assert!(!pending[0].is_finished(), "wait cancels nothing");
    })
    .unwrap();
}

#[test]
fn test_wait_first_exception() {
    run(async {
        // The task has its exception already.
        let a = spawn(async {
            sleep(LONG).await;
            Ok::<u32, String>(0)
        });
        let b = spawn(async { Err::<u32, _>("ZeroDivisionError".to_string()) });
        let (b_id, a_id) = (b.id(), a.id());
        let t0 = Instant::now();
        let (done, pending) = wait(vec![b, a], ReturnWhen::FirstException, None).await;
        assert_eq!(done.iter().map(|d| d.id).collect::<Vec<_>>(), [b_id]);
        assert_eq!(pending.iter().map(|p| p.id()).collect::<Vec<_>>(), [a_id]);
        assert!(t0.elapsed() < Duration::from_secs(5));
    })
    .unwrap();
}

#[test]
fn test_wait_first_exception_in_wait() {
    run(async {
        let a = spawn(async {
            sleep(LONG).await;
            Ok::<u32, String>(0)
        });
        let b = spawn(async {
            sleep(ms(10)).await;
            Err::<u32, _>("ZeroDivisionError".to_string())
        });
        let b_id = b.id();
        let (done, pending) = wait(vec![b, a], ReturnWhen::FirstException, None).await;
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].id, b_id);
        assert!(done[0].result.as_ref().unwrap().is_err());
        assert_eq!(pending.len(), 1);
    })
    .unwrap();
}

#[test]
fn test_wait_with_exception() {
    run(async {
        let a = spawn(async {
            sleep(ms(10)).await;
            Ok::<(), String>(())
        });
        let b = spawn(async {
            sleep(ms(15)).await;
            Err::<(), _>("really".to_string())
        });
        let (done, pending) = wait(vec![b, a], ReturnWhen::AllCompleted, None).await;
        assert_eq!(done.len(), 2);
        assert!(pending.is_empty());
        let errors = done
            .iter()
            .filter(|d| d.result.as_ref().unwrap().is_err())
            .count();
        assert_eq!(errors, 1);
    })
    .unwrap();
}

#[test]
fn test_wait_with_timeout() {
    run(async {
        let a = spawn(after(ms(10), 'a'));
        let b = spawn(after(ms(600), 'b'));
        let (done, pending) = wait(vec![b, a], ReturnWhen::AllCompleted, Some(ms(200))).await;
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].result.as_ref().ok(), Some(&'a'));
        assert_eq!(pending.len(), 1);
        assert!(!pending[0].is_finished());
    })
    .unwrap();
}

#[test]
fn test_as_completed() {
    run(async {
        let a = spawn(after(ms(10), 'a'));
        let b = spawn(after(ms(10), 'b'));
        let c = spawn(after(ms(150), 'c'));
        let mut values = Vec::new();
        let mut each = as_completed(vec![b, c, a]);
        while let Some(f) = each.next().await {
            values.push(f.result.unwrap());
        }
        assert!(values[..2].contains(&'a'));
        assert!(values[..2].contains(&'b'));
        assert_eq!(values[2], 'c');
    })
    .unwrap();
}

#[test]
fn test_as_completed_concurrent() {
    run(async {
        let a = spawn(after(ms(5), 'a'));
        let b = spawn(after(ms(5), 'b'));
        let mut each = as_completed(vec![a, b]);
        let mut values = vec![
            each.next().await.unwrap().result.unwrap(),
            each.next().await.unwrap().result.unwrap(),
        ];
        assert!(each.next().await.is_none());
        values.sort();
        assert_eq!(values, ['a', 'b']);
    })
    .unwrap();
}

#[test]
fn test_sleep() {
    run(async {
        let t0 = Instant::now();
        let res = spawn(after(ms(10), "yeah")).await.unwrap();
        assert_eq!(res, "yeah");
        assert!(t0.elapsed() >= ms(10));
    })
    .unwrap();
}

#[test]
fn test_task_cancel_sleeping_task() {
    run(async {
        let doit = async {
            let sleeper = spawn(after(Duration::from_secs(5000), 42));
            let abort = sleeper.abort_handle();
            let _h = call_later(ms(10), move || abort.abort());
            match sleeper.await {
                Err(e) if e.is_cancelled() => "cancelled",
                _ => "slept in",
            }
        };
        assert_eq!(doit.await, "cancelled");
    })
    .unwrap();
}

#[test]
fn test_current_task() {
    assert!(current_task().is_none(), "no loop, no task");
    run(async {
        let main = current_task().unwrap();
        assert_eq!(main.name, "main");
        let t = spawn(async { current_task().unwrap().id });
        let id = t.id();
        assert_eq!(t.await.unwrap(), id);
        assert_eq!(current_task().unwrap().id, main.id);
    })
    .unwrap();
}

#[test]
fn test_current_task_with_interleaving_tasks() {
    run(async {
        let fut1 = Fut::<()>::new();
        let fut2 = Fut::<()>::new();
        let log = Log::new();
        let coro = |name: &'static str, first: Fut<()>, then: Fut<()>, log: Log| async move {
            let me = current_task().unwrap().id;
            first.wait().await;
            assert_eq!(current_task().unwrap().id, me);
            log.push(name);
            then.set(());
            me
        };
        let fut3 = Fut::<()>::new();
        let task1 = spawn(coro("t1", fut1.clone(), fut2.clone(), log.clone()));
        let task2 = spawn(coro("t2", fut2.clone(), fut3.clone(), log.clone()));
        let (id1, id2) = (task1.id(), task2.id());
        fut1.set(());
        assert_eq!(task1.await.unwrap(), id1);
        assert_eq!(task2.await.unwrap(), id2);
        assert_eq!(log.events(), ["t1", "t2"]);
    })
    .unwrap();
}

#[test]
fn test_yield_wait_does_not_shield_cancel() {
    // Cancelling outer() makes wait() return early, and leaves inner()
    // running.
    run(async {
        let proof = Counter::new();
        let waiter = Fut::<()>::new();
        let (p, w) = (proof.clone(), waiter.clone());
        let inner = async move {
            w.wait().await;
            p.add(1);
        };
        let p = proof.clone();
        let f = spawn(async move {
            let _ = wait(vec![spawn(inner)], ReturnWhen::AllCompleted, None).await;
            p.add(100);
        });
        yield_now().await;
        f.abort();
        assert!(f.await.unwrap_err().is_cancelled());
        waiter.set(());
        yield_now().await;
        assert_eq!(proof.get(), 1);
    })
    .unwrap();
}

#[test]
fn test_shield_result() {
    run(async {
        let inner = spawn(async { 42 });
        let outer = shield(inner);
        assert_eq!(outer.await.unwrap().unwrap(), 42);
    })
    .unwrap();
}

#[test]
fn test_shield_exception() {
    run(async {
        let outer = shield(async { Err::<(), _>("ZeroDivisionError") });
        assert_eq!(outer.await.unwrap(), Err("ZeroDivisionError"));
    })
    .unwrap();
}

#[test]
fn test_shield_cancel_outer() {
    run(async {
        let done = Flag::new();
        let d = done.clone();
        let inner = async move {
            sleep(ms(10)).await;
            d.set();
        };
        let test = spawn(async move { shield(inner).await });
        yield_now().await;
        test.abort();
        assert!(test.await.unwrap_err().is_cancelled());
        sleep(ms(50)).await;
        assert!(done.get(), "the shielded work went on");
    })
    .unwrap();
}

#[test]
fn test_shield_shortcut() {
    run(async {
        // A result that is there already comes back as is.
        assert_eq!(shield(async { 42 }).await.unwrap(), 42);
    })
    .unwrap();
}

#[test]
fn test_shield_effect() {
    // Cancelling outer() does not affect inner().
    run(async {
        let proof = Counter::new();
        let waiter = Fut::<()>::new();
        let (p, w) = (proof.clone(), waiter.clone());
        let inner = async move {
            w.wait().await;
            p.add(1);
        };
        let p = proof.clone();
        let f = spawn(async move {
            shield(inner).await.unwrap();
            p.add(100);
        });
        yield_now().await;
        f.abort();
        assert!(f.await.unwrap_err().is_cancelled());
        waiter.set(());
        yield_now().await;
        assert_eq!(proof.get(), 1);
    })
    .unwrap();
}

/// Two children waiting for their futures, then returning 1 and 2; each
/// sets its flag when it returns.
fn two_children() -> (
    Fut<()>,
    Fut<()>,
    Flag,
    Flag,
    JoinHandle<u32>,
    JoinHandle<u32>,
) {
    let (fa, fb) = (Fut::new(), Fut::new());
    let (da, db) = (Flag::new(), Flag::new());
    let child1 = {
        let (f, d) = (fa.clone(), da.clone());
        spawn(async move {
            f.wait().await;
            d.set();
            1
        })
    };
    let child2 = {
        let (f, d) = (fb.clone(), db.clone());
        spawn(async move {
            f.wait().await;
            d.set();
            2
        })
    };
    (fa, fb, da, db, child1, child2)
}

#[test]
fn test_shield_gather() {
    run(async {
        let (fa, fb, da, db, child1, child2) = two_children();
        let parent = spawn(async move { shield(gather!(child1, child2)).await });
        yield_now().await;
        parent.abort();
        assert!(parent.await.unwrap_err().is_cancelled());
        fa.set(());
        fb.set(());
        sleep(ms(5)).await;
        assert!(
            da.get() && db.get(),
            "the shielded gather's children ran on"
        );
    })
    .unwrap();
}

#[test]
fn test_gather_shield() {
    run(async {
        let (fa, fb, da, db, child1, child2) = two_children();
        let outer = spawn(async move { gather!(shield(child1), shield(child2)).await });
        yield_now().await;
        outer.abort();
        assert!(outer.await.unwrap_err().is_cancelled());
        fa.set(());
        fb.set(());
        sleep(ms(5)).await;
        assert!(da.get() && db.get(), "shielded children are not cancelled");
    })
    .unwrap();
}

#[test]
fn test_cancel_gather_2() {
    run(async {
        let qwe = spawn(async {
            for _ in 0..200 {
                let _ = gather!(sleep(ms(5))).await;
            }
        });
        sleep(ms(20)).await;
        qwe.abort();
        // The gather inside does not swallow the cancellation.
        assert!(qwe.await.unwrap_err().is_cancelled());
    })
    .unwrap();
}

#[test]
fn test_constructor_empty_sequence() {
    run(async {
        let none: Vec<JoinHandle<u32>> = Vec::new();
        assert!(gather_all(none).await.is_empty());
    })
    .unwrap();
}

#[test]
fn test_result_exception_success() {
    run(async {
        let handles: Vec<_> = [30u64, 10, 20]
            .into_iter()
            .map(|d| spawn(after(ms(d), d)))
            .collect();
        let results: Vec<u64> = gather_all(handles)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(results, [30, 10, 20], "argument order, not finishing order");
    })
    .unwrap();
}

#[test]
fn test_one_exception() {
    run(async {
        let finished = Counter::new();
        let child = |d: u64, fail: bool, finished: Counter| async move {
            sleep(ms(d)).await;
            finished.add(1);
            if fail {
                Err(format!("boom {d}"))
            } else {
                Ok(d)
            }
        };
        let handles: Vec<_> = [(30, false), (5, true), (20, false)]
            .into_iter()
            .map(|(d, fail)| {
                let f = finished.clone();
                spawn(async move { child(d, fail, f).await })
            })
            .collect();
        let flat = handles
            .into_iter()
            .map(|h| async move { h.await.map_err(|e| e.to_string()).and_then(|r| r) });
        let out = try_gather_all(flat).await;
        assert_eq!(out, Err("boom 5".to_string()));
        // The others are not cancelled: they run to their end.
        sleep(ms(60)).await;
        assert_eq!(finished.get(), 3);
    })
    .unwrap();
}

#[test]
fn test_return_exceptions() {
    run(async {
        let a = spawn(async { Ok::<u32, String>(1) });
        let b = spawn(async { Err::<u32, _>("ZeroDivisionError".to_string()) });
        let c = spawn(async { Ok::<u32, String>(3) });
        let d = spawn(async { Err::<u32, _>("ValueError".to_string()) });
        let results: Vec<Result<u32, String>> = gather_all([a, b, c, d])
            .await
            .into_iter()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(
            results,
            [
                Ok(1),
                Err("ZeroDivisionError".into()),
                Ok(3),
                Err("ValueError".into())
            ]
        );
    })
    .unwrap();
}

#[test]
fn test_cancellation_broadcast() {
    // Cancelling outer() cancels all children.
    run(async {
        let proof = Counter::new();
        let waiter = Fut::<()>::new();
        let child = |p: Counter, w: Fut<()>| {
            spawn(async move {
                w.wait().await;
                p.add(1);
            })
        };
        let child1 = child(proof.clone(), waiter.clone());
        let child2 = child(proof.clone(), waiter.clone());
        let (id1, id2) = (child1.id(), child2.id());
        let p = proof.clone();
        let f = spawn(async move {
            let _ = gather!(child1, child2).await;
            p.add(100);
        });
        yield_now().await;
        f.abort();
        assert!(f.await.unwrap_err().is_cancelled());
        yield_now().await;
        assert!(!alive(id1) && !alive(id2), "the children were cancelled");
        waiter.set(());
        yield_now().await;
        assert_eq!(proof.get(), 0);
    })
    .unwrap();
}

#[test]
fn test_one_cancellation() {
    run(async {
        let handles: Vec<JoinHandle<u32>> = (0..5u32)
            .map(|i| spawn(after(if i == 0 { ms(1) } else { LONG }, i)))
            .collect();
        handles[1].abort();
        let t0 = Instant::now();
        let out = try_gather_all(handles).await;
        assert!(matches!(&out, Err(e) if e.is_cancelled()));
        assert!(t0.elapsed() < Duration::from_secs(5));
    })
    .unwrap();
}

#[test]
fn test_result_exception_one_cancellation() {
    run(async {
        let handles: Vec<JoinHandle<u32>> = (0..3u32).map(|i| spawn(after(ms(5), i))).collect();
        handles[1].abort();
        let out = gather_all(handles).await;
        assert_eq!(out[0].as_ref().ok(), Some(&0));
        assert!(out[1].as_ref().unwrap_err().is_cancelled());
        assert_eq!(out[2].as_ref().ok(), Some(&2));
    })
    .unwrap();
}

#[test]
fn test_bare_create_named_task() {
    run(async {
        let task = Builder::new().name("No-op").spawn(async {}).unwrap();
        assert_eq!(task.name(), "No-op");
        task.await.unwrap();
    })
    .unwrap();
}
