//! The suite's in-process benchmarks, one runtime per process so that the
//! report can pin it to a CPU: `micro --peer NAME --bench NAME [--cpu 0]
//! [--file PATH] [--repeat 3]` runs one benchmark `--repeat` times, each
//! on a new runtime, and prints one JSON line for the median run: `ops`, `seconds` and
//! `ops_per_sec`.
//!
//! Benchmarks (the same work for every peer):
//! - `spawn`: spawn 100,000 tasks that return a number, then join them all;
//! - `sleep`: 100,000 tasks each sleeping 1-5 ms, joined;
//! - `yield`: two tasks yielding to each other 100,000 times each;
//! - `file`: 4 KiB reads at random aligned offsets of `--file` (in the page
//!   cache), 64 in flight, 2,000 per reader.
//!
//! Peers: `ringio`, `tokio` (current_thread; `tokio::fs` for files), and
//! with the `peers` feature `monoio` and `compio` (which have no
//! `yield_now`: theirs yields with a future that wakes itself once).

#[cfg(feature = "peers")]
mod compio_micro;
#[cfg(feature = "peers")]
mod monoio_micro;
mod ringio_micro;
mod tokio_micro;

use std::path::PathBuf;
use std::time::Duration;

use ringio_benches::args::Args;
use ringio_benches::sys;

/// Tasks spawned, sleeps and yields (per task) of one run.
pub const N: u64 = 100_000;
/// Bytes per file read.
pub const BLOCK: usize = 4096;
/// File reads in flight.
pub const IN_FLIGHT: usize = 64;
/// File reads per reader.
pub const READS_PER_TASK: usize = 2000;

/// One benchmark of one peer: what it did and how long it took.
#[derive(Debug)]
pub struct Run {
    /// Operations done (tasks, sleeps, yields, reads).
    pub ops: u64,
    /// Wall time.
    pub time: Duration,
}

/// The random reads' offsets: xorshift64, reproducible, BLOCK-aligned,
/// within a file of `len` bytes.
pub fn offset(x: &mut u64, len: u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    (*x % (len / BLOCK as u64).max(1)) * BLOCK as u64
}

/// The seed of reader `t`.
pub fn seed(t: usize) -> u64 {
    0x9E37_79B9_7F4A_7C15u64 ^ (t as u64 + 1)
}

/// The sleep of task `i`: 1 to 5 ms.
pub fn sleep_of(i: u64) -> Duration {
    Duration::from_millis(1 + i % 5)
}

fn main() {
    if let Err(e) = run() {
        eprintln!("micro: {e}");
        std::process::exit(1);
    }
}

fn file_arg(args: &Args) -> Result<(PathBuf, u64), String> {
    let path: PathBuf = args.require("file")?;
    let len = std::fs::metadata(&path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    Ok((path, len))
}

fn run() -> Result<(), String> {
    let args = Args::from_env()?;
    let peer: String = args.require("peer")?;
    let bench: String = args.require("bench")?;
    if let Some(cpu) = args.text("cpu") {
        let cpu: usize = cpu.parse().map_err(|_| "--cpu: not a CPU number")?;
        sys::pin_to_cpu(cpu).map_err(|e| format!("pinning to CPU {cpu}: {e}"))?;
    }
    let file = if bench == "file" {
        Some(file_arg(&args)?)
    } else {
        None
    };
    let file = file.as_ref().map(|(p, l)| (p.as_path(), *l));
    let once = || match peer.as_str() {
        "ringio" => ringio_micro::run(&bench, file),
        "tokio" => tokio_micro::run(&bench, file),
        #[cfg(feature = "peers")]
        "monoio" => monoio_micro::run(&bench, file),
        #[cfg(feature = "peers")]
        "compio" => compio_micro::run(&bench, file),
        p => Err(
            format!("no peer {p:?} in this build (monoio and compio need --features peers)").into(),
        ),
    };
    // The median of `--repeat` runs, each on a fresh runtime (the first
    // pays for page faults and cold caches).
    let repeat: usize = args.get("repeat", 3usize)?.max(1);
    let mut runs = Vec::new();
    for _ in 0..repeat {
        runs.push(once().map_err(|e| format!("{peer} {bench}: {e}"))?);
    }
    runs.sort_by_key(|r| r.time);
    let run = &runs[runs.len() / 2];
    let secs = run.time.as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "ops": run.ops,
            "seconds": secs,
            "ops_per_sec": run.ops as f64 / secs.max(1e-9),
        })
    );
    Ok(())
}

/// The error for a benchmark a peer does not have.
pub fn unknown(bench: &str) -> Box<dyn std::error::Error> {
    format!("no benchmark {bench:?} (spawn, sleep, yield, file)").into()
}

/// A future that returns Pending once after waking its own task: a
/// `yield_now` for runtimes without one.
#[derive(Debug, Default)]
pub struct YieldOnce(bool);

impl std::future::Future for YieldOnce {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            return std::task::Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}
