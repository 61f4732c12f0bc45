//! Cross-thread wake storms: tasks of one loop woken from other threads
//! through ringio's sync primitives (a bounded `Queue` fed by producer
//! threads that run loops of their own, a `Semaphore` ping-pong between
//! two loops) and aborted through `AbortHandle`s used on another thread.
//! A lost wake-up shows as a hang (bounded by timeouts); a lost item or
//! abort, as a count.

use std::cell::Cell;
use std::io;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use ringio::sync::{Queue, Semaphore};
use ringio::task::AbortHandle;
use ringio::time::{sleep, timeout, Instant};
use ringio::Runtime;

use crate::{Figure, Outcome, Scale};

const PRODUCERS: usize = 2;
const CONSUMERS: usize = 4;

fn thread_loop<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> std::thread::JoinHandle<T> {
    std::thread::spawn(f)
}

/// Items through a bounded queue from producer threads to consumer tasks:
/// (received, expected sum matched, seconds).
fn queue_storm(per_producer: u64) -> io::Result<(u64, bool, f64)> {
    let q = Arc::new(Queue::<u64>::new(64));
    let producers: Vec<_> = (0..PRODUCERS as u64)
        .map(|p| {
            let q = q.clone();
            thread_loop(move || {
                Runtime::new()?.block_on(async move {
                    for i in 0..per_producer {
                        if q.put(p * per_producer + i).await.is_err() {
                            break;
                        }
                    }
                })?;
                Ok::<_, ringio::RuntimeError>(())
            })
        })
        .collect();
    let total = PRODUCERS as u64 * per_producer;
    let start = Instant::now();
    let (count, sum) = ringio::run({
        let q = q.clone();
        async move {
            let count = Rc::new(Cell::new(0u64));
            let sum = Rc::new(Cell::new(0u64));
            for _ in 0..CONSUMERS {
                let (q, count, sum) = (q.clone(), count.clone(), sum.clone());
                ringio::spawn(async move {
                    while let Ok(v) = q.get().await {
                        count.set(count.get() + 1);
                        sum.set(sum.get().wrapping_add(v));
                    }
                });
            }
            let mut last = (0, Instant::now());
            while count.get() < total {
                sleep(Duration::from_millis(5)).await;
                if count.get() != last.0 {
                    last = (count.get(), Instant::now());
                } else if last.1.elapsed() > Duration::from_secs(10) {
                    break; // no progress for 10 s: a lost wake-up
                }
            }
            q.shutdown(true);
            (count.get(), sum.get())
        }
    })?;
    for p in producers {
        p.join()
            .map_err(|_| io::Error::other("a producer thread panicked"))?
            .map_err(io::Error::other)?;
    }
    let expected_sum = (0..total).fold(0u64, |a, v| a.wrapping_add(v));
    Ok((count, sum == expected_sum, start.elapsed().as_secs_f64()))
}

/// Tasks aborted from another thread: (cancelled, destructors run, seconds).
fn abort_storm(n: usize) -> io::Result<(usize, usize, f64)> {
    ringio::run(async move {
        let dropped = Arc::new(AtomicUsize::new(0));
        struct Guard(Arc<AtomicUsize>);
        impl Drop for Guard {
            fn drop(&mut self) {
                self.0.fetch_add(1, Ordering::Relaxed);
            }
        }
        let mut joins = Vec::with_capacity(n);
        let mut aborts: Vec<AbortHandle> = Vec::with_capacity(n);
        for _ in 0..n {
            let g = Guard(dropped.clone());
            let j = ringio::spawn(async move {
                let _g = g;
                std::future::pending::<()>().await
            });
            aborts.push(j.abort_handle());
            joins.push(j);
        }
        ringio::yield_now().await;
        let (tx, rx) = mpsc::channel::<Vec<AbortHandle>>();
        let t = std::thread::spawn(move || {
            if let Ok(handles) = rx.recv() {
                for h in handles {
                    h.abort();
                }
            }
        });
        let start = Instant::now();
        tx.send(aborts).map_err(io::Error::other)?;
        let mut cancelled = 0;
        for j in joins {
            if let Ok(Err(e)) = timeout(Duration::from_secs(10), j).await {
                cancelled += usize::from(e.is_cancelled());
            }
        }
        let took = start.elapsed().as_secs_f64();
        t.join()
            .map_err(|_| io::Error::other("the aborting thread panicked"))?;
        Ok((cancelled, dropped.load(Ordering::Relaxed), took))
    })?
}

/// Semaphore ping-pong between two loops: (round trips, seconds).
fn ping_pong(rounds: usize) -> io::Result<(usize, f64)> {
    let ping = Arc::new(Semaphore::new(0));
    let pong = Arc::new(Semaphore::new(0));
    let other = {
        let (ping, pong) = (ping.clone(), pong.clone());
        thread_loop(move || {
            Runtime::new()?.block_on(async move {
                for _ in 0..rounds {
                    match timeout(Duration::from_secs(10), ping.acquire()).await {
                        Ok(p) => p.forget(),
                        Err(_) => return,
                    }
                    pong.add_permits(1);
                }
            })?;
            Ok::<_, ringio::RuntimeError>(())
        })
    };
    let start = Instant::now();
    let done = ringio::run(async move {
        for i in 0..rounds {
            ping.add_permits(1);
            match timeout(Duration::from_secs(10), pong.acquire()).await {
                Ok(p) => p.forget(),
                Err(_) => return i,
            }
        }
        rounds
    })?;
    let took = start.elapsed().as_secs_f64();
    other
        .join()
        .map_err(|_| io::Error::other("the ping-pong thread panicked"))?
        .map_err(io::Error::other)?;
    Ok((done, took))
}

/// Runs the wake storm scenario.
pub fn run(scale: Scale) -> Outcome {
    let per_producer: u64 = scale.pick(100_000, 1_000_000);
    let aborts: usize = scale.pick(10_000, 100_000);
    let rounds: usize = scale.pick(20_000, 200_000);
    let (count, sum_ok, q_secs) = queue_storm(per_producer)?;
    let total = PRODUCERS as u64 * per_producer;
    let (cancelled, dropped, a_secs) = abort_storm(aborts)?;
    let (done, p_secs) = ping_pong(rounds)?;
    Ok(vec![
        Figure::new(
            "wake_storm_queue_lost",
            total - count,
            format!(
                "of {total} items from {PRODUCERS} threads lost ({:.0} items/s{})",
                count as f64 / q_secs,
                if sum_ok { "" } else { ", contents wrong" }
            ),
            "limit 0",
            count == total && sum_ok,
        ),
        Figure::new(
            "wake_storm_abort_lost",
            aborts - cancelled.min(dropped),
            format!(
                "of {aborts} tasks aborted from another thread not cancelled or not dropped ({:.1} ms for all)",
                a_secs * 1000.0
            ),
            "limit 0",
            cancelled == aborts && dropped == aborts,
        ),
        Figure::new(
            "wake_storm_ping_pong",
            format!("{:.0}", done as f64 / p_secs),
            format!("round trips/s between two loops ({done} of {rounds} done)"),
            format!("all {rounds} done"),
            done == rounds,
        ),
    ])
}
