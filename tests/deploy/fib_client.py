#!/usr/bin/env python3
"""Bounded client loop for the deploy tests: asks fibpool for Fibonacci numbers over and
over, each round on a new connection (so a load balancer spreads the rounds), until a stop
file appears or a deadline passes, and checks every answer against F(n) computed here.

A round that got no complete answer because the connection was refused, was closed
before every answer arrived, or was answered `ERR shutting_down` (a replica draining)
is retried, as a real client would; every retry is counted by cause. Any other answer
that is not F(n), or a round still unanswered after its retries, is a failure.

Usage: fib_client.py HOST PORT STOP_FILE MAX_SECONDS
Prints one JSON object: rounds, requests, failures, retries {cause: count}, samples.
"""
import json
import os
import random
import socket
import sys
import time

MAX_RETRIES = 20
RETRY_PAUSE = 0.1  # seconds between tries of one round, as a polite client waits
ROUND_PAUSE = 0.05  # seconds between rounds: a steady load, not a benchmark
ANSWER_TIMEOUT = 30.0


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


class Retry(Exception):
    pass


def ask(host, port, ns):
    """The answers to ns, sent pipelined on one connection; raises Retry or OSError."""
    try:
        sock = socket.create_connection((host, port), timeout=5)
    except ConnectionRefusedError:
        raise Retry("refused")
    with sock:
        sock.settimeout(ANSWER_TIMEOUT)
        sock.sendall("".join(f"{n}\n" for n in ns).encode() + b"quit\n")
        data = b""
        while data.count(b"\n") < len(ns):
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                raise Retry("closed")
            if not chunk:
                raise Retry("closed")
            data += chunk
    lines = data.decode().split("\n")[: len(ns)]
    if any(line == "ERR shutting_down" for line in lines):
        raise Retry("shutting_down")
    return lines


def main():
    host, port, stop_file, max_seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    deadline = time.monotonic() + max_seconds
    rounds = requests = failures = 0
    retries = {}
    samples = []
    while time.monotonic() < deadline and not os.path.exists(stop_file):
        ns = [random.choice((1, 30, 90, 300, 1000)) for _ in range(3)]
        rounds += 1
        requests += len(ns)
        for attempt in range(MAX_RETRIES + 1):
            try:
                lines = ask(host, port, ns)
            except Retry as e:
                retries[str(e)] = retries.get(str(e), 0) + 1
                time.sleep(RETRY_PAUSE)
                continue
            except OSError as e:
                lines = [f"error: {e}"]
            wrong = [(n, got) for n, got in zip(ns, lines) if got != str(fib(n))]
            if wrong:
                failures += 1
                samples.append(f"{wrong[0][0]} -> {wrong[0][1][:60]!r}")
            break
        else:
            failures += 1
            samples.append(f"{ns}: no answer after {MAX_RETRIES} retries")
        time.sleep(ROUND_PAUSE)
    print(json.dumps({"rounds": rounds, "requests": requests, "failures": failures,
                      "retries": retries, "samples": samples[:5]}))


if __name__ == "__main__":
    main()
