//! The runtime core beside tokio's current_thread runtime, in one process:
//! spawn+join of 100,000 tasks, 100,000 sleeps, 100,000 timeouts that do not
//! fire, and yield_now ping-pong between two tasks. Prints the median of
//! several rounds of each and the ratio (tokio time / ringio time: above 1
//! means ringio is faster).
//!
//! Run: `cargo bench -p ringio-benches --bench core` (ROUNDS=N to change).

use std::hint::black_box;
use std::time::Duration;

use ringio_benches::{median_of, report};

const N: u64 = 100_000;
const PINGS: u32 = 100_000;

fn tokio_rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(9);
    let ring = ringio::Runtime::new().expect("ringio runtime");
    let tok = tokio_rt();
    println!("ringio core vs tokio current_thread, median of {rounds} rounds");

    let r = median_of(rounds, || {
        ring.block_on(async {
            let hs: Vec<_> = (0..N).map(|i| ringio::spawn(async move { i })).collect();
            let mut s = 0;
            for h in hs {
                s += h.await.unwrap();
            }
            black_box(s);
        })
        .unwrap()
    });
    let t = median_of(rounds, || {
        tok.block_on(async {
            let hs: Vec<_> = (0..N).map(|i| tokio::spawn(async move { i })).collect();
            let mut s = 0;
            for h in hs {
                s += h.await.unwrap();
            }
            black_box(s);
        })
    });
    report("spawn+join 100k tasks", r, "tokio", t);

    let r = median_of(rounds, || {
        ring.block_on(async {
            let hs: Vec<_> = (0..N)
                .map(|i| {
                    ringio::spawn(async move {
                        ringio::time::sleep(Duration::from_millis(1 + i % 5)).await
                    })
                })
                .collect();
            for h in hs {
                h.await.unwrap();
            }
        })
        .unwrap()
    });
    let t = median_of(rounds, || {
        tok.block_on(async {
            let hs: Vec<_> = (0..N)
                .map(|i| {
                    tokio::spawn(async move {
                        tokio::time::sleep(Duration::from_millis(1 + i % 5)).await
                    })
                })
                .collect();
            for h in hs {
                h.await.unwrap();
            }
        })
    });
    report("100k sleeps (1-5 ms) in tasks", r, "tokio", t);

    let r = median_of(rounds, || {
        ring.block_on(async {
            for i in 0..N {
                let v = ringio::time::timeout(Duration::from_secs(1), async { i }).await;
                black_box(v.unwrap());
            }
        })
        .unwrap()
    });
    let t = median_of(rounds, || {
        tok.block_on(async {
            for i in 0..N {
                let v = tokio::time::timeout(Duration::from_secs(1), async { i }).await;
                black_box(v.unwrap());
            }
        })
    });
    report("100k timeouts, not fired", r, "tokio", t);

    let r = median_of(rounds, || {
        ring.block_on(async {
            let a = ringio::spawn(async {
                for _ in 0..PINGS {
                    ringio::yield_now().await;
                }
            });
            let b = ringio::spawn(async {
                for _ in 0..PINGS {
                    ringio::yield_now().await;
                }
            });
            a.await.unwrap();
            b.await.unwrap();
        })
        .unwrap()
    });
    let t = median_of(rounds, || {
        tok.block_on(async {
            let a = tokio::spawn(async {
                for _ in 0..PINGS {
                    tokio::task::yield_now().await;
                }
            });
            let b = tokio::spawn(async {
                for _ in 0..PINGS {
                    tokio::task::yield_now().await;
                }
            });
            a.await.unwrap();
            b.await.unwrap();
        })
    });
    report("yield_now ping-pong 2x100k", r, "tokio", t);
}
