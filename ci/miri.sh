#!/usr/bin/env bash
# Runs the runtime's buffer, stash and panic-containment unit tests under Miri, which checks
# the raw-pointer code for undefined behaviour: the pointers IoBufMut hands
# out, the stash copies, the release of a dropped read's completion.
# Miri cannot run io_uring, so these tests fake the kernel (they write
# through the pointer an operation would put in its SQE); the tests of the
# ring itself are left to `cargo test`. Checked under Stacked Borrows (Miri's
# default, the stricter here) and Tree Borrows.
# Skips (exit 0) when Miri is not installed, saying why.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! version=$(cargo +nightly miri --version 2>&1); then
  echo "miri: skipped: 'cargo +nightly miri --version' failed:"
  printf '%s\n' "$version" | sed -n '1,2s/^/  /p'
  echo "  (install: rustup toolchain install nightly --component miri)"
  exit 0
fi
echo "$version"

# Test paths whose tests need no ring (each module's tests fake completions).
tests=(buf:: stash:: driver::op:: task::contain::)

echo "==> miri, Stacked Borrows"
cargo +nightly miri test -p ringio-runtime --lib -- "${tests[@]}"
echo "==> miri, Tree Borrows"
MIRIFLAGS="${MIRIFLAGS:-} -Zmiri-tree-borrows" \
  cargo +nightly miri test -p ringio-runtime --lib -- "${tests[@]}"
