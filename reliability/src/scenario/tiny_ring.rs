//! A tiny ring (SQ of 1 entry, CQ of 2) under 100,000 operations: the
//! driver must flush a full SQ and drain an overflowed CQ, and no
//! operation may be lost. Socket pairs carry numbered messages; each is
//! checked on arrival.

use std::cell::Cell;
use std::io;
use std::rc::Rc;
use std::time::Instant;

use ringio::net::UnixStream;
use ringio::Runtime;

use crate::{Figure, Outcome, Scale};

/// Socket pairs, each with a writer and a reader task.
const PAIRS: usize = 32;
const MSG: usize = 16;

fn message(pair: usize, i: usize) -> [u8; MSG] {
    let mut m = [0u8; MSG];
    m[..8].copy_from_slice(&(pair as u64).to_le_bytes());
    m[8..].copy_from_slice(&(i as u64).to_le_bytes());
    m
}

/// Runs the tiny-ring scenario.
pub fn run(scale: Scale) -> Outcome {
    let ops: usize = scale.pick(100_000, 1_000_000);
    // Each message is one write and at least one read.
    let per_pair = ops.div_ceil(2 * PAIRS);
    let rt = Runtime::builder().entries(1).cq_entries(2).build()?;
    let before = rt.driver_stats();
    let start = Instant::now();
    let (wrong, received) = rt.block_on(async move {
        let wrong = Rc::new(Cell::new(0u64));
        let received = Rc::new(Cell::new(0u64));
        let mut tasks = Vec::new();
        for p in 0..PAIRS {
            let (a, b) = UnixStream::pair()?;
            tasks.push(ringio::spawn(async move {
                for i in 0..per_pair {
                    a.write_all(message(p, i).to_vec()).await.0?;
                }
                Ok::<_, io::Error>(())
            }));
            let (wrong, received) = (wrong.clone(), received.clone());
            tasks.push(ringio::spawn(async move {
                let mut got: Vec<u8> = Vec::new();
                let mut next = 0;
                while next < per_pair {
                    let (res, buf) = b.read(vec![0u8; MSG * 4]).await;
                    let n = res?;
                    if n == 0 {
                        break;
                    }
                    got.extend_from_slice(&buf[..n]);
                    while got.len() >= MSG {
                        if got[..MSG] != message(p, next) {
                            wrong.set(wrong.get() + 1);
                        }
                        got.drain(..MSG);
                        next += 1;
                        received.set(received.get() + 1);
                    }
                }
                Ok(())
            }));
        }
        for t in tasks {
            crate::join::joined(t.await)??;
        }
        Ok::<_, io::Error>((wrong.get(), received.get()))
    })??;
    let took = start.elapsed();
    let after = rt.driver_stats();
    let submitted = after.submitted - before.submitted;
    let sq_full = after.sq_full_flushes - before.sq_full_flushes;
    let cq_over = after.cq_overflows - before.cq_overflows;
    let expected = (PAIRS * per_pair) as u64;
    Ok(vec![
        Figure::new(
            "tiny_ring_lost",
            expected - received + wrong,
            format!(
                "messages lost or wrong of {expected} ({submitted} operations in {:.2} s)",
                took.as_secs_f64()
            ),
            "limit 0",
            received == expected && wrong == 0 && submitted as usize >= ops,
        ),
        Figure::new(
            "tiny_ring_sq_full_flushes",
            sq_full,
            "flushes of a full SQ",
            "more than 0: the path was taken",
            sq_full > 0,
        ),
        Figure::new(
            "tiny_ring_cq_overflows",
            cq_over,
            "CQ overflows drained",
            "more than 0: the path was taken",
            cq_over > 0,
        ),
    ])
}
