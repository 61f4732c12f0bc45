//! What `#[ringio::main]` and `#[ringio::test]` expand to call. Not an API:
//! hidden from the docs, and free to change with the macros.

use std::future::Future;
use std::time::Duration;

use ringio_runtime::{Runtime, RuntimeError};

fn build(entries: Option<u32>) -> Result<Runtime, RuntimeError> {
    let mut builder = Runtime::builder();
    if let Some(n) = entries {
        builder = builder.entries(n);
    }
    builder.build()
}

/// The body of a `#[ringio::main]`: runs `future` on a new loop. A loop that
/// cannot start, or fails, is reported on stderr and the process exits
/// with status 1, as a program's startup failure should (no panic).
pub fn run_main<F: Future>(entries: Option<u32>, future: F) -> F::Output {
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
    entries: Option<u32>,
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
