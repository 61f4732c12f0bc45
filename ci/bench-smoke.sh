#!/usr/bin/env bash
# Smoke round of the benchmark suite: builds every benchmark program (with
# monoio and compio, the `peers` feature) and runs each benchmark once for
# about a second (`report --quick`), so that the suite cannot rot. The
# figures of a smoke round mean nothing; results go to target/bench-smoke/.
#
# Debug profile by default: it reuses what `cargo test` built, and the
# smoke checks that everything runs, not how fast. BENCH_PROFILE=release
# to build as a real run would.
#
# Python's peers (asyncio, uvloop) run when python3 is there; the report
# installs uvloop with pip when it is missing and says so when it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=()
if [ "${BENCH_PROFILE:-debug}" = release ]; then
  profile=(--release)
fi

# The bench programs are never part of `cargo test`; the library's own
# unit tests are, the suite's programs run only here.
cargo build -p ringio-benches --features peers --bins "${profile[@]}"
cargo run -q -p ringio-benches --features peers "${profile[@]}" --bin report -- --quick
