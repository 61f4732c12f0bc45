#!/usr/bin/env bash
# AddressSanitizer over ringio's tests and the reliability suite (see
# RELIABILITY.md, "Sanitizers, valgrind, Miri").
#
#   ci/asan.sh            the bounded CI form (a few minutes once built)
#
# The sanitizer is a nightly flag; on the stable toolchain it is unlocked
# with RUSTC_BOOTSTRAP=1 (its runtime, librustc-stable_rt.asan.a, ships in
# rust-std). --target keeps proc macros (ringio-macros) and build scripts
# uninstrumented, and a target dir of its own keeps the normal build intact.
# The standard library is not rebuilt with the sanitizer (that needs
# -Zbuild-std and rust-src): ringio's code is checked, std's is not.
#
# What ASan cannot see: memory the kernel writes through io_uring (receive
# buffers, CQEs) is written by the kernel, not by instrumented code, so a
# kernel write into freed memory is invisible to it, as to memcheck. The
# driver's ownership rules (an op's buffer lives until its CQE) are checked
# by the tests' outcomes, not by the sanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

host=x86_64-unknown-linux-gnu
sysroot=$(rustc --print sysroot)
if ! ls "$sysroot/lib/rustlib/$host/lib/"librustc-*_rt.asan.a >/dev/null 2>&1; then
  echo "this toolchain has no AddressSanitizer runtime for $host: skipped" >&2
  exit 0
fi

export RUSTC_BOOTSTRAP=1
export RUSTFLAGS="-Zsanitizer=address ${RUSTFLAGS:-}"
export CARGO_TARGET_DIR="${ASAN_TARGET_DIR:-target/asan}"
# detect_leaks: the runtime frees everything it owns when it drops.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:${ASAN_OPTIONS:-}"
# Resident memory holds ASan's shadow and quarantine: RSS figures are shown, not checked.
export RINGIO_RELIABILITY_RSS=off

start=$(date +%s)
step() { printf '\n==> %s (%s s)\n' "$*" "$(( $(date +%s) - start ))"; }

step "build (instrumented)"
cargo build --target "$host" -p ringio-reliability --bin reliability
cargo test --target "$host" --no-run -p ringio-runtime -p ringio-streams -p ringio-sync --lib --tests

step "tests of runtime, streams and sync under ASan"
# The give-up test leaks on purpose (memory the kernel may still write is
# never freed): it runs on its own with LeakSanitizer off.
giveup=an_op_dropped_after_shutdown_gave_up_is_never_freed_under_the_kernel
cargo test --target "$host" -p ringio-runtime -p ringio-streams -p ringio-sync --lib --tests \
  -- --skip "$giveup"
ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS#detect_leaks=1:}" \
  cargo test --target "$host" -p ringio-runtime --lib -- "$giveup"

step "reliability scenarios (quick) under ASan"
"$CARGO_TARGET_DIR/$host/debug/reliability" all --quick

step "ASan: clean"
