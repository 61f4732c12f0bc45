#!/usr/bin/env bash
# hyper hello under wrk: a second load generator beside the suite's own.
#
#   benches/wrk-hyper.sh PEER CONNS      (PEER: ringio or tokio)
#
# Starts `peer-server --peer PEER --mode http` pinned to CPU 0, warms up
# with 1 s of wrk, then runs wrk (one thread, CONNS connections, pinned to
# CPU 1) for 5 s and prints wrk's requests per second and the server's
# CPU per request (user + system ticks from /proc/PID/stat over the run).
# Needs wrk on PATH. Build first:
# cargo build -p ringio-benches --release --features peers
set -euo pipefail
cd "$(dirname "$0")/.."
B=target/release
PEER=$1 C=$2
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'kill "$SP" 2>/dev/null || true; rm -rf "$tmp"' EXIT
"$B/peer-server" --peer "$PEER" --mode http --cpu 0 >"$tmp/port" 2>/dev/null &
SP=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
PORT=$(head -1 "$tmp/port")
taskset -c 1 wrk -t1 -c"$C" -d1 "http://127.0.0.1:$PORT/" >/dev/null 2>&1
T0=$(awk '{print $14+$15}' "/proc/$SP/stat")
OUT=$(taskset -c 1 wrk -t1 -c"$C" -d5 "http://127.0.0.1:$PORT/" 2>&1)
T1=$(awk '{print $14+$15}' "/proc/$SP/stat")
REQ=$(echo "$OUT" | awk '/requests in/{print $1}')
RPS=$(echo "$OUT" | awk '/Requests\/sec/{print $2}')
HZ=$(getconf CLK_TCK)
python3 -c "print('$PEER c=$C wrk rps=%.0f server cpu/req=%.2f us' % ($RPS, ($T1-$T0)/$HZ*1e6/$REQ))"
