#!/usr/bin/env bash
# The project's checks, in the order a developer would run them. Called by
# .ci/run; also fine to run by hand from any directory.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
cargo --version
rustc --version
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  rustup component add rustfmt clippy
fi

step "io_uring on this machine"
cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo "(no kernel.io_uring_disabled sysctl)"

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (warnings denied)"
cargo clippy --workspace --all-targets -- -D warnings

step "tests (the README's command)"
cargo test --workspace

step "examples"
ci/examples.sh

if [ -x ci/loom.sh ]; then
  step "loom models"
  ci/loom.sh
fi

step "all checks passed"
