//! `JoinHandle::abort_on_drop`: the asyncio behaviour where a cancelled
//! `wait_for` or `gather` cancels what it waited on.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use ringio_runtime::task::gather_all;
use ringio_runtime::time::{sleep, timeout};
use ringio_runtime::{run, spawn, yield_now};

struct SetOnDrop(Rc<Cell<u32>>);
impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

fn sleeper(dropped: &Rc<Cell<u32>>) -> ringio_runtime::JoinHandle<()> {
    let guard = SetOnDrop(dropped.clone());
    spawn(async move {
        let _g = guard;
        sleep(Duration::from_secs(600)).await;
    })
}

#[test]
fn a_timed_out_wait_cancels_the_task_it_waited_on() {
    let dropped = Rc::new(Cell::new(0));
    run({
        let dropped = dropped.clone();
        async move {
            let h = sleeper(&dropped);
            let r = timeout(Duration::from_millis(5), h.abort_on_drop()).await;
            assert!(r.is_err());
            yield_now().await;
            assert_eq!(dropped.get(), 1, "the task was cancelled with the wait");
            // A plain handle detaches instead (tokio's behaviour).
            let h = sleeper(&dropped);
            assert!(timeout(Duration::from_millis(5), h).await.is_err());
            yield_now().await;
            assert_eq!(dropped.get(), 1, "the detached task still runs");
        }
    })
    .unwrap();
}

#[test]
fn a_dropped_gather_cancels_its_tasks_and_detach_keeps_them() {
    let dropped = Rc::new(Cell::new(0));
    run({
        let dropped = dropped.clone();
        async move {
            let handles: Vec<_> = (0..3).map(|_| sleeper(&dropped).abort_on_drop()).collect();
            let r = timeout(Duration::from_millis(5), gather_all(handles)).await;
            assert!(r.is_err());
            yield_now().await;
            assert_eq!(dropped.get(), 3);
            let kept = sleeper(&dropped).abort_on_drop().detach();
            yield_now().await;
            assert!(!kept.is_finished());
            let done = spawn(async { 7 }).abort_on_drop();
            assert_eq!(done.await.unwrap(), 7);
        }
    })
    .unwrap();
}
