#!/usr/bin/env bash
# Smoke round of the benchmarks, so that they cannot rot (their figures
# mean nothing here):
# - the suite: builds every program of ringio-benches with monoio and
#   compio (the `peers` feature) and runs each benchmark once for about a
#   second (`report --quick`; results under target/bench-smoke/);
# - the in-process `cargo bench` programs (core, sync, io, streams), one
#   round each, run through `cargo test --bench` (debug build, harness-less
#   targets run their main), the idle-memory measurement with 1,000
#   connections instead of 10,000.
#
# Debug profile by default: it reuses what `cargo test` built, and the
# smoke checks that everything runs, not how fast. BENCH_PROFILE=release
# builds the suite as a real run would.
#
# Python's peers (asyncio, uvloop) run when python3 is there; the report
# installs uvloop with pip when it is missing and says so when it cannot.
# None of this is part of `cargo test --workspace`.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=()
if [ "${BENCH_PROFILE:-debug}" = release ]; then
  profile=(--release)
fi

cargo build -p ringio-benches --features peers --bins "${profile[@]}"
cargo run -q -p ringio-benches --features peers "${profile[@]}" --bin report -- --quick

for bench in core sync io streams tls; do
  printf '\n--> cargo bench program %s, one round\n' "$bench"
  ROUNDS=1 IDLE_CONNS=1000 cargo test -q -p ringio-benches --bench "$bench"
done
