//! asyncio's `call_soon_threadsafe` and `run_coroutine_threadsafe` through a
//! `LoopHandle` used from other threads.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use ringio_runtime::task::current_task;
use ringio_runtime::time::sleep;
use ringio_runtime::{run, spawn_blocking, LoopClosed, LoopHandle, Runtime};

#[test]
fn call_soon_threadsafe_runs_callbacks_on_the_loop_thread_in_order() {
    let (tx, rx) = mpsc::channel();
    let loop_thread = std::thread::current().id();
    run(async move {
        let lh = LoopHandle::current().unwrap();
        let t = std::thread::spawn(move || {
            for i in 0..100 {
                let tx = tx.clone();
                lh.call_soon_threadsafe(move || {
                    tx.send((i, std::thread::current().id())).unwrap();
                })
                .unwrap();
            }
        });
        let got = spawn_blocking(move || {
            t.join().unwrap();
            (0..100)
                .map(|_| rx.recv_timeout(Duration::from_secs(5)).unwrap())
                .collect::<Vec<_>>()
        })
        .await
        .unwrap();
        let order: Vec<i32> = got.iter().map(|(i, _)| *i).collect();
        assert_eq!(order, (0..100).collect::<Vec<_>>());
        assert!(got.iter().all(|(_, th)| *th == loop_thread));
    })
    .unwrap();
}

#[test]
fn a_parked_loop_wakes_for_a_callback_from_another_thread() {
    let rt = Runtime::new().unwrap();
    let lh = rt.loop_handle();
    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    rt.block_on(async move {
        let sleeper = ringio_runtime::spawn(sleep(Duration::from_secs(600)));
        let abort = sleeper.abort_handle();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            // Runs on the loop thread, which is parked in the ring.
            lh.call_soon_threadsafe(move || {
                tx.send(std::thread::current().id()).unwrap();
                abort.abort();
            })
            .unwrap();
        });
        assert!(sleeper.await.unwrap_err().is_cancelled());
    })
    .unwrap();
    assert_eq!(rx.try_recv().unwrap(), std::thread::current().id());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn spawn_from_another_thread_returns_the_result_awaited_or_blocked_on() {
    run(async {
        let lh = LoopHandle::current().unwrap();
        let blocked = std::thread::spawn({
            let lh = lh.clone();
            move || {
                lh.spawn_with(|| async {
                    sleep(Duration::from_millis(10)).await;
                    current_task().map(|t| t.name).unwrap_or_default().len() + 40
                })
                .unwrap()
                .blocking_join()
                .unwrap()
            }
        });
        // Awaited on the loop itself (any executor can await it).
        let awaited = lh.spawn(async { "awaited" }).unwrap().await.unwrap();
        assert_eq!(awaited, "awaited");
        let blocked = spawn_blocking(move || blocked.join().unwrap())
            .await
            .unwrap();
        assert!(blocked > 40, "ran as a task of the loop: {blocked}");
    })
    .unwrap();
}

#[test]
fn a_remote_task_can_be_aborted_and_reports_panics() {
    run(async {
        let lh = LoopHandle::current().unwrap();
        let (h_abort, h_panic) = spawn_blocking(move || {
            let long = lh.spawn_with(|| sleep(Duration::from_secs(600))).unwrap();
            long.abort();
            let bad = lh.spawn(async { panic!("remote boom") }).unwrap();
            (long.blocking_join(), bad.blocking_join())
        })
        .await
        .unwrap();
        assert!(matches!(&h_abort, Err(e) if e.is_cancelled()));
        assert_eq!(h_panic.unwrap_err().panic_message(), Some("remote boom"));
    })
    .unwrap();
}

#[test]
fn after_shutdown_calls_fail_and_pending_results_are_cancelled() {
    let rt = Runtime::new().unwrap();
    let lh = rt.loop_handle();
    let ran = Arc::new(AtomicUsize::new(0));
    let pending = lh.spawn_with(|| sleep(Duration::from_secs(600))).unwrap();
    let queued = {
        let ran = ran.clone();
        lh.call_soon_threadsafe(move || {
            ran.fetch_add(1, Ordering::SeqCst);
        })
    };
    assert!(queued.is_ok());
    drop(rt);
    // The queued callback was dropped unrun; the spawned future never ran.
    assert_eq!(ran.load(Ordering::SeqCst), 0);
    let joined = std::thread::spawn(move || pending.blocking_join())
        .join()
        .unwrap();
    assert!(matches!(&joined, Err(e) if e.is_cancelled()));
    assert_eq!(lh.call_soon_threadsafe(|| {}), Err(LoopClosed));
    assert!(lh.spawn(async {}).is_err());
}

#[test]
fn a_panicking_callback_is_contained_and_the_loop_goes_on() {
    let out = run(async {
        let lh = LoopHandle::current().unwrap();
        let (tx, rx) = mpsc::channel();
        lh.call_soon_threadsafe(|| panic!("callback boom")).unwrap();
        lh.call_soon_threadsafe(move || tx.send(7).unwrap())
            .unwrap();
        loop {
            if let Ok(v) = rx.try_recv() {
                break v;
            }
            sleep(Duration::from_millis(1)).await;
        }
    })
    .unwrap();
    assert_eq!(out, 7);
}
