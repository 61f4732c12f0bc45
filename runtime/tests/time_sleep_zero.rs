//! `sleep(Duration::ZERO)` yields, as asyncio's `sleep(0)`: two tasks that
//! each sleep(0) in a loop alternate step for step.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use ringio_runtime::time::sleep;
use ringio_runtime::{run, spawn};

#[test]
fn sleep_zero_gives_the_other_tasks_a_turn() {
    let log = Rc::new(RefCell::new(Vec::new()));
    run({
        let log = log.clone();
        async move {
            let tasks: Vec<_> = ["a", "b"]
                .into_iter()
                .map(|name| {
                    let log = log.clone();
                    spawn(async move {
                        for i in 0..3 {
                            log.borrow_mut().push(format!("{name}{i}"));
                            sleep(Duration::ZERO).await;
                        }
                    })
                })
                .collect();
            for t in tasks {
                t.await.unwrap();
            }
        }
    })
    .unwrap();
    assert_eq!(*log.borrow(), ["a0", "b0", "a1", "b1", "a2", "b2"]);
}
