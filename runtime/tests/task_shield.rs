//! shield(): the work goes on when its awaiter is dropped.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use ringio_runtime::task::shield;
use ringio_runtime::time::{sleep, timeout};
use ringio_runtime::{run, spawn, yield_now};

#[test]
fn dropped_shield_keeps_the_work_running() {
    let done = Rc::new(Cell::new(false));
    run({
        let done = done.clone();
        async move {
            let work = shield(async move {
                sleep(Duration::from_millis(30)).await;
                done.set(true);
                7
            });
            assert!(timeout(Duration::from_millis(5), work).await.is_err());
            sleep(Duration::from_millis(60)).await;
        }
    })
    .unwrap();
    assert!(done.get());
}

#[test]
fn aborting_the_awaiting_task_does_not_cancel_shielded_work() {
    let done = Rc::new(Cell::new(false));
    run({
        let done = done.clone();
        async move {
            let outer = spawn(async move {
                shield(async move {
                    sleep(Duration::from_millis(20)).await;
                    done.set(true);
                })
                .await
            });
            yield_now().await;
            outer.abort();
            assert!(outer.await.unwrap_err().is_cancelled());
            sleep(Duration::from_millis(50)).await;
        }
    })
    .unwrap();
    assert!(done.get());
}

#[test]
fn awaited_shield_gives_the_output() {
    run(async {
        let s = shield(async { "value" });
        let id = s.id();
        assert!(id.as_u64() > 0);
        assert_eq!(s.await.unwrap(), "value");
        let p = shield(async {
            if true {
                panic!("inside");
            }
        });
        let err: ringio_runtime::JoinError = p.await.unwrap_err();
        assert!(err.is_panic());
    })
    .unwrap();
}
