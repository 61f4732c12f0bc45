//! The loop's metrics move as the work they count happens: tasks and
//! polls, parks and busy time, operations per opcode, the blocking pool,
//! and the per-loop view of run_per_thread.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use ringio_runtime::metrics::{self, RuntimeMetrics};
use ringio_runtime::pipe::pipe;
use ringio_runtime::time::sleep;
use ringio_runtime::{run, spawn, spawn_blocking, yield_now, Builder, Runtime};

#[test]
fn tasks_spawned_polls_and_alive_tasks_move() {
    run(async {
        let before = metrics::current().unwrap();
        assert_eq!(before.loops, 1);
        let handles: Vec<_> = (0..10)
            .map(|_| {
                spawn(async {
                    yield_now().await;
                    sleep(Duration::from_millis(20)).await;
                })
            })
            .collect();
        yield_now().await;
        let during = metrics::current().unwrap();
        assert_eq!(during.spawned_tasks - before.spawned_tasks, 10);
        assert_eq!(during.alive_tasks, before.alive_tasks + 10);
        for h in handles {
            h.await.unwrap();
        }
        let after = metrics::current().unwrap();
        assert_eq!(after.alive_tasks, before.alive_tasks);
        // Each task: a first poll, one after its yield, one after its sleep.
        assert!(after.polls - before.polls >= 30, "{after}");
        // The loop parked while every task slept.
        assert!(after.parks > before.parks, "{after}");
    })
    .unwrap();
}

#[test]
fn busy_time_counts_work_and_not_parks() {
    let rt = Runtime::new().unwrap();
    let wall = Instant::now();
    rt.block_on(async {
        sleep(Duration::from_millis(100)).await;
        spawn(async {
            let spin = Instant::now();
            while spin.elapsed() < Duration::from_millis(50) {}
        })
        .await
        .unwrap();
    })
    .unwrap();
    let wall = wall.elapsed();
    let m = rt.metrics();
    assert!(m.busy_time >= Duration::from_millis(50), "{m}");
    // The 100 ms parked are not busy (generous: the machine is loaded).
    assert!(
        m.busy_time + Duration::from_millis(60) < wall,
        "{m} wall {wall:?}"
    );
}

#[test]
fn operations_are_counted_per_opcode_and_complete() {
    run(async {
        let before = metrics::current().unwrap();
        let (r, w) = pipe().unwrap();
        let reader = spawn(async move { r.read(vec![0u8; 16]).await.0.unwrap() });
        yield_now().await;
        yield_now().await;
        // The read is in the kernel, waiting for bytes.
        let mid = metrics::current().unwrap();
        assert_eq!(mid.ops_in_flight, before.ops_in_flight + 1, "{mid}");
        let read_mid = mid.opcode("read").unwrap();
        assert_eq!(read_mid.in_flight(), 1, "{mid}");
        w.write_all(b"hello".to_vec()).await.0.unwrap();
        assert_eq!(reader.await.unwrap(), 5);
        let after = metrics::current().unwrap();
        assert_eq!(after.ops_in_flight, before.ops_in_flight, "{after}");
        let read = after.opcode("read").unwrap();
        assert_eq!(read.submitted, read.completed);
        assert!(read.submitted >= 1);
        assert!(after.opcode("write").unwrap().completed >= 1, "{after}");
        assert!(after.ops_submitted >= before.ops_submitted + 2);
        assert_eq!(
            after.ops_completed,
            after.ops_submitted - after.ops_in_flight
        );
    })
    .unwrap();
}

#[test]
fn blocking_pool_threads_and_queue_depth_are_gauges() {
    let rt = Builder::new().max_blocking_threads(1).build().unwrap();
    rt.block_on(async {
        let gate = Arc::new(Barrier::new(2));
        let g = gate.clone();
        let first = spawn_blocking(move || {
            g.wait();
        });
        let second = spawn_blocking(|| ());
        // The one thread takes the first job (it then waits at the gate)
        // and the second waits in the queue.
        let start = Instant::now();
        let mut m = metrics::current().unwrap();
        while m.blocking_queue_depth != 1 && start.elapsed() < Duration::from_secs(10) {
            sleep(Duration::from_millis(1)).await;
            m = metrics::current().unwrap();
        }
        assert_eq!(m.blocking_threads, 1, "{m}");
        assert_eq!(m.blocking_queue_depth, 1, "{m}");
        gate.wait();
        first.await.unwrap();
        second.await.unwrap();
        assert_eq!(metrics::current().unwrap().blocking_queue_depth, 0);
    })
    .unwrap();
}

#[test]
fn per_loop_gives_each_loop_of_run_per_thread_and_their_sum() {
    let done = AtomicBool::new(false);
    let ready = Barrier::new(3);
    let views = ringio_runtime::run_per_thread(3, |i| {
        let (done, ready) = (&done, &ready);
        async move {
            for _ in 0..=i {
                spawn(async {}).await.unwrap();
            }
            ready.wait();
            if i != 0 {
                // Keep this loop running until loop 0 has read every loop.
                while !done.load(Ordering::Acquire) {
                    sleep(Duration::from_millis(2)).await;
                }
                return Vec::new();
            }
            let all = metrics::per_loop().await;
            done.store(true, Ordering::Release);
            all
        }
    })
    .unwrap();
    let all = &views[0];
    assert_eq!(all.len(), 3, "{all:?}");
    // Loop i spawned i + 1 tasks (beside whatever each loop spawns for
    // itself, the same on every loop).
    let base = all[0].spawned_tasks - 1;
    for (i, m) in all.iter().enumerate() {
        assert_eq!(m.spawned_tasks - base, i as u64 + 1, "loop {i}: {m}");
    }
    // Loop 0 saw itself through its own snapshot, the others through theirs.
    let sum = RuntimeMetrics::sum(all);
    assert_eq!(sum.loops, 3);
    assert_eq!(sum.spawned_tasks, 3 * base + 6);
}

#[test]
fn outside_a_loop_there_are_no_metrics() {
    assert!(metrics::current().is_none());
}
