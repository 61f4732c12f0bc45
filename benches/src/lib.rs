//! Shared helpers for ringio's side-by-side benchmarks.
//!
//! The benchmarks themselves are `[[bench]]` targets with `harness = false`:
//! programs that run ringio and the peer in the same process, several rounds
//! each, and print medians and ratios.

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
