//! asyncio.run semantics: remaining tasks are cancelled when the main future
//! ends; dropping a runtime with operations in flight cancels and drains them.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use ringio_runtime::pipe::pipe;
use ringio_runtime::time::sleep;
use ringio_runtime::{run, spawn, Runtime, RuntimeError};

struct SetOnDrop(Rc<Cell<u32>>);
impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn run_cancels_remaining_tasks_when_main_returns() {
    let dropped = Rc::new(Cell::new(0));
    let start = Instant::now();
    let v = run({
        let dropped = dropped.clone();
        async move {
            for _ in 0..10 {
                let guard = SetOnDrop(dropped.clone());
                spawn(async move {
                    let _g = guard;
                    sleep(Duration::from_secs(600)).await;
                });
            }
            sleep(Duration::from_millis(5)).await;
            "main done"
        }
    })
    .unwrap();
    assert_eq!(v, "main done");
    assert_eq!(dropped.get(), 10, "every pending task was dropped");
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn dropping_the_runtime_with_reads_in_flight_drains_them() {
    let rt = Runtime::new().unwrap();
    let dropped = Rc::new(Cell::new(0));
    let mut writers = Vec::new();
    for _ in 0..16 {
        // One pipe per read: reads on one pipe take turns.
        let (reader, writer) = pipe().unwrap();
        writers.push(writer);
        let guard = SetOnDrop(dropped.clone());
        rt.spawn(async move {
            let _g = guard;
            let (res, _buf) = reader.read(vec![0u8; 1 << 16]).await;
            res.map(|_| ())
        });
    }
    // Let the reads reach the kernel.
    rt.block_on(sleep(Duration::from_millis(10))).unwrap();
    assert_eq!(rt.ops_in_flight(), 16);
    let start = Instant::now();
    drop(rt);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "shutdown must not hang"
    );
    assert_eq!(dropped.get(), 16);
}

#[test]
fn join_handles_of_a_dropped_runtime_say_cancelled() {
    let rt = Runtime::new().unwrap();
    let h = rt.spawn(async {
        sleep(Duration::from_secs(600)).await;
        1
    });
    rt.block_on(sleep(Duration::from_millis(1))).unwrap();
    drop(rt);
    assert!(h.is_finished());
    let rt2 = Runtime::new().unwrap();
    assert!(rt2.block_on(h).unwrap().unwrap_err().is_cancelled());
}

#[test]
fn run_inside_a_running_loop_is_an_error_not_a_deadlock() {
    run(async {
        let err = run(async { 1 }).unwrap_err();
        assert!(matches!(err, RuntimeError::AlreadyRunning));
        assert!(err.to_string().contains("inside a running one"), "{err}");
        let rt = Runtime::new().unwrap();
        assert!(matches!(
            rt.block_on(async {}),
            Err(RuntimeError::AlreadyRunning)
        ));
    })
    .unwrap();
}

#[test]
fn the_loop_can_be_driven_by_hand_repeatedly() {
    let rt = Runtime::new().unwrap();
    let counter = Rc::new(Cell::new(0));
    let bg = rt.spawn({
        let counter = counter.clone();
        async move {
            for _ in 0..3 {
                counter.set(counter.get() + 1);
                sleep(Duration::from_millis(2)).await;
            }
        }
    });
    rt.block_on(sleep(Duration::from_millis(1))).unwrap();
    assert!(counter.get() >= 1);
    rt.block_on(bg).unwrap().unwrap();
    assert_eq!(counter.get(), 3);
    assert_eq!(rt.block_on(async { 9 }).unwrap(), 9);
}

#[test]
fn builder_rejects_bad_sizes_with_clear_errors() {
    let err = Runtime::builder().entries(0).build().unwrap_err();
    assert!(
        err.to_string().contains("ring entries must be 1..=32768"),
        "{err}"
    );
    let err = Runtime::builder()
        .entries(64)
        .cq_entries(8)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("cq_entries"), "{err}");
    let err = Runtime::builder()
        .max_blocking_threads(0)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("max_blocking_threads"), "{err}");
}
