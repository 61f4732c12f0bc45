//! A task's panic that nobody can retrieve any more is reported exactly
//! once, naming the task and its spawn location; a retrieved one is not
//! reported. The default report (no hook, no tracing subscriber) goes to
//! stderr, checked in a child process (this test binary run again).

use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ringio_runtime::task::Builder;
use ringio_runtime::time::sleep;
use ringio_runtime::unhandled::{UnhandledError, UnhandledKind};
use ringio_runtime::{spawn, Runtime};

type Seen = Arc<Mutex<Vec<UnhandledError>>>;

fn runtime_with_hook() -> (Runtime, Seen) {
    let seen: Seen = Arc::default();
    let sink = seen.clone();
    let rt = Runtime::builder()
        .on_unhandled_error(move |e| sink.lock().unwrap().push(e.clone()))
        .build()
        .unwrap();
    (rt, seen)
}

#[test]
fn a_detached_tasks_panic_is_reported_once_with_name_and_location() {
    let (rt, seen) = runtime_with_hook();
    let line = rt
        .block_on(async {
            let line = line!() + 3;
            let handle = Builder::new()
                .name("detached-worker")
                .spawn(async { panic!("lost panic") })
                .unwrap();
            drop(handle);
            sleep(Duration::from_millis(10)).await;
            line
        })
        .unwrap();
    drop(rt);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "{seen:?}");
    let e = &seen[0];
    assert_eq!(e.kind(), UnhandledKind::Panic);
    assert_eq!(e.message(), "lost panic");
    let task = e.task().unwrap();
    assert_eq!(task.name, "detached-worker");
    assert_eq!(
        (task.location.file(), task.location.line()),
        (file!(), line)
    );
    let text = e.to_string();
    assert!(text.contains("'detached-worker'"), "{text}");
    assert!(text.contains(&format!("{}:{line}", file!())), "{text}");
}

#[test]
fn a_handle_dropped_after_the_panic_without_taking_it_reports_once() {
    let (rt, seen) = runtime_with_hook();
    rt.block_on(async {
        let handle = spawn(async { panic!("never read") });
        sleep(Duration::from_millis(10)).await;
        assert!(handle.is_finished());
        assert!(
            seen.lock().unwrap().is_empty(),
            "reported while still retrievable"
        );
        drop(handle);
    })
    .unwrap();
    drop(rt);
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[test]
fn a_retrieved_panic_and_a_cancelled_task_are_not_reported() {
    let (rt, seen) = runtime_with_hook();
    rt.block_on(async {
        let err = spawn(async { panic!("retrieved") }).await.unwrap_err();
        assert!(err.is_panic());
        let long = spawn(sleep(Duration::from_secs(10)));
        long.abort();
        assert!(long.await.unwrap_err().is_cancelled());
        // A detached task still running at shutdown is cancelled, not failed.
        drop(spawn(sleep(Duration::from_secs(10))));
    })
    .unwrap();
    drop(rt);
    assert!(
        seen.lock().unwrap().is_empty(),
        "{:?}",
        seen.lock().unwrap()
    );
}

#[test]
fn report_unhandled_names_the_current_task() {
    let (rt, seen) = runtime_with_hook();
    rt.block_on(async {
        Builder::new()
            .name("reporter")
            .spawn(async {
                ringio_runtime::unhandled::report_unhandled(UnhandledKind::Error, "disk full");
            })
            .unwrap()
            .await
            .unwrap();
    })
    .unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].kind(), UnhandledKind::Error);
    assert_eq!(seen[0].task().unwrap().name, "reporter");
    assert!(seen[0].to_string().ends_with("disk full"));
}

/// The child's body: one detached panic and one retrieved one, default report.
fn child_body() {
    ringio_runtime::run(async {
        drop(
            Builder::new()
                .name("stderr-lost")
                .spawn(async { panic!("to stderr") }),
        );
        let _ = Builder::new()
            .name("stderr-kept")
            .spawn(async { panic!("retrieved") })
            .unwrap()
            .await;
        sleep(Duration::from_millis(10)).await;
    })
    .unwrap();
}

#[test]
fn without_hook_or_subscriber_the_report_goes_to_stderr_once() {
    if std::env::var_os("RINGIO_UNHANDLED_CHILD").is_some() {
        child_body();
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "without_hook_or_subscriber_the_report_goes_to_stderr_once",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("RINGIO_UNHANDLED_CHILD", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child failed: {stderr}");
    let reports: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("ringio error:"))
        .collect();
    assert_eq!(reports.len(), 1, "{stderr}");
    assert!(reports[0].contains("'stderr-lost'"), "{}", reports[0]);
    assert!(reports[0].contains(file!()), "{}", reports[0]);
    assert!(reports[0].ends_with("to stderr"), "{}", reports[0]);
}

#[test]
fn a_fallible_tasks_unread_err_is_reported_once_and_a_read_one_not() {
    let (rt, seen) = runtime_with_hook();
    rt.block_on(async {
        drop(
            Builder::new()
                .name("lost-err")
                .spawn_fallible(async { Err::<u8, _>("disk gone") })
                .unwrap(),
        );
        let dropped_late =
            ringio_runtime::task::spawn_fallible(async { Err::<u8, _>("late drop") });
        let read = ringio_runtime::task::spawn_fallible(async { Err::<u8, _>("read") });
        let ok = ringio_runtime::task::spawn_fallible(async { Ok::<u8, &str>(1) });
        // A plain spawn's Err is its output like any other: not inspected.
        drop(spawn(async { Err::<u8, _>("plain") }));
        sleep(Duration::from_millis(10)).await;
        assert_eq!(read.await.unwrap(), Err("read"));
        drop(ok);
        drop(dropped_late);
    })
    .unwrap();
    drop(rt);
    let seen = seen.lock().unwrap();
    let messages: Vec<&str> = seen.iter().map(|e| e.message()).collect();
    assert_eq!(messages, ["disk gone", "late drop"], "{seen:?}");
    assert!(seen.iter().all(|e| e.kind() == UnhandledKind::Error));
    assert_eq!(seen[0].task().unwrap().name, "lost-err");
}
