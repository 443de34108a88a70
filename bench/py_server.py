#!/usr/bin/env python3
"""The fib servers of the Python articles fibpool started from, for
fibpool-bench's timeline scenario. Python 3 standard library only.

    python3 bench/py_server.py --mode threads [--port 0]
    python3 bench/py_server.py --mode pool --workers 2 [--port 0]

threads: one thread per connection, computing in that thread (the GIL lets
         one computation run at a time: a big job slows every client).
pool:    one thread per connection, every job submitted to a
         concurrent.futures.ProcessPoolExecutor of --workers processes and
         waited for (a big job holds a pool process; when every process is
         busy, tiny jobs wait behind them).

The line protocol, as far as the bench uses it (shared/PROTOCOL.md): one
request per line, `N`, `N fast` or `N recursive` (an optional `fib ` first),
one answer line per request, F(N) in decimal, or `ERR bad_request ...`.
Ready line on stdout, as fibpool's: `py-MODE listening on HOST:PORT workers=N`.
SIGTERM ends it and its pool processes at once.
"""

import argparse
import concurrent.futures
import multiprocessing
import os
import signal
import socket
import threading


def fib_recursive(n):
    # The articles' naive recursion; F(1) = F(2) = 1.
    return n if n < 2 else fib_recursive(n - 1) + fib_recursive(n - 2)


def fib_fast(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def compute(algorithm, n):
    return str(fib_recursive(n) if algorithm == "recursive" else fib_fast(n))


def parse(line):
    """(algorithm, n), or None for a line that is not a request."""
    words = line.split()
    if words and words[0] == "fib":
        words = words[1:]
    if not 1 <= len(words) <= 2 or not words[0].isdigit():
        return None
    algorithm = words[1] if len(words) == 2 else "fast"
    if algorithm not in ("fast", "recursive"):
        return None
    return algorithm, int(words[0])


def serve_client(conn, run):
    with conn, conn.makefile("rwb", buffering=0) as stream:
        for raw in iter(stream.readline, b""):
            request = parse(raw.decode("ascii", "replace"))
            answer = run(*request) if request else "ERR bad_request not a request"
            stream.write(answer.encode() + b"\n")


def stop(*_):
    """SIGTERM: the pool's processes go too, even in the middle of a job."""
    for child in multiprocessing.active_children():
        child.kill()
    os._exit(0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=("threads", "pool"), required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, stop)

    if args.mode == "pool":
        pool = concurrent.futures.ProcessPoolExecutor(args.workers)
        run = lambda algorithm, n: pool.submit(compute, algorithm, n).result()  # noqa: E731
        pool.submit(compute, "fast", 1).result()  # start the processes before the ready line
    else:
        run = compute
    listener = socket.create_server((args.host, args.port), backlog=128)
    host, port = listener.getsockname()[:2]
    workers = args.workers if args.mode == "pool" else 0
    print(f"py-{args.mode} listening on {host}:{port} workers={workers}", flush=True)
    while True:
        conn, _ = listener.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=serve_client, args=(conn, run), daemon=True).start()


if __name__ == "__main__":
    main()
