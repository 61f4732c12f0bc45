#!/usr/bin/env bash
# Model-checks ringio-sync's waiter lists with loom: every interleaving of the
# threads in sync/tests/loom_*.rs, up to LOOM_MAX_PREEMPTIONS preemptions.
# Uses its own target dir, since --cfg loom rebuilds everything.
set -euo pipefail
cd "$(dirname "$0")/.."

export RUSTFLAGS="--cfg loom ${RUSTFLAGS:-}"
export LOOM_MAX_PREEMPTIONS="${LOOM_MAX_PREEMPTIONS:-3}"
export CARGO_TARGET_DIR="${LOOM_TARGET_DIR:-target/loom}"
cargo test -p ringio-sync --release --test 'loom_*'
