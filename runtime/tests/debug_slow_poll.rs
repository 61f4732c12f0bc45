//! Debug mode names the task whose poll held the loop too long (once per
//! slow poll, with its spawn location), stays quiet when off, is turned on
//! by RINGIO_DEBUG=1, warns about an operation in flight too long, and
//! lists the tasks it cancels when the loop closes. Checked on the stderr
//! of a child process, where the default report goes.

#[path = "support/reexec.rs"]
mod reexec;

use std::time::Duration;

use ringio_runtime::task::Builder as TaskBuilder;
use ringio_runtime::time::sleep;
use ringio_runtime::{Builder, Runtime};

const CHILD: &str = "RINGIO_DEBUG_TEST_CHILD";

/// Two tasks: `blocker` holds the loop 300 ms in one poll, `polite` sleeps.
/// Prints the blocker's spawn line on stdout.
fn blocker_and_polite(rt: Runtime) {
    rt.block_on(async {
        let line = line!() + 3;
        let blocker = TaskBuilder::new()
            .name("blocker")
            .spawn(async { std::thread::sleep(Duration::from_millis(300)) })
            .unwrap();
        let polite = TaskBuilder::new()
            .name("polite")
            .spawn(sleep(Duration::from_millis(300)))
            .unwrap();
        blocker.await.unwrap();
        polite.await.unwrap();
        eprintln!("blocker spawned at line {line}");
    })
    .unwrap();
}

fn spawn_line(stderr: &str) -> String {
    let l = stderr
        .lines()
        .find_map(|l| l.strip_prefix("blocker spawned at line "))
        .expect("the child printed the line");
    format!("{}:{l}:", file!())
}

#[test]
fn a_slow_poll_is_reported_once_naming_the_task() {
    let Some(stderr) =
        reexec::child_stderr(CHILD, "a_slow_poll_is_reported_once_naming_the_task", &[])
    else {
        let rt = Builder::new()
            .debug(true)
            .slow_poll_threshold(Duration::from_millis(100))
            .build()
            .unwrap();
        blocker_and_polite(rt);
        return;
    };
    // Exactly one report names the blocker. (The polite task is not
    // checked: on a loaded machine one of its polls may be descheduled
    // past the threshold, and would rightly be reported.)
    let slow = reexec::reports(&stderr, "slow poll: task 'blocker'");
    assert_eq!(slow.len(), 1, "{stderr}");
    assert!(slow[0].contains(&spawn_line(&stderr)), "{stderr}");
    let ms: u64 = slow[0]
        .split(" held the loop for ")
        .nth(1)
        .and_then(|r| r.split(" ms").next())
        .and_then(|n| n.parse().ok())
        .expect("the poll's duration");
    assert!(ms >= 300, "{}", slow[0]);
    assert!(slow[0].contains("threshold 100 ms"), "{}", slow[0]);
}

#[test]
fn without_debug_mode_nothing_is_reported() {
    let Some(stderr) = reexec::child_stderr(CHILD, "without_debug_mode_nothing_is_reported", &[])
    else {
        blocker_and_polite(Runtime::new().unwrap());
        return;
    };
    assert!(reexec::reports(&stderr, "").is_empty(), "{stderr}");
}

#[test]
fn ringio_debug_1_turns_debug_mode_on() {
    let Some(stderr) = reexec::child_stderr(
        CHILD,
        "ringio_debug_1_turns_debug_mode_on",
        &[("RINGIO_DEBUG", "1")],
    ) else {
        blocker_and_polite(Runtime::new().unwrap());
        return;
    };
    let slow = reexec::reports(&stderr, "slow poll: task 'blocker'");
    assert_eq!(slow.len(), 1, "{stderr}");
    // The default threshold.
    assert!(slow[0].contains("threshold 100 ms"), "{}", slow[0]);
}

#[test]
fn an_old_operation_is_reported_once_with_its_task() {
    let Some(stderr) = reexec::child_stderr(
        CHILD,
        "an_old_operation_is_reported_once_with_its_task",
        &[],
    ) else {
        let rt = Builder::new()
            .debug(true)
            .op_age_warning(Duration::from_millis(100))
            .build()
            .unwrap();
        rt.block_on(async {
            let (r, w) = ringio_runtime::pipe::pipe().unwrap();
            let reader = TaskBuilder::new()
                .name("patient-reader")
                .spawn(async move { r.read(vec![0u8; 8]).await.0.unwrap() })
                .unwrap();
            sleep(Duration::from_millis(500)).await;
            w.write_all(b"late".to_vec()).await.0.unwrap();
            assert_eq!(reader.await.unwrap(), 4);
        })
        .unwrap();
        return;
    };
    let old = reexec::reports(&stderr, "slow operation");
    assert_eq!(old.len(), 1, "{stderr}");
    assert!(old[0].contains("slow operation: read"), "{}", old[0]);
    assert!(old[0].contains("task 'patient-reader'"), "{}", old[0]);
}

#[test]
fn closing_lists_the_cancelled_tasks() {
    let Some(stderr) = reexec::child_stderr(CHILD, "closing_lists_the_cancelled_tasks", &[]) else {
        let rt = Builder::new().debug(true).build().unwrap();
        rt.block_on(async {
            drop(
                TaskBuilder::new()
                    .name("left-behind")
                    .spawn(sleep(Duration::from_secs(60))),
            );
            drop(
                TaskBuilder::new()
                    .name("also-left")
                    .spawn(sleep(Duration::from_secs(60))),
            );
            sleep(Duration::from_millis(5)).await;
        })
        .unwrap();
        drop(rt);
        return;
    };
    let closing = reexec::reports(&stderr, "loop closing");
    assert_eq!(closing.len(), 1, "{stderr}");
    assert!(
        closing[0].contains("cancelling 2 pending tasks"),
        "{stderr}"
    );
    assert!(stderr.contains("\n  task 'left-behind' (id "), "{stderr}");
    assert!(stderr.contains("\n  task 'also-left' (id "), "{stderr}");
    // The debug mode's own SIGUSR1 task is not listed.
    assert!(!stderr.contains("ringio-debug-sigusr1"), "{stderr}");
}
