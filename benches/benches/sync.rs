//! ringio-sync beside tokio::sync and async-channel, in one process.
//!
//! ringio-sync is executor-agnostic, so both sides of every row run on the
//! same executor and only the primitives differ: a tokio current_thread
//! runtime for the single-thread rows, plain threads parking in a minimal
//! `block_on` for the multi-thread row.
//!
//! - uncontended lock/unlock: `Lock` vs `tokio::sync::Mutex`;
//! - uncontended acquire/release: `Semaphore` vs `tokio::sync::Semaphore`;
//! - wake-up ping-pong between two tasks: `Event` vs `tokio::sync::Notify`;
//! - single-thread queue ping-pong: `Queue` vs tokio's unbounded `mpsc` and
//!   async-channel's unbounded channel, between two spawned tasks (where the
//!   executor's task switches dominate) and between two futures joined in one
//!   task (where the primitives do); and once more with ringio-sync on the
//!   ringio runtime against tokio mpsc on tokio's, each on its own stack;
//! - 4 producer threads x 4 consumer threads through a bounded queue:
//!   `Queue` vs async-channel (MPMC) and tokio `mpsc` (its receiver shared by
//!   the consumers behind a `tokio::sync::Mutex`, tokio's way to fan out).
//!
//! Prints the median of several rounds and the ratio (peer time / ringio
//! time: above 1 means ringio is faster).
//!
//! Run: `cargo bench -p ringio-benches --bench sync` (ROUNDS=N to change).

use std::future::Future;
use std::hint::black_box;
use std::sync::Arc;
use std::task::{Context, Poll, Wake};
use std::thread::{self, Thread};

use ringio::sync::{Event, Lock, Queue, Semaphore};
use ringio_benches::{median_of, report};

const LOCKS: u32 = 1_000_000;
const PINGS: u32 = 100_000;
const PRODUCERS: usize = 4;
const CONSUMERS: usize = 4;
const PER_PRODUCER: usize = 100_000;
const CAPACITY: usize = 1024;

fn tokio_rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// The executor of the multi-thread row: poll, park until woken, repeat.
fn block_on<F: Future>(fut: F) -> F::Output {
    let waker = Arc::new(Unpark(thread::current())).into();
    let mut cx = Context::from_waker(&waker);
    let mut fut = std::pin::pin!(fut);
    loop {
        match fut.as_mut().poll(&mut cx) {
            Poll::Ready(out) => return out,
            Poll::Pending => thread::park(),
        }
    }
}

/// Runs `producer(i)` on PRODUCERS threads and `consumer()` on CONSUMERS
/// threads; returns the sum of what the consumers report.
fn fan<P, C>(producer: P, consumer: C) -> usize
where
    P: Fn(usize) + Send + Sync + 'static,
    C: Fn() -> usize + Send + Sync + 'static,
{
    let producer = Arc::new(producer);
    let consumer = Arc::new(consumer);
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|i| {
            let producer = producer.clone();
            thread::spawn(move || producer(i))
        })
        .collect();
    // The last producer thread to finish drops the closure (and the senders
    // it owns), which closes the channels.
    drop(producer);
    let consumers: Vec<_> = (0..CONSUMERS)
        .map(|_| {
            let consumer = consumer.clone();
            thread::spawn(move || consumer())
        })
        .collect();
    for p in producers {
        p.join().expect("producer");
    }
    consumers
        .into_iter()
        .map(|c| c.join().expect("consumer"))
        .sum()
}

fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(9);
    let rt = tokio_rt();
    println!("ringio-sync vs tokio::sync / async-channel, median of {rounds} rounds");

    // Uncontended lock/unlock.
    let lock = Lock::new(0u64);
    let r = median_of(rounds, || {
        rt.block_on(async {
            for _ in 0..LOCKS {
                *lock.lock().await += 1;
            }
        })
    });
    let mutex = tokio::sync::Mutex::new(0u64);
    let t = median_of(rounds, || {
        rt.block_on(async {
            for _ in 0..LOCKS {
                *mutex.lock().await += 1;
            }
        })
    });
    black_box((
        lock.try_lock().map(|g| *g).ok(),
        mutex.try_lock().map(|g| *g).ok(),
    ));
    report("lock/unlock 1M, uncontended", r, "tokio Mutex", t);

    // Uncontended acquire/release.
    let sem = Semaphore::new(1);
    let r = median_of(rounds, || {
        rt.block_on(async {
            for _ in 0..LOCKS {
                drop(black_box(sem.acquire().await));
            }
        })
    });
    let tsem = tokio::sync::Semaphore::new(1);
    let t = median_of(rounds, || {
        rt.block_on(async {
            for _ in 0..LOCKS {
                drop(black_box(tsem.acquire().await.expect("open")));
            }
        })
    });
    report("acquire/release 1M, uncontended", r, "tokio Semaphore", t);

    // Wake-up ping-pong between two tasks.
    let r = median_of(rounds, || {
        rt.block_on(async {
            let ping = Arc::new(Event::new());
            let pong = Arc::new(Event::new());
            let other = tokio::spawn({
                let (ping, pong) = (ping.clone(), pong.clone());
                async move {
                    for _ in 0..PINGS {
                        ping.wait().await;
                        ping.clear();
                        pong.set();
                    }
                }
            });
            for _ in 0..PINGS {
                ping.set();
                pong.wait().await;
                pong.clear();
            }
            other.await.expect("pong task");
        })
    });
    let t = median_of(rounds, || {
        rt.block_on(async {
            let ping = Arc::new(tokio::sync::Notify::new());
            let pong = Arc::new(tokio::sync::Notify::new());
            let other = tokio::spawn({
                let (ping, pong) = (ping.clone(), pong.clone());
                async move {
                    for _ in 0..PINGS {
                        ping.notified().await;
                        pong.notify_one();
                    }
                }
            });
            for _ in 0..PINGS {
                ping.notify_one();
                pong.notified().await;
            }
            other.await.expect("pong task");
        })
    });
    report("wake-up ping-pong 100k", r, "tokio Notify", t);

    // Single-thread queue ping-pong.
    let r = median_of(rounds, || {
        rt.block_on(async {
            let there = Arc::new(Queue::new(0));
            let back = Arc::new(Queue::new(0));
            let other = tokio::spawn({
                let (there, back) = (there.clone(), back.clone());
                async move {
                    for _ in 0..PINGS {
                        let v = there.get().await.expect("open");
                        back.put(v).await.expect("open");
                    }
                }
            });
            for i in 0..PINGS {
                there.put(i).await.expect("open");
                black_box(back.get().await.expect("open"));
            }
            other.await.expect("pong task");
        })
    });
    let t = median_of(rounds, || {
        rt.block_on(async {
            let (there_tx, mut there_rx) = tokio::sync::mpsc::unbounded_channel();
            let (back_tx, mut back_rx) = tokio::sync::mpsc::unbounded_channel();
            let other = tokio::spawn(async move {
                for _ in 0..PINGS {
                    let v = there_rx.recv().await.expect("open");
                    back_tx.send(v).expect("open");
                }
            });
            for i in 0..PINGS {
                there_tx.send(i).expect("open");
                black_box(back_rx.recv().await.expect("open"));
            }
            other.await.expect("pong task");
        })
    });
    let a = median_of(rounds, || {
        rt.block_on(async {
            let (there_tx, there_rx) = async_channel::unbounded();
            let (back_tx, back_rx) = async_channel::unbounded();
            let other = tokio::spawn(async move {
                for _ in 0..PINGS {
                    let v = there_rx.recv().await.expect("open");
                    back_tx.send(v).await.expect("open");
                }
            });
            for i in 0..PINGS {
                there_tx.send(i).await.expect("open");
                black_box(back_rx.recv().await.expect("open"));
            }
            other.await.expect("pong task");
        })
    });
    report("queue ping-pong 100k, 1 thread", r, "tokio mpsc", t);
    report("queue ping-pong 100k, 1 thread", r, "async-channel", a);

    // The same ping-pong, each side on its own stack: ringio-sync on the
    // ringio runtime, tokio mpsc on tokio's current_thread runtime (the tokio
    // time is the one measured above).
    let ring = ringio::Runtime::new().expect("ringio runtime");
    let rr = median_of(rounds, || {
        ring.block_on(async {
            let there = std::rc::Rc::new(Queue::new(0));
            let back = std::rc::Rc::new(Queue::new(0));
            let other = ringio::spawn({
                let (there, back) = (there.clone(), back.clone());
                async move {
                    for _ in 0..PINGS {
                        let v = there.get().await.expect("open");
                        back.put(v).await.expect("open");
                    }
                }
            });
            for i in 0..PINGS {
                there.put(i).await.expect("open");
                black_box(back.get().await.expect("open"));
            }
            other.await.expect("pong task");
        })
        .expect("ringio runtime")
    });
    report("queue ping-pong 100k, own runtime", rr, "tokio mpsc", t);

    // The same ping-pong between two futures joined in one task: no task
    // switches, so the primitives' own cost dominates.
    let r = median_of(rounds, || {
        rt.block_on(async {
            let there = Queue::new(0);
            let back = Queue::new(0);
            let pong = async {
                for _ in 0..PINGS {
                    let v = there.get().await.expect("open");
                    back.put(v).await.expect("open");
                }
            };
            let ping = async {
                for i in 0..PINGS {
                    there.put(i).await.expect("open");
                    black_box(back.get().await.expect("open"));
                }
            };
            tokio::join!(ping, pong);
        })
    });
    let t = median_of(rounds, || {
        rt.block_on(async {
            let (there_tx, mut there_rx) = tokio::sync::mpsc::unbounded_channel();
            let (back_tx, mut back_rx) = tokio::sync::mpsc::unbounded_channel();
            let pong = async move {
                for _ in 0..PINGS {
                    let v = there_rx.recv().await.expect("open");
                    back_tx.send(v).expect("open");
                }
            };
            let ping = async move {
                for i in 0..PINGS {
                    there_tx.send(i).expect("open");
                    black_box(back_rx.recv().await.expect("open"));
                }
            };
            tokio::join!(ping, pong);
        })
    });
    let a = median_of(rounds, || {
        rt.block_on(async {
            let (there_tx, there_rx) = async_channel::unbounded();
            let (back_tx, back_rx) = async_channel::unbounded();
            let pong = async move {
                for _ in 0..PINGS {
                    let v = there_rx.recv().await.expect("open");
                    back_tx.send(v).await.expect("open");
                }
            };
            let ping = async move {
                for i in 0..PINGS {
                    there_tx.send(i).await.expect("open");
                    black_box(back_rx.recv().await.expect("open"));
                }
            };
            tokio::join!(ping, pong);
        })
    });
    report("queue ping-pong 100k, 1 task", r, "tokio mpsc", t);
    report("queue ping-pong 100k, 1 task", r, "async-channel", a);

    // 4 producers x 4 consumers on threads, bounded queue.
    let total = PRODUCERS * PER_PRODUCER;
    // Queue ends by shutdown from the last producer, the channels by their
    // senders being dropped.
    let r = median_of(rounds, || {
        let q = Arc::new(Queue::new(CAPACITY));
        let closer = Arc::new(std::sync::atomic::AtomicUsize::new(PRODUCERS));
        let (qp, qc) = (q.clone(), q.clone());
        let got = fan(
            move |_| {
                block_on(async {
                    for i in 0..PER_PRODUCER {
                        qp.put(i).await.expect("open");
                    }
                });
                if closer.fetch_sub(1, std::sync::atomic::Ordering::AcqRel) == 1 {
                    qp.shutdown(false);
                }
            },
            move || {
                block_on(async {
                    let mut n = 0;
                    while qc.get().await.is_ok() {
                        n += 1;
                    }
                    n
                })
            },
        );
        assert_eq!(got, total);
    });
    let a = median_of(rounds, || {
        let (tx, rx) = async_channel::bounded(CAPACITY);
        let got = fan(
            move |_| {
                let tx = tx.clone();
                block_on(async {
                    for i in 0..PER_PRODUCER {
                        tx.send(i).await.expect("open");
                    }
                })
            },
            move || {
                block_on(async {
                    let mut n = 0;
                    while rx.recv().await.is_ok() {
                        n += 1;
                    }
                    n
                })
            },
        );
        assert_eq!(got, total);
    });
    let t = median_of(rounds, || {
        let (tx, rx) = tokio::sync::mpsc::channel(CAPACITY);
        let rx = Arc::new(tokio::sync::Mutex::new(rx));
        let got = fan(
            move |_| {
                let tx = tx.clone();
                block_on(async {
                    for i in 0..PER_PRODUCER {
                        tx.send(i).await.expect("open");
                    }
                })
            },
            move || {
                block_on(async {
                    let mut n = 0;
                    while rx.lock().await.recv().await.is_some() {
                        n += 1;
                    }
                    n
                })
            },
        );
        assert_eq!(got, total);
    });
    report("4 producers x 4 consumers 400k", r, "tokio mpsc", t);
    report("4 producers x 4 consumers 400k", r, "async-channel", a);
}
