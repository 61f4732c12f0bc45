"""The suite's Python peers: an echo or line-echo server on asyncio's
streams, with asyncio's own event loop or uvloop's.

    python3 echo_server.py --loop asyncio|uvloop --mode echo|line [--cpu N]

Pins itself to CPU N, listens on a free port of 127.0.0.1, prints the
port on a line of its own and serves until killed. Exits with status 3
(and says why on stderr) when uvloop is asked for and not installed.

- echo: `data = await reader.read(65536)`, `writer.write(data)`,
  `await writer.drain()`: the same loop as the Rust echo servers.
- line: `await reader.readline()`, `writer.write(line)`,
  `await writer.drain()`: what ringio's streams mirror.
"""

import argparse
import asyncio
import os
import socket
import sys

BUF = 64 * 1024


async def echo(reader, writer):
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while True:
            data = await reader.read(BUF)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    writer.close()


async def echo_lines(reader, writer):
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            writer.write(line)
            await writer.drain()
    except ConnectionError:
        pass
    writer.close()


async def serve(mode):
    handler = echo if mode == "echo" else echo_lines
    # The line limit well above the suite's largest message (64 KiB).
    server = await asyncio.start_server(
        handler, "127.0.0.1", 0, backlog=4096, limit=1 << 20
    )
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio")
    p.add_argument("--mode", choices=["echo", "line"], default="echo")
    p.add_argument("--cpu", type=int)
    args = p.parse_args()
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    if args.loop == "uvloop":
        try:
            import uvloop
        except ImportError:
            print("uvloop is not installed (pip install uvloop)", file=sys.stderr)
            sys.exit(3)
        uvloop.run(serve(args.mode))
    else:
        asyncio.run(serve(args.mode))


if __name__ == "__main__":
    main()
