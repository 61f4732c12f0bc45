#!/usr/bin/env bash
# valgrind memcheck over ringio-runtime's single-threaded tests (see
# RELIABILITY.md, "Sanitizers, valgrind, Miri"). Each test binary runs under
# valgrind with its tests one at a time and a time limit; any memcheck error
# (invalid read/write, use after free, mismatched free) fails the script.
#
#   ci/valgrind.sh             the bounded CI form (a few minutes)
#
# What is left out, and why:
# - tests that use the blocking pool (spawn_blocking, lookup_host,
#   File::set_len): valgrind runs one thread at a time and a pool thread
#   does not get to run while the loop thread waits in io_uring_enter, so
#   they hang under valgrind (they pass natively);
# - tests that run several loops on threads (run_per_thread,
#   task_remote_wake, the blocking pool's own tests), for the same reason;
# - tests that lower RLIMIT_NOFILE (valgrind keeps fds of its own at the
#   top of the range) or time signal delivery;
# - child processes: valgrind 3.19 does not know pidfd_open (ENOSYS), which
#   ringio's process module needs (process_exit, process_cat_echo);
# - tests whose timing assertions cannot hold at valgrind's 20-50x
#   slowdown (interval tick counts, an abort from a thread within 1 s);
# - io_uring's kernel writes: memcheck does not see what the kernel writes
#   into buffers through the ring (it is not a syscall argument), so
#   --undef-value-errors=no: only addressability errors are checked.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v valgrind >/dev/null; then
  echo "installing valgrind"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq valgrind
  else sudo apt-get update -qq && sudo apt-get install -y -qq valgrind; fi
fi
valgrind --version

# Whole binaries left out.
exclude_bins=" blocking_pool run_per_thread task_remote_wake tcp_accept_emfile signal_delivery "
exclude_bins+=" runtime_unavailable tcp_transfer_64mib process_exit process_cat_echo "
# Child processes (pidfd) and cross-thread handles (loop_handle_threads
# blocks threads on the loop); dropped reads against writer threads whose
# pacing and time bounds assume threads that run side by side; timer-order
# tests that block the loop for set times.
exclude_bins+=" process_stdout_dropped loop_handle_threads pipe_read_dropped "
exclude_bins+=" datagram_recv_dropped time_deadline_order time_late_first_poll_order "
# Single tests left out: the blocking pool, then timing, then threads
# (a pool gauge with its threads busy; main woken from another thread;
# metrics of run_per_thread's loops).
skips=(--skip resolves_localhost_by_name --skip metadata_and_set_len
  --skip abort_handle_works_from_another_thread --skip interval_skip_and_delay_drop_missed_ticks
  --skip first_exception_counts_panics_but_not_cancellations
  --skip all_completed_waits_for_every_task
  --skip blocking_pool_threads_and_queue_depth_are_gauges
  --skip the_main_task_is_woken_from_another_thread
  --skip per_loop_gives_each_loop_of_run_per_thread_and_their_sum)
per_binary_limit=${VALGRIND_TIME_LIMIT:-240}

mapfile -t bins < <(cargo test -p ringio-runtime --no-run --message-format=json 2>/dev/null |
  python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
        print(m["target"]["name"], m["executable"])
')

status=0
start=$(date +%s)
for entry in "${bins[@]}"; do
  name=${entry%% *}
  exe=${entry#* }
  if [[ "$exclude_bins" == *" $name "* ]]; then
    echo "SKIP $name (see the list above)"
    continue
  fi
  t0=$(date +%s)
  log=$(mktemp)
  # SIGKILL: valgrind holds SIGTERM while the guest waits in a syscall.
  if timeout -s KILL "$per_binary_limit" valgrind -q --error-exitcode=99 \
      --undef-value-errors=no --leak-check=no \
      "$exe" --test-threads=1 "${skips[@]}" >"$log" 2>&1; then
    echo "PASS $name ($(grep -c '\.\.\. ok$' "$log" || true) tests, $(( $(date +%s) - t0 )) s)"
  else
    rc=$?
    case $rc in
      99) what="memcheck errors" ;;
      137) what="killed after ${per_binary_limit} s" ;;
      *) what="a test failed (exit $rc), not a memcheck error" ;;
    esac
    echo "FAIL $name: $what after $(( $(date +%s) - t0 )) s"
    tail -40 "$log"
    status=1
  fi
  rm -f "$log"
done
# The single-threaded scenarios of the reliability suite (the others use
# threads, child processes, setrlimit or wall-clock limits; see above).
# Resident memory holds memcheck's own heap and free list: RSS figures are
# shown, not checked.
export RINGIO_RELIABILITY_RSS=off RINGIO_RELIABILITY_TIMING=off
cargo build -q -p ringio-reliability --bin reliability
for scenario in churn runtime-drop tiny-ring rst-storm destructor-panic; do
  t0=$(date +%s)
  if timeout -s KILL "$per_binary_limit" valgrind -q --error-exitcode=99 \
      --undef-value-errors=no --leak-check=no \
      "${CARGO_TARGET_DIR:-target}/debug/reliability" "$scenario" --quick; then
    echo "PASS reliability $scenario ($(( $(date +%s) - t0 )) s)"
  else
    rc=$?
    echo "FAIL reliability $scenario: exit $rc ($([ $rc = 99 ] && echo memcheck errors || echo a guarantee failed)) after $(( $(date +%s) - t0 )) s"
    status=1
  fi
done

echo "valgrind: $(( $(date +%s) - start )) s, $([ $status = 0 ] && echo clean || echo FAILED)"
exit $status
