//! A waker or a `JoinHandle` that outlives its runtime does not keep the
//! loop's eventfd open: the loop closes it when it shuts down, and a late
//! wake does nothing. (One test in this binary: it counts the process's fds.)

use std::future::poll_fn;
use std::task::{Poll, Waker};

use ringio_runtime::Runtime;

fn eventfds() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|target| target.to_string_lossy().contains("eventfd"))
        .count()
}

#[test]
fn wakers_and_handles_that_outlive_the_loop_do_not_keep_its_eventfd() {
    let before = eventfds();
    let mut kept_wakers: Vec<Waker> = Vec::new();
    let mut kept_handles = Vec::new();
    for _ in 0..20 {
        let rt = Runtime::new().unwrap();
        let task = rt.spawn(std::future::pending::<()>());
        let (main_waker, task_waker) = rt
            .block_on(async {
                // A task's waker, cloned out of the task.
                let task_waker =
                    ringio_runtime::spawn(poll_fn(|cx| Poll::Ready(cx.waker().clone())))
                        .await
                        .unwrap();
                let main_waker = poll_fn(|cx| Poll::Ready(cx.waker().clone())).await;
                (main_waker, task_waker)
            })
            .unwrap();
        assert_eq!(eventfds(), before + 1, "the loop's own eventfd is open");
        kept_wakers.push(main_waker);
        kept_wakers.push(task_waker);
        // A handle kept past the loop (or forgotten) holds its task's
        // reference until the end.
        kept_handles.push(task);
        drop(rt);
    }
    assert_eq!(
        eventfds(),
        before,
        "no eventfd outlives its loop (20 loops with leaked wakers and handles)"
    );
    // Late wakes, from this thread and another, do nothing and do not fail.
    let other: Vec<Waker> = kept_wakers.iter().take(10).cloned().collect();
    std::thread::spawn(move || other.into_iter().for_each(Waker::wake))
        .join()
        .unwrap();
    for w in kept_wakers {
        w.wake();
    }
    drop(kept_handles);
    assert_eq!(eventfds(), before);
}
