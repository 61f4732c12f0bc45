//! Reads of a child's stdout and stderr dropped in flight lose no byte and
//! duplicate none: the child's output is reconstructed exactly.

#[path = "support/dropped_reads.rs"]
mod dropped_reads;

use dropped_reads::{assert_pattern, chunk, chunk_len, read_to_end_dropping};
use ringio_runtime::process::{ChildStdout, Command, Stdio};
use ringio_runtime::time::sleep;
use ringio_runtime::{run, spawn, yield_now};
use std::time::Duration;

const TOTAL: usize = 512 << 10;

/// Runs `sh -c script` with piped stdin and the output named by `stderr`
/// piped; writes `TOTAL` bytes to its stdin in small chunks while reading
/// the output back with reads that are often dropped in flight.
fn echo_through(script: &str, stderr: bool) {
    run(async {
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(script).stdin(Stdio::piped());
        if stderr {
            cmd.stderr(Stdio::piped());
        } else {
            cmd.stdout(Stdio::piped());
        }
        let mut child = cmd.spawn().unwrap();
        let stdin = child.stdin.take().unwrap();
        let out: ChildStdout = if stderr {
            child.stderr.take().unwrap()
        } else {
            child.stdout.take().unwrap()
        };
        let writer = spawn(async move {
            let (mut sent, mut chunks) = (0, 0u32);
            while sent < TOTAL {
                let len = chunk_len(sent).min(TOTAL - sent);
                let (res, _) = stdin.write_all(chunk(sent, len)).await;
                res.unwrap();
                sent += len;
                chunks += 1;
                // Now and then a pause, so that reads find the pipe empty
                // and wait (and are dropped) also where a read that finds
                // bytes completes in its first poll (the epoll backend).
                if chunks % 8 == 0 {
                    sleep(Duration::from_millis(1)).await;
                } else {
                    yield_now().await;
                }
            }
            // stdin dropped here: the child sees end of input.
        });
        let (got, dropped) = read_to_end_dropping(&out).await;
        writer.await.unwrap();
        assert!(child.wait().await.unwrap().success());
        assert_pattern(&got, TOTAL, dropped);
    })
    .unwrap();
}

#[test]
fn stdout_reads_dropped_in_flight_lose_nothing() {
    echo_through("exec cat", false);
}

#[test]
fn stderr_reads_dropped_in_flight_lose_nothing() {
    echo_through("exec cat >&2", true);
}
