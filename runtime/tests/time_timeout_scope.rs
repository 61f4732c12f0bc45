//! `TimeoutScope`: asyncio's `timeout()` context manager, with `when()`,
//! `reschedule()` and `expired()` usable from inside the work.

use std::time::{Duration, Instant};

use std::future::Future;

use ringio_runtime::time::{sleep, timeout, timeout_scope, timeout_scope_at};

/// Runs `f` on a loop, failing (not hanging) if it takes over 10 s.
fn run<F: Future<Output = ()>>(f: F) -> Result<(), ringio_runtime::RuntimeError> {
    ringio_runtime::run(async {
        timeout(Duration::from_secs(10), f)
            .await
            .expect("the scope missed a reschedule: hung for 10 s")
    })
}

#[test]
fn the_deadline_cuts_the_work_and_expired_says_so() {
    run(async {
        let scope = timeout_scope(Some(Duration::from_millis(10)));
        let when = scope.when().unwrap();
        assert!(when > Instant::now());
        let r = scope.run(sleep(Duration::from_secs(600))).await;
        assert!(r.is_err());
        assert!(scope.expired());
        assert!(Instant::now() >= when);
    })
    .unwrap();
}

#[test]
fn reschedule_from_inside_extends_or_shortens_the_deadline() {
    run(async {
        // Extended: the work outlives the first deadline and finishes.
        let scope = timeout_scope(Some(Duration::from_millis(10)));
        let inner = scope.clone();
        let out = scope
            .run(async move {
                inner.reschedule(Some(Instant::now() + Duration::from_secs(10)));
                sleep(Duration::from_millis(30)).await;
                7
            })
            .await;
        assert_eq!(out, Ok(7));
        assert!(!scope.expired());

        // Shortened while the work waits: it ends early.
        let scope = timeout_scope(Some(Duration::from_secs(600)));
        let inner = scope.clone();
        let started = Instant::now();
        let shortener = ringio_runtime::spawn(async move {
            sleep(Duration::from_millis(10)).await;
            inner.reschedule(Some(Instant::now() + Duration::from_millis(5)));
        });
        let r = scope.run(sleep(Duration::from_secs(600))).await;
        assert!(r.is_err());
        assert!(scope.expired());
        assert!(started.elapsed() < Duration::from_secs(5));
        shortener.await.unwrap();
    })
    .unwrap();
}

#[test]
fn no_deadline_until_one_is_set() {
    run(async {
        let scope = timeout_scope_at(None);
        assert_eq!(scope.when(), None);
        let inner = scope.clone();
        let setter = ringio_runtime::spawn(async move {
            sleep(Duration::from_millis(20)).await;
            inner.reschedule(Some(Instant::now()));
        });
        let r = scope.run(sleep(Duration::from_secs(600))).await;
        assert!(r.is_err(), "the deadline set later ended the work");
        setter.await.unwrap();

        // A scope whose deadline is removed lets the work finish.
        let scope = timeout_scope(Some(Duration::from_millis(5)));
        scope.reschedule(None);
        let out = scope.run(async {
            sleep(Duration::from_millis(20)).await;
            "finished"
        });
        assert_eq!(out.await, Ok("finished"));
        assert!(!scope.expired());
    })
    .unwrap();
}
