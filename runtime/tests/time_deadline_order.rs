//! Timers due together fire in deadline order (ties in creation order),
//! however late the loop is: sleeping tasks resume, and `call_at` callbacks
//! run, in the order of their deadlines, also after the loop thread was
//! blocked and many timers expired at once.

use std::cell::RefCell;
use std::future::pending;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;
use std::time::{Duration, Instant};

use ringio_runtime::task::{wait, ReturnWhen};
use ringio_runtime::time::{sleep, sleep_until, timeout_at};
use ringio_runtime::{call_at, run, spawn};

const TIMERS: usize = 2_000;
/// Distinct deadlines `STEP` apart: 2,000 of them cover 50 ms.
const STEP: Duration = Duration::from_micros(25);

/// Offsets `0, STEP, 2 STEP, ...` in a fixed pseudo-random order.
fn shuffled_offsets(n: usize) -> Vec<Duration> {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut offsets: Vec<Duration> = (0..n as u32).map(|i| STEP * i).collect();
    for i in (1..n).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        offsets.swap(i, (seed % (i as u64 + 1)) as usize);
    }
    offsets
}

/// How far a run order strays from deadline order.
#[derive(Debug, Default)]
struct Disorder {
    /// Timers that ran after one with a later deadline.
    out_of_order: usize,
    /// Of those, how many by more than 1 ms.
    over_1ms: usize,
    /// The largest such gap.
    worst: Duration,
}

fn disorder(deadlines_in_run_order: &[Instant]) -> Disorder {
    let mut d = Disorder::default();
    let mut latest: Option<Instant> = None;
    for &t in deadlines_in_run_order {
        match latest {
            Some(l) if t < l => {
                d.out_of_order += 1;
                let gap = l - t;
                if gap > Duration::from_millis(1) {
                    d.over_1ms += 1;
                }
                d.worst = d.worst.max(gap);
            }
            _ => latest = Some(t),
        }
    }
    d
}

/// A timer-driven wait: `sleep_until` or a `timeout_at` that expires.
type Arm = fn(Instant) -> Pin<Box<dyn Future<Output = ()>>>;

fn arm_sleep(deadline: Instant) -> Pin<Box<dyn Future<Output = ()>>> {
    Box::pin(sleep_until(deadline))
}

fn arm_timeout(deadline: Instant) -> Pin<Box<dyn Future<Output = ()>>> {
    Box::pin(async move {
        let res = timeout_at(deadline, pending::<()>()).await;
        assert!(res.is_err());
    })
}

/// 2,000 tasks wait (`arm`) until distinct deadlines 20..70 ms ahead (in
/// levels 0 and 1 of the wheel); then one task blocks the loop thread for
/// `block`. Returns the deadlines in the order the waiters resumed, and how
/// many of them were overdue when the block ended (so expired together).
fn sleepers_after_block(block: Duration, arm: Arm) -> (Vec<Instant>, usize) {
    let resumed = Rc::new(RefCell::new(Vec::new()));
    let overdue = run({
        let resumed = resumed.clone();
        async move {
            // The wheel starts at tick 0: 40 ms in, deadlines 60..110 ms
            // straddle its 64 ms boundary, so some wait in level 1.
            sleep(Duration::from_millis(40)).await;
            let base = Instant::now() + Duration::from_millis(20);
            let sleepers: Vec<_> = shuffled_offsets(TIMERS)
                .into_iter()
                .map(|off| {
                    let resumed = resumed.clone();
                    let deadline = base + off;
                    spawn(async move {
                        let mut s = arm(deadline);
                        // A wait first polled after its deadline ends at
                        // once without a timer: only timers are checked.
                        let timer = poll_fn(|cx| Poll::Ready(s.as_mut().poll(cx).is_pending()));
                        if timer.await {
                            s.await;
                            resumed.borrow_mut().push(deadline);
                        }
                    })
                })
                .collect();
            // Spawned last, so it runs once every sleeper armed its timer.
            let blocked_until = spawn(async move {
                std::thread::sleep(block);
                Instant::now()
            })
            .await
            .unwrap();
            for s in sleepers {
                s.await.unwrap();
            }
            blocked_until
        }
    })
    .unwrap();
    let resumed = resumed.take();
    let overdue = resumed.iter().filter(|&&t| t <= overdue).count();
    (resumed, overdue)
}

fn check_sleepers(block: Duration, arm: Arm) {
    let (resumed, overdue) = sleepers_after_block(block, arm);
    let d = disorder(&resumed);
    eprintln!(
        "block {block:?}: {} timers, {overdue} overdue together; {d:?}",
        resumed.len()
    );
    assert!(
        resumed.len() >= TIMERS / 2 && overdue >= 100,
        "too few timers armed in time ({} of {TIMERS}, {overdue} overdue): machine too slow for this test",
        resumed.len()
    );
    assert_eq!(
        d.out_of_order, 0,
        "sleepers resumed out of deadline order: {d:?}"
    );
}

#[test]
fn sleepers_resume_in_deadline_order_after_a_30ms_block() {
    check_sleepers(Duration::from_millis(30), arm_sleep);
}

#[test]
fn timeouts_expire_in_deadline_order_after_a_30ms_block() {
    check_sleepers(Duration::from_millis(30), arm_timeout);
}

#[test]
fn sleepers_resume_in_deadline_order_after_a_300ms_block() {
    check_sleepers(Duration::from_millis(300), arm_sleep);
}

#[test]
fn call_at_within_one_tick_runs_in_deadline_order() {
    let ran = Rc::new(RefCell::new(Vec::new()));
    run({
        let ran = ran.clone();
        async move {
            let base = Instant::now() + Duration::from_millis(10);
            for i in 0..5u32 {
                let ran = ran.clone();
                call_at(base + Duration::from_micros(100) * i, move || {
                    ran.borrow_mut().push(i)
                });
            }
            sleep_until(base + Duration::from_millis(20)).await;
        }
    })
    .unwrap();
    assert_eq!(*ran.borrow(), vec![0, 1, 2, 3, 4]);
}

#[test]
fn wait_timeout_due_just_after_a_sleep_sees_the_task_done() {
    run(async {
        // Deadlines 10 us apart share a 1 ms tick nearly always; three
        // trials make a tick boundary between them all but impossible.
        for trial in 0..3 {
            let due = Instant::now() + Duration::from_millis(30);
            let sleeper = spawn(sleep_until(due));
            // Spawned after the sleeper: its timeout is armed after the
            // sleeper's timer, and due 10 us later.
            let waiter = spawn(async move {
                let timeout =
                    (due + Duration::from_micros(10)).saturating_duration_since(Instant::now());
                let (done, pending) =
                    wait([sleeper], ReturnWhen::AllCompleted, Some(timeout)).await;
                (done.len(), pending.len())
            });
            assert_eq!(
                waiter.await.unwrap(),
                (1, 0),
                "trial {trial}: the sleeper was due first"
            );
        }
    })
    .unwrap();
}

/// `call_at` for 2,000 distinct deadlines, then the calling task blocks
/// the loop thread for `block` before any callback could run.
fn check_callbacks(block: Duration) {
    let ran = Rc::new(RefCell::new(Vec::new()));
    run({
        let ran = ran.clone();
        async move {
            sleep(Duration::from_millis(40)).await;
            let base = Instant::now() + Duration::from_millis(10);
            for off in shuffled_offsets(TIMERS) {
                let ran = ran.clone();
                let when = base + off;
                call_at(when, move || ran.borrow_mut().push(when));
            }
            std::thread::sleep(block);
            let limit = Instant::now() + Duration::from_secs(10);
            while ran.borrow().len() < TIMERS && Instant::now() < limit {
                sleep(Duration::from_millis(5)).await;
            }
        }
    })
    .unwrap();
    let ran = ran.take();
    let d = disorder(&ran);
    eprintln!("call_at, block {block:?}: {} ran; {d:?}", ran.len());
    assert_eq!(ran.len(), TIMERS);
    assert_eq!(
        d.out_of_order, 0,
        "callbacks ran out of deadline order: {d:?}"
    );
}

#[test]
fn call_at_callbacks_run_in_deadline_order_after_a_30ms_block() {
    check_callbacks(Duration::from_millis(30));
}

#[test]
fn call_at_callbacks_run_in_deadline_order_after_a_300ms_block() {
    check_callbacks(Duration::from_millis(300));
}

#[test]
fn equal_deadlines_fire_in_creation_order() {
    let ran = Rc::new(RefCell::new(Vec::new()));
    run({
        let ran = ran.clone();
        async move {
            let at = Instant::now() + Duration::from_millis(10);
            // Sleepers, one group per deadline; the last group is overdue
            // when the loop comes back from a block.
            let late = at + Duration::from_millis(5);
            let mut sleepers = Vec::new();
            for (group, deadline) in [at, late].into_iter().enumerate() {
                for i in 0..50 {
                    let ran = ran.clone();
                    sleepers.push(spawn(async move {
                        sleep_until(deadline).await;
                        ran.borrow_mut().push(("sleep", group, i));
                    }));
                }
            }
            // Callbacks with the later deadline, in call order, made after
            // the sleepers armed their timers (a task spawned after them).
            let ran2 = ran.clone();
            spawn(async move {
                for i in 0..50 {
                    let ran = ran2.clone();
                    call_at(late, move || ran.borrow_mut().push(("call_at", 1, i)));
                }
            })
            .await
            .unwrap();
            sleep_until(at).await;
            std::thread::sleep(Duration::from_millis(30));
            sleep(Duration::from_millis(10)).await;
            for s in sleepers {
                s.await.unwrap();
            }
        }
    })
    .unwrap();
    let ran = ran.take();
    let mut expected: Vec<_> = (0..50).map(|i| ("sleep", 0, i)).collect();
    expected.extend((0..50).map(|i| ("sleep", 1, i)));
    expected.extend((0..50).map(|i| ("call_at", 1, i)));
    assert_eq!(ran, expected);
}
