//! Which cancellations reach the tasks a cancelled future awaited (as
//! asyncio's do) and which detach them (as tokio's do): `wait_for`,
//! `gather!`/`gather_all` and `TimeoutScope` cancel the tasks whose handles
//! they awaited; `time::timeout` and a plain dropped handle detach; a
//! handle held but never awaited by an aborted task detaches.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use ringio_runtime::task::{all_tasks, gather_all, wait_for, TaskId};
use ringio_runtime::time::{sleep, timeout, timeout_scope};
use ringio_runtime::{gather, run, spawn, yield_now, JoinHandle};

fn alive(id: TaskId) -> bool {
    all_tasks().iter().any(|t| t.id == id)
}

/// A task that would sleep 600 s; `ended` is set when it ends, however,
/// once it has started (the tests yield once so that it has).
fn sleeper(ended: &Rc<Cell<bool>>) -> JoinHandle<()> {
    let ended = ended.clone();
    spawn(async move {
        struct Ended(Rc<Cell<bool>>);
        impl Drop for Ended {
            fn drop(&mut self) {
                self.0.set(true);
            }
        }
        let _ended = Ended(ended);
        sleep(Duration::from_secs(600)).await;
    })
}

#[test]
fn time_timeout_detaches_the_task_it_waited_on() {
    run(async {
        let ended = Rc::new(Cell::new(false));
        let h = sleeper(&ended);
        let id = h.id();
        yield_now().await;
        assert!(timeout(Duration::from_millis(5), h).await.is_err());
        yield_now().await;
        assert!(alive(id), "tokio's timeout leaves the task running");
        assert!(!ended.get());
    })
    .unwrap();
}

#[test]
fn wait_for_cancels_a_task_awaited_inside_its_future() {
    run(async {
        let ended = Rc::new(Cell::new(false));
        let h = sleeper(&ended);
        let id = h.id();
        yield_now().await;
        let out = wait_for(async move { h.await.is_ok() }, Duration::from_millis(5)).await;
        assert!(out.is_err());
        assert!(ended.get(), "ended before wait_for returned");
        assert!(!alive(id));
    })
    .unwrap();
}

#[test]
fn dropping_wait_for_aborts_the_task() {
    run(async {
        let ended = Rc::new(Cell::new(false));
        let h = sleeper(&ended);
        let id = h.id();
        yield_now().await;
        // A tokio timeout around wait_for drops the wait_for.
        let out = timeout(
            Duration::from_millis(5),
            wait_for(h, Duration::from_secs(60)),
        )
        .await;
        assert!(out.is_err());
        yield_now().await;
        assert!(ended.get());
        assert!(!alive(id));
    })
    .unwrap();
}

#[test]
fn a_gather_dropped_by_a_timeout_aborts_its_tasks() {
    run(async {
        let (e1, e2) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(false)));
        let (h1, h2) = (sleeper(&e1), sleeper(&e2));
        yield_now().await;
        let out = timeout(Duration::from_millis(5), gather!(h1, h2)).await;
        assert!(out.is_err());
        yield_now().await;
        assert!(e1.get() && e2.get());
    })
    .unwrap();
}

#[test]
fn a_gather_all_dropped_aborts_its_tasks() {
    run(async {
        let ended: Vec<_> = (0..3).map(|_| Rc::new(Cell::new(false))).collect();
        let handles: Vec<_> = ended.iter().map(sleeper).collect();
        yield_now().await;
        let out = timeout(Duration::from_millis(5), gather_all(handles)).await;
        assert!(out.is_err());
        yield_now().await;
        assert!(ended.iter().all(|e| e.get()));
    })
    .unwrap();
}

#[test]
#[allow(clippy::async_yields_async)] // the handle is the point: returned, not awaited
fn a_finished_gather_leaves_tasks_returned_by_its_futures_alone() {
    run(async {
        let ended = Rc::new(Cell::new(false));
        let e = ended.clone();
        // The gathered future returns a handle it awaited partly: the
        // gather finished, so nothing is cancelled.
        let (h,) = gather!(async move {
            let mut h = sleeper(&e);
            let _ = timeout(Duration::from_millis(1), &mut h).await;
            h
        })
        .await;
        yield_now().await;
        assert!(alive(h.id()));
        assert!(!ended.get());
        h.abort();
    })
    .unwrap();
}

#[test]
fn timeout_scope_expiry_cancels_the_awaited_task_and_waits_for_it() {
    run(async {
        let ended = Rc::new(Cell::new(false));
        let h = sleeper(&ended);
        yield_now().await;
        let scope = timeout_scope(Some(Duration::from_millis(5)));
        assert!(scope.run(h).await.is_err());
        assert!(ended.get(), "ended before run returned");
    })
    .unwrap();
}

#[test]
fn a_handle_held_but_never_awaited_detaches_when_its_owner_is_aborted() {
    run(async {
        let ended = Rc::new(Cell::new(false));
        let e = ended.clone();
        let child_id = Rc::new(Cell::new(None));
        let c = child_id.clone();
        let owner = spawn(async move {
            let held = sleeper(&e);
            c.set(Some(held.id()));
            sleep(Duration::from_secs(600)).await;
            drop(held);
        });
        yield_now().await;
        owner.abort();
        assert!(owner.await.unwrap_err().is_cancelled());
        yield_now().await;
        assert!(
            alive(child_id.get().unwrap()),
            "asyncio cancels only what a task awaits"
        );
        assert!(!ended.get());
    })
    .unwrap();
}
