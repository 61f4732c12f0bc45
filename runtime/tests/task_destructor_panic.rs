//! A panic in a task's destructor is never lost: during `abort()` or loop
//! shutdown it is the task's result (`JoinError::Panic`, with its message),
//! and in a `TaskGroup` it reaches the group's error, whether it comes from
//! a cancelled child or from the body being dropped.

use std::time::Duration;

use ringio_runtime::task::{Failure, TaskGroup};
use ringio_runtime::time::sleep;
use ringio_runtime::{run, spawn, yield_now, Runtime};

/// Panics with `msg` when dropped.
struct PanicOnDrop(&'static str);
impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        panic!("{}", self.0);
    }
}

#[test]
fn abort_reports_a_destructor_panic_as_panic_with_its_message() {
    run(async {
        let h = spawn(async {
            let _guard = PanicOnDrop("cleanup failed");
            sleep(Duration::from_secs(600)).await;
        });
        yield_now().await;
        h.abort();
        let err = h.await.unwrap_err();
        assert!(err.is_panic(), "got {err:?}");
        assert_eq!(err.panic_message(), Some("cleanup failed"));
        // The loop goes on.
        sleep(Duration::from_millis(1)).await;
    })
    .unwrap();
}

#[test]
fn loop_shutdown_reports_a_destructor_panic_through_the_handle() {
    let rt = Runtime::new().unwrap();
    let h = rt.spawn(async {
        let _guard = PanicOnDrop("cleanup at shutdown");
        sleep(Duration::from_secs(600)).await;
    });
    rt.block_on(yield_now()).unwrap();
    drop(rt);
    assert!(h.is_finished());
    // Read the output on a new loop of this thread (the handle is !Send).
    let err = ringio_runtime::run(h).unwrap().unwrap_err();
    assert_eq!(err.panic_message(), Some("cleanup at shutdown"));
}

#[test]
fn a_cancelled_childs_cleanup_panic_reaches_the_group_error() {
    run(async {
        let res = TaskGroup::<String>::run(|tg| async move {
            tg.spawn(async {
                let _guard = PanicOnDrop("child cleanup");
                sleep(Duration::from_secs(600)).await;
                Ok(())
            })?;
            tg.spawn(async {
                sleep(Duration::from_millis(2)).await;
                Err::<(), _>("first failure".to_string())
            })?;
            Ok(())
        })
        .await;
        let err = res.unwrap_err();
        let failures: Vec<String> = err
            .failures()
            .iter()
            .map(|f| match f {
                Failure::Error(e) => format!("error: {e}"),
                Failure::Panic(_) => format!("panic: {}", f.panic_message().unwrap_or("?")),
            })
            .collect();
        assert_eq!(failures, ["error: first failure", "panic: child cleanup"]);
    })
    .unwrap();
}

#[test]
fn a_panic_while_the_body_is_dropped_keeps_the_errors_collected() {
    run(async {
        let res = TaskGroup::<String>::run(|tg| async move {
            let _guard = PanicOnDrop("body cleanup");
            tg.spawn(async { Err::<(), _>("child failed".to_string()) })?;
            sleep(Duration::from_secs(600)).await;
            Ok(())
        })
        .await;
        let err = res.unwrap_err();
        let errors: Vec<&String> = err.errors().collect();
        assert_eq!(errors, ["child failed"]);
        let panics: Vec<&str> = err
            .failures()
            .iter()
            .filter_map(|f| f.panic_message())
            .collect();
        assert_eq!(panics, ["body cleanup"]);
    })
    .unwrap();
}
