//! `task::dump()` lists every live task with its state, age and spawn
//! location (and, in debug mode, the operation it waits on); debug mode
//! prints one on SIGUSR1.

#[path = "support/reexec.rs"]
mod reexec;

use std::time::{Duration, Instant};

use ringio_runtime::task::{dump, Builder as TaskBuilder, TaskState, WaitingOn};
use ringio_runtime::time::sleep;
use ringio_runtime::{yield_now, Builder};

#[test]
fn a_dump_lists_a_known_set_of_tasks_with_their_states() {
    ringio_runtime::run(async {
        let line = line!() + 3;
        let sleeper = TaskBuilder::new()
            .name("sleeper")
            .spawn(sleep(Duration::from_secs(30)))
            .unwrap();
        let doomed = TaskBuilder::new()
            .name("doomed")
            .spawn(sleep(Duration::from_secs(30)))
            .unwrap();
        let looker = TaskBuilder::new()
            .name("looker")
            .spawn(async { dump() })
            .unwrap();
        // Let sleeper and doomed reach their sleep; looker runs and dumps.
        sleep(Duration::from_millis(20)).await;
        let from_inside = looker.await.unwrap();
        // The looker saw itself running and the others waiting.
        assert_eq!(
            from_inside.find("looker").unwrap().state,
            TaskState::Running
        );
        assert_eq!(
            from_inside.find("sleeper").unwrap().state,
            TaskState::Waiting
        );

        doomed.abort();
        let fresh = TaskBuilder::new().name("fresh").spawn(async {}).unwrap();
        let d = dump();
        // (The future given to run may be a task itself, named "main".)
        let names: Vec<&str> = d
            .tasks
            .iter()
            .map(|t| t.task.name.as_str())
            .filter(|n| *n != "main")
            .collect();
        assert_eq!(names, ["sleeper", "doomed", "fresh"], "{d}");
        let s = d.find("sleeper").unwrap();
        assert_eq!(s.state, TaskState::Waiting);
        // Its sleep's timer, known in every mode.
        match s.waiting_on.as_slice() {
            [WaitingOn::Timer { deadline }] => {
                let left = deadline.saturating_duration_since(Instant::now());
                assert!(
                    left > Duration::from_secs(20) && left <= Duration::from_secs(30),
                    "{d}"
                );
            }
            other => panic!("sleeper waits on {other:?}"),
        }
        assert_eq!(s.task.id, sleeper.id());
        assert_eq!(
            (s.task.location.file(), s.task.location.line()),
            (file!(), line)
        );
        assert!(s.age >= Duration::from_millis(10), "{d}");
        assert!(s.age < Duration::from_secs(10), "{d}");
        assert_eq!(d.find("doomed").unwrap().state, TaskState::Cancelling);
        assert_eq!(d.find("fresh").unwrap().state, TaskState::Scheduled);
        assert!(!d.operations_known);
        let text = d.to_string();
        assert!(
            text.starts_with(&format!("{} live tasks", d.tasks.len())),
            "{text}"
        );
        assert_eq!(
            text.lines().filter(|l| l.starts_with("  task '")).count(),
            d.tasks.len()
        );
        assert!(text.contains("task 'sleeper' (id "), "{text}");
        assert!(text.contains(": Waiting, age "), "{text}");
        assert!(text.contains(", waits on a timer due in "), "{text}");
        fresh.await.unwrap();
        sleeper.abort();
    })
    .unwrap();
}

#[test]
fn in_debug_mode_a_dump_shows_the_operation_a_task_waits_on() {
    let rt = Builder::new().debug(true).build().unwrap();
    rt.block_on(async {
        let (r, w) = ringio_runtime::pipe::pipe().unwrap();
        let reader = TaskBuilder::new()
            .name("reader")
            .spawn(async move { r.read(vec![0u8; 8]).await.0.unwrap() })
            .unwrap();
        sleep(Duration::from_millis(20)).await;
        let d = dump();
        assert!(d.operations_known);
        let t = d.find("reader").unwrap();
        assert_eq!(t.state, TaskState::Waiting);
        match t.waiting_on.as_slice() {
            [WaitingOn::Operation { name, age }] => {
                assert_eq!(*name, "read");
                assert!(*age >= Duration::from_millis(10), "{d}");
            }
            other => panic!("reader waits on {other:?}"),
        }
        assert!(d.to_string().contains(", waits on read for "), "{d}");
        w.write_all(b"x".to_vec()).await.0.unwrap();
        reader.await.unwrap();
    })
    .unwrap();
}

#[test]
fn debug_mode_prints_a_dump_on_sigusr1() {
    let Some(stderr) = reexec::child_stderr(
        "RINGIO_DUMP_TEST_CHILD",
        "debug_mode_prints_a_dump_on_sigusr1",
        &[],
    ) else {
        let rt = Builder::new().debug(true).build().unwrap();
        rt.block_on(async {
            let worker = TaskBuilder::new()
                .name("busy-worker")
                .spawn(sleep(Duration::from_secs(30)))
                .unwrap();
            // Let the dump task arm its signalfd.
            for _ in 0..10 {
                yield_now().await;
            }
            sleep(Duration::from_millis(10)).await;
            // raise() sends to this thread, the loop's, where SIGUSR1 is
            // blocked and read by the signalfd.
            // SAFETY: raise has no memory-safety preconditions.
            assert_eq!(unsafe { libc::raise(libc::SIGUSR1) }, 0);
            sleep(Duration::from_millis(100)).await;
            worker.abort();
        })
        .unwrap();
        return;
    };
    let dumps = reexec::reports(&stderr, "task dump on SIGUSR1");
    assert_eq!(dumps.len(), 1, "{stderr}");
    assert!(stderr.contains("\n  task 'busy-worker' (id "), "{stderr}");
    assert!(stderr.contains("task 'ringio-debug-sigusr1'"), "{stderr}");
}
