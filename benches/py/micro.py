"""The suite's micro benchmarks on asyncio (or uvloop's loop), the same
work as the Rust peers' (src/bin/micro):

    python3 micro.py --loop asyncio|uvloop --bench spawn|sleep|yield [--cpu N] [--repeat 3]

- spawn: create 100,000 tasks that return a number, then await them all;
- sleep: 100,000 tasks each sleeping 1-5 ms, awaited;
- yield: two tasks each doing `await asyncio.sleep(0)` 100,000 times.

Runs the benchmark --repeat times (3), each on a new event loop, and prints one
JSON line for the median run: ops, seconds, ops_per_sec. Exits with
status 3 when uvloop is asked for and not installed.
"""

import argparse
import asyncio
import json
import os
import sys
import time

N = 100_000


async def spawn():
    tasks = [asyncio.ensure_future(ret(i)) for i in range(N)]
    s = 0
    for t in tasks:
        s += await t
    return N


async def ret(i):
    return i


async def sleep():
    tasks = [asyncio.ensure_future(asyncio.sleep((1 + i % 5) / 1000)) for i in range(N)]
    for t in tasks:
        await t
    return N


async def yielder():
    for _ in range(N):
        await asyncio.sleep(0)


async def yield_():
    a = asyncio.ensure_future(yielder())
    b = asyncio.ensure_future(yielder())
    await a
    await b
    return 2 * N


BENCHES = {"spawn": spawn, "sleep": sleep, "yield": yield_}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio")
    p.add_argument("--bench", choices=sorted(BENCHES), required=True)
    p.add_argument("--cpu", type=int)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    if args.loop == "uvloop":
        try:
            import uvloop
        except ImportError:
            print("uvloop is not installed (pip install uvloop)", file=sys.stderr)
            sys.exit(3)
        new_loop = uvloop.new_event_loop
    else:
        new_loop = asyncio.new_event_loop
    runs = []
    for _ in range(max(1, args.repeat)):
        loop = new_loop()
        start = time.perf_counter()
        ops = loop.run_until_complete(BENCHES[args.bench]())
        runs.append((time.perf_counter() - start, ops))
        loop.close()
    runs.sort()
    secs, ops = runs[len(runs) // 2]
    print(json.dumps({"ops": ops, "seconds": secs, "ops_per_sec": ops / secs}))


if __name__ == "__main__":
    main()
