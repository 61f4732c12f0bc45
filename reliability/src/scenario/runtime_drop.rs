//! Dropping a runtime with 10,000 operations in flight: every operation is
//! cancelled and drained, the drop is quick (it never waits out the
//! shutdown grace), and every fd the tasks owned is closed.

use std::io;
use std::time::{Duration, Instant};

use ringio::net::UnixStream;
use ringio::Runtime;

use crate::probe::{fd_count, raise_nofile, timing_checked};
use crate::{Figure, Outcome, Scale};

/// Operations in flight when the runtime is dropped.
const PENDING: usize = 10_000;
/// The drop must take at most this long.
const LIMIT: Duration = Duration::from_secs(3);

/// Runs the runtime-drop scenario (the same size at both scales; `--full`
/// repeats it three times).
pub fn run(scale: Scale) -> Outcome {
    let hard = raise_nofile()?;
    if hard < PENDING as u64 + 64 {
        return Err(format!("RLIMIT_NOFILE hard limit {hard} is below {PENDING} + 64").into());
    }
    let mut figures = Vec::new();
    for round in 0..scale.pick(1, 3) {
        let fds_before = fd_count()?;
        let rt = Runtime::new()?;
        let in_flight = rt.block_on(async {
            for _ in 0..PENDING / 2 {
                let (a, b) = UnixStream::pair()?;
                // Reads that never get data: they stay in the kernel.
                ringio::spawn(async move { a.read(vec![0u8; 64]).await });
                ringio::spawn(async move { b.read(vec![0u8; 64]).await });
            }
            let start = Instant::now();
            while rt.ops_in_flight() < PENDING && start.elapsed() < Duration::from_secs(20) {
                ringio::time::sleep(Duration::from_millis(1)).await;
            }
            Ok::<_, io::Error>(rt.ops_in_flight())
        })??;
        let start = Instant::now();
        drop(rt);
        let took = start.elapsed();
        let fds_left = fd_count()? as i64 - fds_before as i64;
        let suffix = if round == 0 {
            String::new()
        } else {
            format!("_{round}")
        };
        figures.push(Figure::new(
            format!("runtime_drop_time{suffix}"),
            format!("{:.1}", took.as_secs_f64() * 1000.0),
            format!("ms to drop a runtime with {in_flight} operations in flight"),
            format!(
                "at most {} ms{}, with at least {PENDING} in flight",
                LIMIT.as_millis(),
                if timing_checked() {
                    ""
                } else {
                    " (not checked: RINGIO_RELIABILITY_TIMING=off)"
                }
            ),
            (took <= LIMIT || !timing_checked()) && in_flight >= PENDING,
        ));
        figures.push(Figure::new(
            format!("runtime_drop_fds_left{suffix}"),
            fds_left,
            "fds open after the drop that were not before",
            "limit 0",
            fds_left <= 0,
        ));
    }
    Ok(figures)
}
