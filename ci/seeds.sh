#!/usr/bin/env bash
# Every program of the seed tutorials (/work/shared/seeds: asyncio
# tutorials) that prints something has a ringio example here that prints
# the same lines. This script runs each example and compares its output,
# line by line, with examples/expected/<example>.txt: the seed's printed
# output, taken from the seed's text where it shows one, else what python3
# prints for the seed's program (kept beside it as <example>.py).
#
# Normalised before comparing, on both sides:
#   - clock times HH:MM:SS (Python's time.strftime('%X')) become HH:MM:SS,
#     as the seed's times are from the day it was written;
#   - Python's repr quoting: ' becomes " (Python prints ['foo', 'bar'],
#     Rust's {:?} ["foo", "bar"]);
#   - trailing spaces (seed 003 prints 'This is ', which no text shows).
# An expected line ending in "..." (the seed shortened it) matches any line
# that starts with what comes before the dots.
# Where timing is the point (concurrent sleeps take about the longest, not
# the sum; sequential ones the sum), the run must also take between the
# bounds below: generous, as CI machines are loaded, but always under the
# time the other way would take.
#
# `ci/seeds.sh NAME...` checks only the examples named.
#
# SEEDS_PYTHON=1 also runs each <example>.py with python3 and compares its
# output with the same file (a check of the expected files themselves; CI
# does not need python3). Programs marked "forever" never end in Python (a
# consumer waiting on a queue forever): python3 runs them for 7 s.
#
# Seed programs without an example, and why:
#   001 `print(func())` prints a coroutine object's address, and
#       `inspect.iscoroutinefunction`: Python introspection, nothing to
#       print in Rust (examples/run_value.rs shows a coroutine object not
#       running until it is run).
#   000 `task = asyncio.create_task(coro())` and `ensure_future`: fragments
#       that print nothing.
# Seed 002's web scraping fetches the internet with aiohttp: its example
# serves its own pages on loopback, and python3 does not run it ("no").
set -euo pipefail
cd "$(dirname "$0")/.."

# example              seed  min_s max_s  python
SEEDS="
sleep_loop             000   4.9   7.5    yes
sequential             000   2.9   4.9    yes
create_task            000   1.9   2.9    yes
speech_async           000   -     -      yes
sleep_then_hello       000   0.9   2.9    yes
hello_three_times      000   2.9   4.9    yes
wait_for               000   0.9   2.9    yes
hello                  001   0.9   2.9    yes
run_value              001   -     -      yes
await_task             001   -     -      yes
gather_evens_odds      001   0.9   1.9    yes
gather_numbers_letters 001   0.4   1.9    yes
loop_create_task       001   4.9   7.4    yes
loop_all_tasks         001   2.4   4.9    yes
hello_world            002   -     -      yes
create_task_await      002   0.9   2.9    yes
gather_results         002   0.9   1.9    yes
sleep_awake            002   0.9   2.9    yes
future_set_value       002   0.9   2.9    yes
queue_consumer         002   4.9   7.5    forever
event_waiter           002   1.9   3.9    yes
semaphore_workers      002   1.9   2.9    yes
say_hello              002   0.9   2.9    yes
say_gather             002   1.9   2.9    yes
future_oneshot         002   0.9   2.9    yes
producer_consumer      002   4.9   7.5    forever
lock_workers           002   1.9   3.9    yes
fn_sleeps              003   1.9   3.9    yes
fn_await               003   4.9   6.9    yes
fn_create_task         003   1.9   2.9    yes
gather_three           003   2.9   4.9    yes
my_coroutine           004   1.9   3.9    yes
my_coroutine_gather    004   1.9   3.9    yes
web_scraping           002   -     -      no
"

normalise() {
  sed -E "s/\b[0-9]{2}:[0-9]{2}:[0-9]{2}\b/HH:MM:SS/g; s/'/\"/g; s/[[:space:]]+\$//"
}

# compare NAME EXPECTED_FILE ACTUAL_TEXT: line by line, after normalising.
compare() {
  local name=$1 expected_file=$2 actual=$3 ok=1 i
  local -a want got
  mapfile -t want < <(normalise <"$expected_file")
  mapfile -t got < <(printf '%s\n' "$actual" | normalise)
  if [ "${#want[@]}" -ne "${#got[@]}" ]; then
    echo "  $name: ${#got[@]} lines, expected ${#want[@]}"
    ok=0
  fi
  for i in "${!want[@]}"; do
    if [[ "${want[$i]}" == *... ]]; then
      [[ "${got[$i]:-}" == "${want[$i]%...}"* ]] && continue
    elif [ "${want[$i]}" == "${got[$i]:-}" ]; then
      continue
    fi
    echo "  $name line $((i + 1)): got '${got[$i]:-}', expected '${want[$i]}'"
    ok=0
  done
  [ $ok = 1 ]
}

cargo build --quiet --examples
pass=0
fail=0
while read -r name seed lo hi python; do
  [ -n "$name" ] || continue
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  expected="examples/expected/$name.txt"
  if [ ! -f "$expected" ]; then
    echo "FAIL $name: no $expected"; fail=$((fail + 1)); continue
  fi
  # The example's doc comment shows the same output (its ```text block).
  shown=$(awk '/^\/\/! ```text$/ {on=1; next} on && /^\/\/! ```$/ {exit} on {sub(/^\/\/! ?/, ""); print}' "examples/$name.rs")
  if ! compare "examples/$name.rs's text block" "$expected" "$shown"; then
    echo "FAIL $name: its doc comment shows other output than $expected"; fail=$((fail + 1)); continue
  fi
  start=$(date +%s.%N)
  if ! actual=$(timeout 60 "target/debug/examples/$name" 2>/tmp/ringio-seed-stderr); then
    echo "FAIL $name (seed $seed): exited with an error"; cat /tmp/ringio-seed-stderr
    fail=$((fail + 1)); continue
  fi
  took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.3f", b - a}')
  ok=1
  compare "$name" "$expected" "$actual" || ok=0
  if [ "$lo" != "-" ] && awk -v t="$took" -v lo="$lo" -v hi="$hi" 'BEGIN {exit !(t < lo || t > hi)}'; then
    echo "  $name: took ${took}s, expected between ${lo}s and ${hi}s"; ok=0
  fi
  if [ "${SEEDS_PYTHON:-0}" = 1 ] && [ "$python" != no ] && command -v python3 >/dev/null; then
    limit=60
    [ "$python" = forever ] && limit=7
    py_out=$(timeout "$limit" python3 "examples/expected/$name.py" 2>&1 || true)
    compare "$name.py" "$expected" "$py_out" || ok=0
  fi
  if [ $ok = 1 ]; then
    echo "ok   $name (seed $seed, ${took}s)"; pass=$((pass + 1))
  else
    echo "FAIL $name (seed $seed)"; fail=$((fail + 1))
  fi
done <<<"$SEEDS"
echo "seed examples: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
