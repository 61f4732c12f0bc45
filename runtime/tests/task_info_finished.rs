//! `TaskInfo::finished`: the tasks found with `all_tasks` can be awaited,
//! as asyncio's `loop.run_until_complete(gather(*all_tasks(loop)))` (seed
//! 001), whichever way they end.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use ringio::task::{all_tasks, current_task, gather_all, TaskInfo};
use ringio::time::{sleep, timeout};
use ringio::Runtime;

/// Awaits `fut` and says whether it ended well before 10 s (a missed
/// wake-up would leave it to the timeout's own wake).
async fn promptly<F: std::future::Future>(fut: F) -> bool {
    let start = Instant::now();
    timeout(Duration::from_secs(10), fut).await.is_ok() && start.elapsed() < Duration::from_secs(5)
}

/// The loop's tasks but the current one (the main future may be a task).
fn others() -> Vec<TaskInfo> {
    let me = current_task().map(|t| t.id);
    all_tasks()
        .into_iter()
        .filter(|t| Some(t.id) != me)
        .collect()
}

#[test]
fn gather_over_all_tasks_waits_for_every_task_of_the_loop() {
    let rt = Runtime::new().unwrap();
    let log = Rc::new(RefCell::new(Vec::new()));
    for (name, ms) in [("slow", 60u64), ("fast", 20)] {
        let log = log.clone();
        rt.spawn(async move {
            sleep(Duration::from_millis(ms)).await;
            log.borrow_mut().push(name);
        });
    }
    let tasks = rt.all_tasks();
    assert_eq!(tasks.len(), 2);
    let waited = rt.block_on(promptly(gather_all(tasks.iter().map(|t| t.finished()))));
    assert!(waited.unwrap(), "the gather did not see the tasks end");
    assert_eq!(*log.borrow(), ["fast", "slow"]);
    assert!(rt.all_tasks().is_empty());
}

#[test]
fn finished_resolves_for_an_aborted_and_a_panicked_task() {
    ringio::run(async {
        let sleeper = ringio::spawn(sleep(Duration::from_secs(600)));
        let panicker = ringio::spawn(async {
            sleep(Duration::from_millis(10)).await;
            panic!("boom");
        });
        let infos = others();
        assert_eq!(infos.len(), 2);
        sleeper.abort();
        let all = gather_all(infos.iter().map(|t| t.finished()));
        assert!(promptly(all).await);
        assert!(panicker.await.unwrap_err().is_panic());
    })
    .unwrap();
}

#[test]
fn finished_of_a_task_already_gone_is_ready_at_once() {
    ringio::run(async {
        let handle = ringio::spawn(async { 7 });
        let info = others().pop().unwrap();
        assert_eq!(handle.await.unwrap(), 7);
        assert_eq!(info.finished().id(), info.id);
        assert!(timeout(Duration::ZERO, info.finished()).await.is_ok());
    })
    .unwrap();
}

#[test]
fn a_finished_future_dropped_while_waiting_leaves_the_others_working() {
    ringio::run(async {
        ringio::spawn(sleep(Duration::from_millis(40)));
        let info = others().pop().unwrap();
        // Gives up first: its waiter is forgotten.
        assert!(timeout(Duration::from_millis(5), info.finished())
            .await
            .is_err());
        assert!(promptly(info.finished()).await);
    })
    .unwrap();
}
