//! Shared helpers for ringio's side-by-side benchmarks.
//!
//! The benchmarks themselves are `[[bench]]` targets with `harness = false`:
//! programs that run ringio and the peer in the same process, several rounds
//! each, and print medians and ratios.
//!
//! The suite proper (`cargo run -p ringio-benches --release --bin report`)
//! runs each server as its own process pinned to one CPU, drives it with
//! one load generator (the `loadgen` program) pinned to another, and
//! writes JSON results and SVG charts: see `src/bin/report.rs`.

pub mod args;
pub mod svg;
pub mod sys;
pub mod uring;

use std::time::{Duration, Instant};

/// Runs `f` `rounds` times and returns the median wall time.
pub fn median_of(rounds: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..rounds.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Prints one comparison row: both medians and how many times faster ringio is.
pub fn report(name: &str, ringio: Duration, peer_name: &str, peer: Duration) {
    let ratio = peer.as_secs_f64() / ringio.as_secs_f64().max(f64::MIN_POSITIVE);
    println!(
        "{name:<32} ringio {:>10.3} ms   {peer_name} {:>10.3} ms   ratio {ratio:>5.2}x",
        ringio.as_secs_f64() * 1e3,
        peer.as_secs_f64() * 1e3,
    );
}

/// The calling thread's `/proc` path (`/proc/PID/task/TID`), to read its
/// CPU time from another thread with [`thread_cpu`].
pub fn this_thread_proc() -> Option<std::path::PathBuf> {
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    Some(std::path::Path::new("/proc").join(link))
}

/// CPU time a thread has used so far, read from its `schedstat`
/// (nanoseconds on the CPU); `None` where the kernel does not provide it.
pub fn thread_cpu(proc_path: &std::path::Path) -> Option<Duration> {
    let s = std::fs::read_to_string(proc_path.join("schedstat")).ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Runs `f` `rounds` times; returns the median wall time and the median CPU
/// time the thread at `proc_path` used during a round (zero if unknown).
pub fn median_with_cpu(
    rounds: usize,
    proc_path: &std::path::Path,
    mut f: impl FnMut(),
) -> (Duration, Duration) {
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    for _ in 0..rounds.max(1) {
        let cpu0 = thread_cpu(proc_path).unwrap_or_default();
        let start = Instant::now();
        f();
        walls.push(start.elapsed());
        cpus.push(
            thread_cpu(proc_path)
                .unwrap_or_default()
                .saturating_sub(cpu0),
        );
    }
    walls.sort();
    cpus.sort();
    (walls[walls.len() / 2], cpus[cpus.len() / 2])
}
