//! gather!, try_gather!, gather_all, try_gather_all: results in argument
//! order, concurrency, and cancellation of the rest on the first error.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

use ringio_runtime::task::{gather_all, try_gather_all};
use ringio_runtime::time::sleep;
use ringio_runtime::{gather, run, spawn, try_gather};

struct SetOnDrop(Rc<Cell<bool>>);
impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

async fn after<T>(ms: u64, value: T, log: &RefCell<Vec<&'static str>>, name: &'static str) -> T {
    sleep(Duration::from_millis(ms)).await;
    log.borrow_mut().push(name);
    value
}

#[test]
fn gather_returns_results_in_argument_order_and_runs_concurrently() {
    let log = RefCell::new(Vec::new());
    let (took, out) = run(async {
        let start = Instant::now();
        let out = gather!(
            after(300, 1u8, &log, "slow"),
            after(100, "two", &log, "fast"),
            after(200, 3.0f64, &log, "mid"),
        )
        .await;
        (start.elapsed(), out)
    })
    .unwrap();
    assert_eq!(out, (1, "two", 3.0));
    assert_eq!(*log.borrow(), ["fast", "mid", "slow"]);
    assert!(took >= Duration::from_millis(300), "{took:?}");
    // One after another would take 600 ms.
    assert!(
        took < Duration::from_millis(550),
        "ran one after another: {took:?}"
    );
}

#[test]
fn gather_of_tasks_gives_each_join_result() {
    run(async {
        let (a, b) = gather!(
            spawn(async { 1 }),
            spawn(async {
                panic!("task b failed");
            }),
        )
        .await;
        assert_eq!(a.unwrap(), 1);
        let b: Result<(), _> = b;
        assert_eq!(b.unwrap_err().panic_message(), Some("task b failed"));
    })
    .unwrap();
}

#[test]
fn gather_of_one_and_of_twelve() {
    run(async {
        assert_eq!(gather!(async { 5 }).await, (5,));
        let t = gather!(
            async { 1 },
            async { 2 },
            async { 3 },
            async { 4 },
            async { 5 },
            async { 6 },
            async { 7 },
            async { 8 },
            async { 9 },
            async { 10 },
            async { 11 },
            async { 12 }
        )
        .await;
        assert_eq!(t, (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
    })
    .unwrap();
}

#[test]
fn try_gather_returns_the_first_error_and_drops_the_rest() {
    let dropped = Rc::new(Cell::new(false));
    let finished = Rc::new(Cell::new(false));
    let took = run({
        let (dropped, finished) = (dropped.clone(), finished.clone());
        async move {
            let start = Instant::now();
            let slow = async move {
                let _guard = SetOnDrop(dropped);
                sleep(Duration::from_secs(600)).await;
                finished.set(true);
                Ok::<u32, String>(0)
            };
            let failing = async {
                sleep(Duration::from_millis(10)).await;
                Err::<u32, String>("first".into())
            };
            let later = async {
                sleep(Duration::from_secs(2)).await;
                Err::<u32, String>("second".into())
            };
            let r = try_gather!(slow, failing, later).await;
            assert_eq!(r, Err("first".to_string()));
            start.elapsed()
        }
    })
    .unwrap();
    assert!(dropped.get(), "the still-running future was not dropped");
    assert!(!finished.get());
    // Not waiting for `later` (2 s), let alone `slow`.
    assert!(took < Duration::from_secs(1), "{took:?}");
}

#[test]
fn try_gather_all_ok_keeps_order() {
    run(async {
        let r = try_gather_all((0..5u64).map(|i| async move {
            sleep(Duration::from_millis(25 - 5 * i)).await;
            Ok::<_, ()>(i)
        }))
        .await;
        assert_eq!(r, Ok(vec![0, 1, 2, 3, 4]));
    })
    .unwrap();
}

#[test]
fn try_gather_all_error_drops_the_others_at_once() {
    let drops = Rc::new(Cell::new(0));
    run({
        let drops = drops.clone();
        async move {
            let futs = (0..4u64).map(|i| {
                let drops = drops.clone();
                async move {
                    struct Count(Rc<Cell<u32>>);
                    impl Drop for Count {
                        fn drop(&mut self) {
                            self.0.set(self.0.get() + 1);
                        }
                    }
                    let _c = Count(drops);
                    if i == 2 {
                        sleep(Duration::from_millis(5)).await;
                        return Err(i);
                    }
                    sleep(Duration::from_secs(600)).await;
                    Ok(i)
                }
            });
            let fut = try_gather_all(futs);
            assert_eq!(fut.await, Err(2));
        }
    })
    .unwrap();
    assert_eq!(drops.get(), 4);
}

#[test]
fn gather_all_orders_results_and_handles_empty() {
    run(async {
        let empty: Vec<u8> = gather_all(Vec::<std::future::Ready<u8>>::new()).await;
        assert!(empty.is_empty());
        let handles: Vec<_> = (0..50u64)
            .map(|i| {
                spawn(async move {
                    sleep(Duration::from_millis(50 - i)).await;
                    i
                })
            })
            .collect();
        let results: Vec<u64> = gather_all(handles)
            .await
            .into_iter()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(results, (0..50).collect::<Vec<_>>());
    })
    .unwrap();
}

#[test]
fn gather_borrows_from_the_caller() {
    run(async {
        let words = ["a".to_string(), "b".to_string()];
        let lens = gather_all(words.iter().map(|w| async move { w.len() })).await;
        assert_eq!(lens, [1, 1]);
        assert_eq!(words.len(), 2);
    })
    .unwrap();
}
