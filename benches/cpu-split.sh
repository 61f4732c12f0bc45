#!/usr/bin/env bash
# Where a server's CPU per round trip goes: user space or the kernel.
#
#   benches/cpu-split.sh PEER MODE CONNS SIZE
#
# Starts `peer-server --peer PEER --mode MODE` pinned to CPU 0 and the load
# generator pinned to CPU 1 (CONNS connections, SIZE-byte messages, 4 s),
# and over 2 s in the middle reads the server's CPU two ways: user and
# system ticks from /proc/PID/stat, and the scheduler's nanosecond total
# from /proc/PID/schedstat (an independent second instrument for the
# total). Prints one line: rate, user, sys, both totals, in us per round
# trip. Build first: cargo build -p ringio-benches --release --features peers
set -euo pipefail
cd "$(dirname "$0")/.."
B=target/release
PEER=$1 MODE=$2 CONNS=$3 SIZE=$4
tmp=$(mktemp -d)
trap 'kill "$SP" 2>/dev/null || true; rm -rf "$tmp"' EXIT
"$B/peer-server" --peer "$PEER" --mode "$MODE" --cpu 0 >"$tmp/port" 2>/dev/null &
SP=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
PORT=$(head -1 "$tmp/port")
"$B/loadgen" --addr "127.0.0.1:$PORT" --conns "$CONNS" --size "$SIZE" --duration 4 \
  --warmup 0.5 --cpu 1 --server-pid "$SP" --mode "$MODE" >"$tmp/lg.json" &
LG=$!
sleep 1.2
read -r U1 S1 < <(awk '{print $14, $15}' "/proc/$SP/stat")
N1=$(awk '{print $1}' "/proc/$SP/schedstat")
sleep 2
read -r U2 S2 < <(awk '{print $14, $15}' "/proc/$SP/stat")
N2=$(awk '{print $1}' "/proc/$SP/schedstat")
wait "$LG"
TICK=$(getconf CLK_TCK)
python3 - "$tmp/lg.json" "$PEER" "$MODE" "$CONNS" "$SIZE" "$U1" "$U2" "$S1" "$S2" "$N1" "$N2" "$TICK" <<'PY'
import json, sys
f, peer, mode, conns, size = sys.argv[1:6]
u1, u2, s1, s2, n1, n2, tick = map(int, sys.argv[6:13])
rps = json.load(open(f))["rps"]
n = rps * 2.0  # round trips in the 2 s window
us = 1e6 / tick
print(f"{peer:16} {mode:5} {conns:>4}x{size:<6} rps={rps:8.0f} user={(u2-u1)*us/n:.2f} "
      f"sys={(s2-s1)*us/n:.2f} tick_total={(u2-u1+s2-s1)*us/n:.2f} "
      f"sched_total={(n2-n1)/1e3/n:.2f} us/rt")
PY
