//! abort() drops the task at its next suspension point and reports Cancelled.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ringio_runtime::time::sleep;
use ringio_runtime::{run, spawn, yield_now};

struct SetOnDrop(Rc<Cell<bool>>);
impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[test]
fn abort_runs_destructors_and_reports_cancelled() {
    let dropped = Rc::new(Cell::new(false));
    run({
        let dropped = dropped.clone();
        async move {
            let h = spawn(async move {
                let _guard = SetOnDrop(dropped);
                sleep(Duration::from_secs(600)).await;
                "never"
            });
            yield_now().await;
            h.abort();
            let err = h.await.unwrap_err();
            assert!(err.is_cancelled());
            assert!(!err.is_panic());
        }
    })
    .unwrap();
    assert!(dropped.get());
}

#[test]
fn abort_before_first_poll_never_runs_the_body() {
    let ran = Rc::new(Cell::new(false));
    run({
        let ran = ran.clone();
        async move {
            let h = spawn(async move { ran.set(true) });
            h.abort();
            assert!(h.await.unwrap_err().is_cancelled());
        }
    })
    .unwrap();
    assert!(!ran.get());
}

#[test]
fn abort_after_completion_keeps_the_result() {
    run(async {
        let h = spawn(async { 7 });
        yield_now().await;
        yield_now().await;
        assert!(h.is_finished());
        h.abort();
        assert_eq!(h.await.unwrap(), 7);
    })
    .unwrap();
}

#[test]
fn abort_handle_works_from_another_thread() {
    let stopped = Arc::new(AtomicBool::new(false));
    run(async {
        let h = spawn(async {
            sleep(Duration::from_secs(600)).await;
        });
        let abort = h.abort_handle();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            abort.abort();
        });
        let err = ringio_runtime::time::timeout(Duration::from_secs(5), h)
            .await
            .expect("the remote abort must wake the loop")
            .unwrap_err();
        assert!(err.is_cancelled());
        t.join().unwrap();
        stopped.store(true, Ordering::SeqCst);
    })
    .unwrap();
    assert!(stopped.load(Ordering::SeqCst));
}

#[test]
fn a_task_can_abort_itself() {
    run(async {
        let slot: Rc<Cell<Option<ringio_runtime::task::AbortHandle>>> = Rc::new(Cell::new(None));
        let h = spawn({
            let slot = slot.clone();
            async move {
                yield_now().await;
                if let Some(me) = slot.take() {
                    me.abort();
                }
                yield_now().await;
                "not reached"
            }
        });
        slot.set(Some(h.abort_handle()));
        assert!(h.await.unwrap_err().is_cancelled());
    })
    .unwrap();
}
