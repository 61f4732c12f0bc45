#!/usr/bin/env bash
# Runs every example whose doc comment shows its output in a ```text block,
# and checks the output line by line (a line of the block may use * as a
# wildcard). Examples listed in TIMING below must also finish within bounds.
# Examples without a ```text block (servers that run forever) are built
# only. Then runs ci/seeds.sh (the seed programs' examples).
set -euo pipefail
cd "$(dirname "$0")/.."

# Examples of the seed programs (those with examples/expected/<name>.txt)
# are checked by ci/seeds.sh instead, against the seed's own output and
# with their timing, and run once only.

# name min_seconds max_seconds: examples whose timing is their point.
TIMING="
subprocess_lines 1.4 2.9
subprocess_communicate 0.9 1.9
metrics_server 2.9 5.9
"

# tls_echo needs the feature `tls`, the examples of ringio::compat the
# feature `compat` (required-features).
cargo build --quiet --examples --features tls,compat
pass=0
fail=0
for src in examples/*.rs; do
  name=$(basename "$src" .rs)
  expected=$(awk '/^\/\/! ```text$/ {on=1; next} on && /^\/\/! ```$/ {exit} on {sub(/^\/\/! ?/, ""); print}' "$src")
  [ -n "$expected" ] || continue
  [ ! -f "examples/expected/$name.txt" ] || continue
  start=$(date +%s.%N)
  if ! actual=$(timeout 60 "target/debug/examples/$name" 2>/tmp/ringio-example-stderr); then
    echo "FAIL $name: exited with an error"; cat /tmp/ringio-example-stderr; fail=$((fail+1)); continue
  fi
  took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.3f", b - a}')
  ok=1
  mapfile -t want <<<"$expected"
  mapfile -t got <<<"$actual"
  if [ "${#want[@]}" -ne "${#got[@]}" ]; then ok=0; fi
  for i in "${!want[@]}"; do
    # Only * is a wildcard: escape the other glob characters.
    pat=$(printf '%s' "${want[$i]}" | sed 's/[][?\\]/\\&/g')
    # shellcheck disable=SC2053
    [[ "${got[$i]:-}" == $pat ]] || ok=0
  done
  bounds=$(echo "$TIMING" | awk -v n="$name" '$1 == n {print $2, $3}')
  if [ -n "$bounds" ]; then
    read -r lo hi <<<"$bounds"
    if awk -v t="$took" -v lo="$lo" -v hi="$hi" 'BEGIN {exit !(t < lo || t > hi)}'; then
      echo "FAIL $name: took ${took}s, expected between ${lo}s and ${hi}s"; ok=0
    fi
  fi
  if [ $ok = 1 ]; then
    echo "ok   $name (${took}s)"; pass=$((pass+1))
  else
    echo "FAIL $name"; echo "--- expected"; echo "$expected"; echo "--- got"; echo "$actual"; fail=$((fail+1))
  fi
done
echo "examples: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
ci/seeds.sh
