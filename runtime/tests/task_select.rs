//! select!, select2 and race: first wins, losers are dropped.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use ringio_runtime::task::{race, select2, Either};
use ringio_runtime::time::sleep;
use ringio_runtime::{run, select};

struct SetOnDrop(Rc<Cell<bool>>);
impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[test]
fn select_runs_the_first_branch_to_finish_and_drops_the_others() {
    let dropped = Rc::new(Cell::new(false));
    run({
        let dropped = dropped.clone();
        async move {
            let loser = async move {
                let _g = SetOnDrop(dropped);
                sleep(Duration::from_secs(600)).await;
                1
            };
            let r = select! {
                v = loser => v * 10,
                v = async { sleep(Duration::from_millis(5)).await; 2 } => v * 100,
                (a, b) = async { sleep(Duration::from_millis(50)).await; (1, 2) } => a + b,
            };
            assert_eq!(r, 200);
        }
    })
    .unwrap();
    assert!(dropped.get());
}

#[test]
fn select_is_biased_to_the_first_ready_branch() {
    run(async {
        let r = select! {
            a = async { "first" } => a,
            b = async { "second" } => b,
        };
        assert_eq!(r, "first");
    })
    .unwrap();
}

#[test]
fn select_branch_can_use_control_flow() {
    let r: Result<u32, String> = run(async {
        let mut n = 0;
        loop {
            select! {
                _ = sleep(Duration::from_millis(1)) => {
                    n += 1;
                    if n == 3 { break; }
                    continue
                },
                _ = sleep(Duration::from_secs(600)) => return Err("timer".to_string()),
            }
        }
        Ok(n)
    })
    .unwrap();
    assert_eq!(r, Ok(3));
}

#[test]
fn select_with_one_branch() {
    run(async {
        let r = select! { v = async { 9 } => v + 1 };
        assert_eq!(r, 10);
    })
    .unwrap();
}

#[test]
fn select2_and_race() {
    run(async {
        match select2(sleep(Duration::from_millis(30)), async { 5 }).await {
            Either::Right(5) => {}
            other => panic!("{other:?}"),
        }
        let r = race([50u64, 5, 20].map(|ms| async move {
            sleep(Duration::from_millis(ms)).await;
            ms
        }))
        .await;
        assert_eq!(r, Some((1, 5)));
        assert_eq!(race(Vec::<std::future::Ready<u8>>::new()).await, None);
    })
    .unwrap();
}
