//! spawn_blocking runs closures on a bounded pool whose idle threads exit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ringio_runtime::time::sleep;
use ringio_runtime::{spawn_blocking, Runtime};

#[test]
fn result_and_panic_come_back_through_the_handle() {
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        let tid = std::thread::current().id();
        let other = spawn_blocking(move || std::thread::current().id() != tid);
        assert!(other.await.unwrap(), "ran on a pool thread");
        let err = spawn_blocking(|| -> u32 { panic!("blocking boom") })
            .await
            .unwrap_err();
        assert!(err.is_panic());
        assert_eq!(err.panic_message(), Some("blocking boom"));
    })
    .unwrap();
}

#[test]
fn threads_are_bounded_and_idle_ones_exit() {
    let rt = Runtime::builder()
        .max_blocking_threads(2)
        .blocking_keep_alive(Duration::from_millis(50))
        .build()
        .unwrap();
    let running = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    rt.block_on(async {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let running = running.clone();
                let peak = peak.clone();
                spawn_blocking(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(10));
                    running.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for h in handles {
            h.await.unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2, "two threads, both used");
        assert!(rt.blocking_threads() <= 2);
        let deadline = Instant::now() + Duration::from_secs(3);
        while rt.blocking_threads() > 0 && Instant::now() < deadline {
            sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(
            rt.blocking_threads(),
            0,
            "idle threads exit after keep-alive"
        );
    })
    .unwrap();
}

#[test]
fn blocking_work_does_not_stall_the_loop() {
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        let slow = spawn_blocking(|| std::thread::sleep(Duration::from_millis(100)));
        let start = Instant::now();
        sleep(Duration::from_millis(5)).await;
        assert!(start.elapsed() < Duration::from_millis(80));
        slow.await.unwrap();
    })
    .unwrap();
}
