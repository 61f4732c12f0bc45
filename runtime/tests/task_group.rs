//! TaskGroup: first failure cancels the rest and the body, all failures are
//! returned, spawning into an aborted group fails, manual aborts are fine.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

use ringio_runtime::task::{ChildError, Failure, SpawnError, TaskGroup};
use ringio_runtime::time::{sleep, sleep_until, timeout};
use ringio_runtime::{run, yield_now};

struct SetOnDrop(Rc<Cell<bool>>);
impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[test]
fn waits_for_all_children_and_returns_the_body_value() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let out = run({
        let log = log.clone();
        async move {
            let start = Instant::now();
            let r = TaskGroup::<String>::run(|tg| async move {
                for ms in [30u64, 10, 20] {
                    let log = log.clone();
                    tg.spawn(async move {
                        sleep(Duration::from_millis(ms)).await;
                        log.borrow_mut().push(ms);
                        Ok(())
                    })?;
                }
                Ok("body done")
            })
            .await;
            assert!(start.elapsed() >= Duration::from_millis(30));
            r
        }
    })
    .unwrap();
    assert_eq!(out.unwrap(), "body done");
    assert_eq!(*log.borrow(), [10, 20, 30]);
}

#[test]
fn child_results_are_available_through_handles() {
    run(async {
        let (a, b) = TaskGroup::<()>::run(|tg| async move {
            let a = tg.spawn(async { Ok(1) }).map_err(drop)?;
            let b = tg.spawn(async { Ok("two") }).map_err(drop)?;
            Ok::<_, ()>((a, b))
        })
        .await
        .unwrap();
        assert!(a.is_finished() && b.is_finished());
        assert_eq!(a.await, Ok(1));
        assert_eq!(b.await, Ok("two"));
    })
    .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn first_error_cancels_siblings_and_body_and_is_returned() {
    let sibling_dropped = Rc::new(Cell::new(false));
    let body_dropped = Rc::new(Cell::new(false));
    let body_finished = Rc::new(Cell::new(false));
    let took = run({
        let (sd, bd, bf) = (
            sibling_dropped.clone(),
            body_dropped.clone(),
            body_finished.clone(),
        );
        async move {
            let start = Instant::now();
            let r = TaskGroup::<String>::run(|tg| async move {
                let _g = SetOnDrop(bd);
                tg.spawn(async move {
                    let _g = SetOnDrop(sd);
                    sleep(Duration::from_secs(600)).await;
                    Ok(())
                })?;
                tg.spawn(async {
                    sleep(Duration::from_millis(10)).await;
                    Err::<(), _>("child failed".to_string())
                })?;
                sleep(Duration::from_secs(600)).await;
                bf.set(true);
                Ok(())
            })
            .await;
            let err = r.unwrap_err();
            assert_eq!(err.len(), 1);
            assert_eq!(err.errors().collect::<Vec<_>>(), ["child failed"]);
            assert_eq!(err.to_string(), "1 failure in a task group: child failed");
            start.elapsed()
        }
    })
    .unwrap();
    assert!(sibling_dropped.get(), "sibling not cancelled");
    assert!(body_dropped.get(), "body not cancelled");
    assert!(!body_finished.get());
    // Promptly: not the 600 s the others sleep.
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn all_errors_are_returned_in_order() {
    run(async {
        let r = TaskGroup::<u32>::run(|tg| async move {
            // Both wake on the same timer tick and fail in the same turn,
            // before the cancellation lands; the third is cancelled. The
            // deadlines are taken once, so a slow machine (valgrind) cannot
            // put the first two on different ticks.
            let now = Instant::now();
            for (ms, e) in [(10, 1u32), (10, 2), (300, 3)] {
                let deadline = now + Duration::from_millis(ms);
                tg.spawn(async move {
                    sleep_until(deadline).await;
                    Err::<(), _>(e)
                })
                .map_err(|_| 0u32)?;
            }
            Ok(())
        })
        .await;
        let err = r.unwrap_err();
        // Both, in the order they failed (the wheel may fire them either way).
        let mut errors: Vec<u32> = err.errors().copied().collect();
        errors.sort();
        assert_eq!(errors, [1, 2]);
    })
    .unwrap();
}

#[test]
fn body_error_cancels_children_and_joins_the_errors() {
    let child_dropped = Rc::new(Cell::new(false));
    run({
        let cd = child_dropped.clone();
        async move {
            let r = TaskGroup::<String>::run(|tg| async move {
                tg.spawn(async move {
                    let _g = SetOnDrop(cd);
                    sleep(Duration::from_secs(600)).await;
                    Ok(())
                })?;
                yield_now().await;
                Err::<(), _>("body failed".to_string())
            })
            .await;
            let err = r.unwrap_err();
            assert_eq!(err.errors().collect::<Vec<_>>(), ["body failed"]);
        }
    })
    .unwrap();
    assert!(child_dropped.get());
}

#[test]
fn child_panic_is_a_failure() {
    run(async {
        let r = TaskGroup::<String>::run(|tg| async move {
            let h = tg.spawn(async {
                yield_now().await;
                if true {
                    panic!("child panicked");
                }
                Ok(())
            })?;
            Ok(h)
        })
        .await;
        let err = r.unwrap_err();
        assert_eq!(err.len(), 1);
        match err.first() {
            Some(f @ Failure::Panic(_)) => assert_eq!(f.panic_message(), Some("child panicked")),
            other => panic!("expected a panic, got {other:?}"),
        }
    })
    .unwrap();
}

#[test]
fn spawning_into_an_aborted_group_is_an_error() {
    run(async {
        let refused = Rc::new(Cell::new(false));
        let refused2 = refused.clone();
        let r = TaskGroup::<String>::run(|tg| async move {
            let tg2 = tg.clone();
            let failing = tg.spawn(async { Err::<(), _>("x".to_string()) })?;
            // A sibling that tries to spawn after the failure (it runs in
            // the same turn, after the failing one, so it is not yet dropped).
            tg.spawn(async move {
                assert!(tg2.is_aborted());
                match tg2.spawn(async { Ok(()) }) {
                    Err(SpawnError::Aborted) => refused2.set(true),
                    other => panic!("spawn into an aborted group: {other:?}"),
                }
                Ok(())
            })?;
            drop(failing);
            sleep(Duration::from_secs(600)).await;
            Ok(())
        })
        .await;
        assert!(r.is_err());
        assert!(refused.get());
    })
    .unwrap();
}

#[test]
fn spawning_after_the_group_ended_is_an_error() {
    run(async {
        let tg = TaskGroup::<String>::run(|tg| async move { Ok(tg) })
            .await
            .unwrap();
        assert!(matches!(
            tg.spawn(async { Ok(()) }),
            Err(SpawnError::Closed)
        ));
    })
    .unwrap();
}

#[test]
fn a_child_aborted_by_hand_does_not_fail_the_group() {
    run(async {
        let r = TaskGroup::<String>::run(|tg| async move {
            let stuck = tg.spawn(async {
                sleep(Duration::from_secs(600)).await;
                Ok(1)
            })?;
            let fine = tg.spawn(async {
                sleep(Duration::from_millis(10)).await;
                Ok(2)
            })?;
            yield_now().await;
            stuck.abort();
            assert_eq!(stuck.await, Err(ChildError::Cancelled));
            Ok(fine)
        })
        .await;
        let fine = r.unwrap();
        assert_eq!(fine.await, Ok(2));
    })
    .unwrap();
}

#[test]
fn failed_child_handle_reports_failed() {
    run(async {
        let r = TaskGroup::<String>::run(|tg| async move {
            let h = tg.spawn(async { Err::<(), _>("no".to_string()) })?;
            assert_eq!(h.await, Err(ChildError::Failed));
            Ok(())
        })
        .await;
        assert!(r.is_err());
    })
    .unwrap();
}

#[test]
fn dropping_the_group_future_aborts_children() {
    let child_dropped = Rc::new(Cell::new(false));
    run({
        let cd = child_dropped.clone();
        async move {
            let group = TaskGroup::<String>::run(|tg| async move {
                // Made outside the child's body, so that it is dropped with
                // the child's future even if the abort lands before the
                // child's first poll (as under valgrind's slowdown).
                let guard = SetOnDrop(cd);
                tg.spawn(async move {
                    let _g = guard;
                    sleep(Duration::from_secs(600)).await;
                    Ok(())
                })?;
                Ok(())
            });
            assert!(timeout(Duration::from_millis(10), group).await.is_err());
            // The abort lands at the loop's next turn.
            yield_now().await;
            yield_now().await;
        }
    })
    .unwrap();
    assert!(child_dropped.get());
}

#[test]
fn children_can_spawn_siblings() {
    run(async {
        let count = Rc::new(Cell::new(0));
        let c = count.clone();
        TaskGroup::<String>::run(|tg| async move {
            let tg2 = tg.clone();
            tg.spawn(async move {
                for _ in 0..3 {
                    let c = c.clone();
                    tg2.spawn(async move {
                        sleep(Duration::from_millis(5)).await;
                        c.set(c.get() + 1);
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
            Ok(())
        })
        .await
        .unwrap();
        assert_eq!(count.get(), 3);
    })
    .unwrap();
}

#[test]
fn many_children_finish_quickly() {
    let start = Instant::now();
    let total = run(async {
        let sum = Rc::new(Cell::new(0u64));
        let s = sum.clone();
        TaskGroup::<String>::run(|tg| async move {
            for i in 0..5_000u64 {
                let s = s.clone();
                tg.spawn(async move {
                    yield_now().await;
                    s.set(s.get() + i);
                    Ok(())
                })?;
            }
            Ok(())
        })
        .await
        .unwrap();
        sum.get()
    })
    .unwrap();
    assert_eq!(total, (0..5_000u64).sum::<u64>());
    assert!(start.elapsed() < Duration::from_secs(5));
}
