//! What `#[ringio::main]` and `#[ringio::test]` expand to call. Not an API:
//! hidden from the docs, and free to change with the macros.

use std::future::Future;
use std::time::Duration;

use ringio_runtime::{Builder, Runtime, RuntimeError};

/// The loop's settings from the attribute's arguments. The macros pass
/// either `Option<u32>` (the ring entries) or this.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoopConfig {
    /// `entries = N`.
    pub entries: Option<u32>,
    /// `debug`: debug mode.
    pub debug: bool,
}

impl From<Option<u32>> for LoopConfig {
    fn from(entries: Option<u32>) -> LoopConfig {
        LoopConfig {
            entries,
            debug: false,
        }
    }
}

fn builder(config: impl Into<LoopConfig>) -> Builder {
    let config = config.into();
    let mut builder = Runtime::builder();
    if let Some(n) = config.entries {
        builder = builder.entries(n);
    }
    if config.debug {
        builder = builder.debug(true);
    }
    builder
}

fn build(config: impl Into<LoopConfig>) -> Result<Runtime, RuntimeError> {
    builder(config).build()
}

/// What a `#[ringio::main(threads = N)]` or `#[ringio::test(threads = N)]`
/// function may return: the outputs of its N copies combine into one.
#[diagnostic::on_unimplemented(
    message = "a function with `threads = N` must return `()` or `Result<(), E>`, not `{Self}`",
    label = "each of the N loops returns this; ringio cannot combine them"
)]
pub trait PerThreadOutput: Sized + Send {
    /// One output for all the loops' (never given an empty list).
    fn combine(outputs: Vec<Self>) -> Self;
}

impl PerThreadOutput for () {
    fn combine(_: Vec<()>) {}
}

impl<E: Send> PerThreadOutput for Result<(), E> {
    /// The first loop's error, in index order, if any failed.
    fn combine(outputs: Vec<Self>) -> Self {
        outputs.into_iter().collect()
    }
}

/// The body of a `#[ringio::main(threads = N)]`: runs a copy of the body on
/// its own loop on each of N threads (thread-per-core); ends when all have.
pub fn run_main_threads<F, Fut>(
    entries: impl Into<LoopConfig>,
    threads: usize,
    make: F,
) -> Fut::Output
where
    F: Fn(usize) -> Fut + Sync,
    Fut: Future,
    Fut::Output: PerThreadOutput,
{
    match builder(entries).run_per_thread(threads, make) {
        Ok(outputs) => PerThreadOutput::combine(outputs),
        Err(e) => exit_with(&format!("cannot run the ringio loops: {e}")),
    }
}

/// The body of a `#[ringio::test(threads = N)]`: a copy of the test on a
/// loop of its own on each of N threads, each copy under `timeout_ms`.
pub fn run_test_threads<F, Fut>(
    name: &str,
    entries: impl Into<LoopConfig>,
    timeout_ms: Option<u64>,
    threads: usize,
    make: F,
) -> Fut::Output
where
    F: Fn(usize) -> Fut + Sync,
    Fut: Future,
    Fut::Output: PerThreadOutput,
{
    let outcome = builder(entries).run_per_thread(threads, |i| {
        let body = make(i);
        async move {
            match timeout_ms {
                Some(ms) => ringio_runtime::time::timeout(Duration::from_millis(ms), body)
                    .await
                    .ok(),
                None => Some(body.await),
            }
        }
    });
    match outcome {
        Ok(outputs) => {
            let mut done = Vec::with_capacity(outputs.len());
            for (i, out) in outputs.into_iter().enumerate() {
                match out {
                    Some(v) => done.push(v),
                    None => panic!(
                        "test `{name}` timed out: the copy on loop {i} was still running after {ms} ms",
                        ms = timeout_ms.unwrap_or_default()
                    ),
                }
            }
            PerThreadOutput::combine(done)
        }
        Err(e) => panic!("test `{name}`: cannot run the ringio loops: {e}"),
    }
}

/// The body of a `#[ringio::main]`: runs `future` on a new loop. A loop that
/// cannot start, or fails, is reported on stderr and the process exits
/// with status 1, as a program's startup failure should (no panic).
pub fn run_main<F: Future>(entries: impl Into<LoopConfig>, future: F) -> F::Output {
    let runtime = match build(entries) {
        Ok(rt) => rt,
        Err(e) => exit_with(&format!("cannot start the ringio runtime: {e}")),
    };
    match runtime.block_on(future) {
        Ok(v) => v,
        Err(e) => exit_with(&format!("the ringio runtime failed: {e}")),
    }
}

fn exit_with(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}

/// The body of a `#[ringio::test]`: runs `future` on a fresh loop of its
/// own, failing the test (by panicking, as tests fail) when the loop cannot
/// start or the test outlives `timeout_ms`.
pub fn run_test<F: Future>(
    name: &str,
    entries: impl Into<LoopConfig>,
    timeout_ms: Option<u64>,
    future: F,
) -> F::Output {
    let runtime = match build(entries) {
        Ok(rt) => rt,
        Err(e) => panic!("test `{name}`: cannot start the ringio runtime: {e}"),
    };
    let outcome = match timeout_ms {
        Some(ms) => {
            let limit = Duration::from_millis(ms);
            match runtime.block_on(ringio_runtime::time::timeout(limit, future)) {
                Ok(Ok(v)) => Ok(v),
                Ok(Err(_elapsed)) => panic!(
                    "test `{name}` timed out: still running after {ms} ms (timeout_ms = {ms})"
                ),
                Err(e) => Err(e),
            }
        }
        None => runtime.block_on(future),
    };
    match outcome {
        Ok(v) => v,
        Err(e) => panic!("test `{name}`: the ringio runtime failed: {e}"),
    }
}
