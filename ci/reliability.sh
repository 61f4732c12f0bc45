#!/usr/bin/env bash
# The reliability suite (RELIABILITY.md): every scenario of the
# ringio-reliability crate, each in a process of its own with a time budget,
# then the StreamReader model check (proptest). Prints one FIGURE line per
# guarantee and exits non-zero if any fails.
#
#   ci/reliability.sh            quick form, what CI runs (well under a minute)
#   ci/reliability.sh --full     the full form, on demand (several minutes)
#   ci/reliability.sh --release  either form, built with optimizations
#
# The dev profile is the default: it reuses what `cargo test --workspace`
# built, and the scenarios run as fast as in release (they wait on the
# kernel, not on the CPU); a release build first costs about a minute on
# 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

scale=--quick
cases=5000
profile=()
dir=debug
for arg in "$@"; do
  case "$arg" in
    --full) scale=--full; cases=50000 ;;
    --quick) ;;
    --release) profile=(--release); dir=release ;;
    *) echo "usage: ci/reliability.sh [--quick|--full] [--release]" >&2; exit 2 ;;
  esac
done

start=$(date +%s)
cargo build -p ringio-reliability "${profile[@]}" --bin reliability
cargo test -p ringio-reliability "${profile[@]}" --test streams_reader_model --no-run

status=0
"${CARGO_TARGET_DIR:-target}/$dir/reliability" all "$scale" || status=1
PROPTEST_CASES=$cases cargo test -q -p ringio-reliability "${profile[@]}" \
  --test streams_reader_model -- --nocapture || status=1

echo "reliability suite ($scale): $(( $(date +%s) - start )) s, $([ $status = 0 ] && echo passed || echo FAILED)"
exit $status
