//! sleep, timeout (asyncio's wait_for), nested timeouts and intervals.

use std::time::{Duration, Instant};

use ringio_runtime::time::{
    self, interval, sleep, sleep_until, timeout, timeout_at, MissedTickBehavior,
};
use ringio_runtime::{run, spawn};

#[test]
fn sleep_never_ends_early() {
    run(async {
        for ms in [1u64, 3, 10, 25] {
            let start = Instant::now();
            sleep(Duration::from_millis(ms)).await;
            assert!(start.elapsed() >= Duration::from_millis(ms), "{ms} ms");
        }
        let at = Instant::now() + Duration::from_millis(7);
        sleep_until(at).await;
        assert!(Instant::now() >= at);
    })
    .unwrap();
}

#[test]
fn concurrent_sleeps_overlap() {
    let took = run(async {
        let start = Instant::now();
        let a = spawn(sleep(Duration::from_millis(200)));
        let b = spawn(sleep(Duration::from_millis(400)));
        a.await.unwrap();
        b.await.unwrap();
        start.elapsed()
    })
    .unwrap();
    assert!(took >= Duration::from_millis(400));
    // One after the other would take 600 ms.
    assert!(took < Duration::from_millis(580), "{took:?}");
}

#[test]
fn timeout_returns_the_value_or_elapsed() {
    run(async {
        assert_eq!(timeout(Duration::from_secs(1), async { 5 }).await, Ok(5));
        let err = timeout(Duration::from_millis(10), sleep(Duration::from_secs(600)))
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "deadline has elapsed before the operation finished"
        );
        let io: std::io::Error = err.into();
        assert_eq!(io.kind(), std::io::ErrorKind::TimedOut);
        // A zero timeout still polls the future once.
        assert_eq!(timeout(Duration::ZERO, async { 1 }).await, Ok(1));
        assert!(timeout_at(Instant::now(), sleep(Duration::from_secs(1)))
            .await
            .is_err());
    })
    .unwrap();
}

#[test]
fn nested_timeouts_fire_the_shorter_one() {
    run(async {
        let start = Instant::now();
        // Inner is shorter: inner fires, outer succeeds with the inner error.
        let r = timeout(
            Duration::from_millis(2000),
            timeout(Duration::from_millis(20), sleep(Duration::from_secs(600))),
        )
        .await;
        assert!(matches!(r, Ok(Err(_))));
        assert!(start.elapsed() < Duration::from_millis(1000));

        // Outer is shorter: outer fires and drops the inner one.
        let start = Instant::now();
        let r = timeout(
            Duration::from_millis(20),
            timeout(Duration::from_millis(2000), sleep(Duration::from_secs(600))),
        )
        .await;
        assert!(r.is_err());
        assert!(start.elapsed() < Duration::from_millis(1000));

        // Both long enough: the value comes through both layers.
        let r = timeout(
            Duration::from_millis(500),
            timeout(Duration::from_millis(400), async {
                sleep(Duration::from_millis(5)).await;
                "done"
            }),
        )
        .await;
        assert_eq!(r, Ok(Ok("done")));
    })
    .unwrap();
}

#[test]
fn dropped_sleeps_leave_no_timer_behind() {
    run(async {
        for _ in 0..1000 {
            let _ = timeout(Duration::from_secs(60), async { 1 }).await;
        }
        // If the 1000 60-second timers had stayed, the loop would still be
        // fine, but this run returns at once only because nothing waits.
        let start = Instant::now();
        sleep(Duration::from_millis(1)).await;
        assert!(start.elapsed() < Duration::from_secs(1));
    })
    .unwrap();
}

#[test]
fn interval_ticks_on_schedule_and_bursts_after_a_stall() {
    run(async {
        let start = Instant::now();
        let mut iv = interval(Duration::from_millis(10)).unwrap();
        let first = iv.tick().await;
        // At once: a first tick that waited would take the 10 ms period.
        assert!(first.duration_since(start) < Duration::from_millis(9));
        let second = iv.tick().await;
        assert_eq!(second - first, Duration::from_millis(10));
        // Stall 35 ms: Burst fires the missed ticks back to back.
        std::thread::sleep(Duration::from_millis(35));
        let t0 = Instant::now();
        for _ in 0..3 {
            iv.tick().await;
        }
        assert!(
            t0.elapsed() < Duration::from_millis(9),
            "burst ticks should not wait"
        );
        assert!(interval(Duration::ZERO).is_err());
    })
    .unwrap();
}

#[test]
fn interval_skip_and_delay_drop_missed_ticks() {
    run(async {
        for behavior in [MissedTickBehavior::Skip, MissedTickBehavior::Delay] {
            let mut iv = interval(Duration::from_millis(10)).unwrap();
            iv.set_missed_tick_behavior(behavior);
            let start = iv.tick().await;
            std::thread::sleep(Duration::from_millis(35));
            iv.tick().await; // the late one fires at once
            let late_at = Instant::now();
            let next = iv.tick().await; // the next one waits again
            let waited = Instant::now() - late_at;
            match behavior {
                // Back on the schedule: the first multiple of the period
                // after the stall (40 ms), not a burst of the missed ones.
                MissedTickBehavior::Skip => {
                    assert!(next - start >= Duration::from_millis(40), "{behavior:?}");
                    assert!(Instant::now() - start >= Duration::from_millis(40));
                }
                // A whole period (10 ms) after the late tick; a burst
                // would not wait at all. 5 ms leaves room for a loaded CPU
                // between the tick and the clock read after it.
                _ => assert!(waited >= Duration::from_millis(5), "{behavior:?}"),
            }
        }
        let _ = time::Duration::ZERO;
    })
    .unwrap();
}
