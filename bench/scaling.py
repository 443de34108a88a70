#!/usr/bin/env python3
"""Scaling with cores: fibpool and both baselines measured on 1 and 2 CPUs,
and a model of what more cores would give.

    python3 bench/scaling.py [--out DIR] [--prefix P] [--rounds N]
    python3 bench/scaling.py --analyse-only [--out DIR] [--prefix P]

Needs Python 3 (standard library only), taskset (util-linux), gnuplot for the
plot (Debian: apt-get install gnuplot-nox) and a build of fibpool with the
bench (build/bin/fibpool-bench, --build-dir). What it does:

 1. Runs fibpool-bench on the scenarios tiny-8, tiny-8x16 and rec30-8 with
    the whole system confined by taskset (the bench client, fibpool, its
    workers and both baselines inherit the affinity): on CPU 0
    (DIR/Pcpus-1.json), on CPUs 0,1 (DIR/Pcpus-2.json), both with fibpool's
    io_threads 1, and on CPUs 0,1 with io_threads 2 (DIR/Pcpus-2-io2.json).
    The per-core baseline has one loop per CPU of that mask.
 2. Splits the supervisor's CPU between its threads: starts fibpool on CPUs
    0,1 (--workers 2, io_threads 1 and then 2), reads the CPU time of each of
    its threads (/proc/PID/task/TID/schedstat, nanoseconds: the pool thread
    is the main thread, TID == PID, the others are the I/O threads) before
    and after a `fibpool-bench --target HOST:PORT --only fibpool` run of each
    scenario (the client on the same CPUs), and divides by the answers the
    bench counted. The bench JSON of those runs and the readings go to
    DIR/Psplit.json.
 3. Evaluates the model below, checks it against the 1- and 2-CPU figures,
    predicts 4, 8, 16, 32 and 64 cores, and writes DIR/Pscaling.json and the plot
    (--plot, default bench/results/scaling.png).

The model. Per answer, each part of the system costs CPU time, measured
(µs of CPU per answer): s the supervisor (for io_threads > 1 split into p,
the pool thread, and i, all the I/O threads together), w the workers, c the
bench client (one thread), b a baseline server. On C CPUs every part shares
the CPUs, and a part that runs on n threads cannot use more than n CPUs, so

    fibpool, io_threads 1:  X = min(C / (s + w + c), 1 / s, W / w, 1 / c)
    fibpool, io_threads k:  X = min(C / (p + i + w + c), 1 / p, k / i, W / w, 1 / c)
    single-loop baseline:   X = min(C / (b + c), 1 / b, 1 / c)
    per-core baseline:      X = min(C / (b + c), 1 / c)     (C loops: C / b never binds first)

with W the worker processes (2 in the measured runs; --workers defaults to
one per CPU, so W = C in the predictions). Whichever term is smallest is the
part that saturates first. The predictions for 4 to 64 cores take the costs
measured on 2 CPUs, put the clients on other machines (c and 1 / c dropped)
and use fibpool's default io_threads, max(1, C / 4) (supervisor/config/config.cpp):
io_threads 1 (costs of the io_threads 1 run) up to 7 cores, then the pool
thread and I/O-thread costs of the io_threads 2 run. The check against the
1- and 2-CPU runs evaluates the model with each run's own costs and with the
other CPU count's costs (the predictions carry costs from 2 CPUs to more),
and gives how busy the measured processes kept the CPUs: measured req/s x
(s + w + c) / C; well below 100 %, the run was bounded by something the
model leaves out (waiting for wake-ups, or other programs on the CPUs).

Where the model is crude, and says so in BENCHMARKS.md: it assumes the
offered load always keeps the busiest part busy (true of pipelined load,
not of a closed loop on 8 connections, which is bounded by 8 / latency,
and on 1 or 2 CPUs mostly by wake-ups: idle time costs no CPU and is not in
the model); it takes CPU per answer as constant, while batching makes it
fall as load rises and wake-ups make it rise as load falls; it ignores cache
and memory effects, the kernel's own loopback and socket costs beyond what
the processes are charged, other programs on the host, and the PoolGate's
hand-over costs growing with the number of I/O threads (p and i are measured
with 2 I/O threads and taken as they are for 16).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plot  # noqa: E402  (bench/plot.py: the gnuplot helpers and colours)

SCENARIOS = ("tiny-8", "tiny-8x16", "rec30-8")
TARGETS = ("fibpool", "baseline", "per_core")
PREDICTED_CORES = (4, 8, 16, 32, 64)
MEASURED_WORKERS = 2
# fibpool-bench starts its fibpool with these; the split measurement matches them.
FIBPOOL_ARGS = ["--host", "127.0.0.1", "--port", "0", "--workers", str(MEASURED_WORKERS),
                "--log-level", "warn"]
RUNS = (  # name, taskset CPU list, CPUs, fibpool io_threads
    ("cpus-1", "0", 1, 1),
    ("cpus-2", "0,1", 2, 1),
    ("cpus-2-io2", "0,1", 2, 2),
)
SPLIT_CPUS = "0,1"


# ---------------------------------------------------------------- the model

def default_io_threads(cpus):
    """fibpool's default io_threads (supervisor/config/config.cpp, DefaultIoThreads).

    >>> [default_io_threads(c) for c in (1, 2, 3, 4, 7, 8, 16, 64)]
    [1, 1, 1, 1, 1, 2, 4, 16]
    """
    return max(1, cpus // 4)


def throughput(cpus, costs, threads):
    """Answers per second on `cpus` CPUs, and the part that saturates first.

    costs: part -> µs of CPU per answer, every part on those CPUs.
    threads: part -> how many threads run that part (it cannot use more CPUs
    than that); parts not named spread over every CPU.
    Returns (answers/s, "CPUs" or the name of the part whose threads bind).

    >>> throughput(2, {"server": 10.0, "workers": 30.0}, {"server": 1})
    (50000.0, 'CPUs')
    >>> throughput(4, {"server": 10.0, "workers": 10.0}, {"server": 1})
    (100000.0, 'server')
    """
    best = (cpus * 1e6 / sum(costs.values()), "CPUs")
    for part, n in threads.items():
        cost = costs.get(part, 0.0)
        if cost > 0 and n * 1e6 / cost <= best[0]:  # a tie: that part saturates too
            best = (n * 1e6 / cost, part)
    return best


def target_parts(target, cost, cpus, io_threads=1, workers=None, client=True):
    """The model's parts for one target: (costs, threads) for throughput().

    cost: the measured µs per answer: "s", "w", "c" for fibpool (and "p",
    "i" when io_threads > 1), "b", "c" for a baseline. workers: fibpool's
    worker processes (default: one per CPU). client: the bench client on
    the same CPUs (one thread) or elsewhere.
    """
    costs, threads = {}, {}
    if target == "fibpool":
        if io_threads == 1:
            costs["supervisor thread"], threads["supervisor thread"] = cost["s"], 1
        else:
            costs["pool thread"], threads["pool thread"] = cost["p"], 1
            costs["I/O threads"], threads["I/O threads"] = cost["i"], io_threads
        costs["workers"], threads["workers"] = cost["w"], workers or cpus
    elif target == "baseline":
        costs["event loop"], threads["event loop"] = cost["b"], 1
    elif target == "per_core":
        costs["event loops"] = cost["b"]  # one loop per CPU: spread over them all
    else:
        raise ValueError(f"unknown target {target}")
    if client:
        costs["client"], threads["client"] = cost["c"], 1
    return costs, threads


def predict(target, cost, cpus, io_threads=1, workers=None, client=True):
    """throughput() of target_parts().

    >>> cost = {"s": 2.0, "p": 1.0, "i": 1.5, "w": 1.0, "c": 1.0, "b": 1.0}
    >>> predict("fibpool", cost, 1)            # 1 / (2 + 1 + 1) µs
    (250000.0, 'CPUs')
    >>> predict("fibpool", cost, 64, client=False)
    (500000.0, 'supervisor thread')
    >>> predict("fibpool", cost, 64, io_threads=16, client=False)
    (1000000.0, 'pool thread')
    >>> predict("per_core", cost, 64, client=False)
    (64000000.0, 'CPUs')
    >>> predict("baseline", cost, 64, client=False)
    (1000000.0, 'event loop')
    """
    return throughput(cpus, *target_parts(target, cost, cpus, io_threads, workers, client))


def first_bound(target, cost, cost_many=None, up_to=1024):
    """The fewest cores from which something other than the CPUs binds, with
    the clients elsewhere and fibpool at its default io_threads (one worker
    per core), or None. cost: the costs with one I/O thread; cost_many: with
    several (fibpool only; None: stop looking where they start).

    >>> first_bound("fibpool", {"s": 2.0, "w": 6.0})  # 1 / 2 µs <= C / 8 µs from C = 4
    (4, 'supervisor thread')
    >>> first_bound("fibpool", {"s": 1.0, "w": 20.0}, {"p": 0.5, "i": 1.0, "w": 20.0})
    (43, 'pool thread')
    >>> first_bound("per_core", {"b": 1.0}) is None
    True
    """
    for cpus in range(1, up_to + 1):
        io = default_io_threads(cpus) if target == "fibpool" else 1
        if io > 1 and cost_many is None:
            return None
        _, bound = predict(target, cost_many if io > 1 else cost, cpus, io, None, False)
        if bound != "CPUs":
            return cpus, bound
    return None


# ---------------------------------------------------------- the measurement

def bench_costs(scenario_entry, target):
    """µs of CPU per answer (server, workers, client) and req/s of one target
    in one scenario of a fibpool-bench JSON, or None if it did not run."""
    t = scenario_entry.get(target)
    if not t or not t["answered"] or not t["cpu_seconds"]["known"]:
        return None
    cpu, n = t["cpu_seconds"], t["answered"]
    return {"requests_per_second": t["requests_per_second"], "answered": n,
            "server": cpu["server"] * 1e6 / n, "workers": cpu["workers"] * 1e6 / n,
            "client": cpu["client"] * 1e6 / n}


def run(cmd, log):
    print("+ " + " ".join(cmd), file=sys.stderr, flush=True)
    with open(log, "w") as out:
        result = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        with open(log) as f:
            sys.stderr.write(f.read()[-4000:])
        sys.exit(f"scaling.py: {cmd[0]} exited {result.returncode} (log: {log})")


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().strip()


def thread_cpu_ns(pid):
    """tid -> CPU time in ns of every thread of pid (schedstat's first field)."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                out[int(tid)] = int(f.read().split()[0])
        except OSError:
            pass  # the thread ended between listing and reading
    return out


def start_fibpool(fibpool, io_threads):
    """Starts fibpool on SPLIT_CPUS; returns (process, "HOST:PORT")."""
    proc = subprocess.Popen(["taskset", "-c", SPLIT_CPUS, fibpool, *FIBPOOL_ARGS,
                             "--io-threads", str(io_threads)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:  # blocks until the ready line or exit
        m = re.match(r"fibpool listening on (\S+):(\d+)", line)
        if m:
            return proc, f"{m.group(1)}:{m.group(2)}"
    proc.wait()
    sys.exit(f"scaling.py: fibpool exited {proc.returncode} before its ready line")


def stop_fibpool(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        sys.exit("scaling.py: fibpool did not stop within 30 s of SIGTERM")


def measure_split(args, work):
    """Per-thread CPU of fibpool's supervisor per answer, io_threads 1 and 2."""
    rows = []
    for io in (1, 2):
        proc, address = start_fibpool(os.path.join(args.build_dir, "bin", "fibpool"), io)
        try:
            for scenario in SCENARIOS:
                out = os.path.join(work, f"split-io{io}-{scenario}.json")
                before = thread_cpu_ns(proc.pid)
                run(["taskset", "-c", SPLIT_CPUS, args.bench, "--target", address, "--only",
                     "fibpool", "--workers", str(MEASURED_WORKERS), "--scenario", scenario,
                     *args.bench_args, "--json", out], out + ".log")
                after = thread_cpu_ns(proc.pid)
                with open(out) as f:
                    bench = json.load(f)
                fib = bench["scenarios"][0]["fibpool"]
                n = fib["answered"]
                used = {tid: after[tid] - before.get(tid, 0) for tid in after}
                pool = used.get(proc.pid, 0) / 1e3 / n
                io_us = sum(v for tid, v in used.items() if tid != proc.pid) / 1e3 / n
                rows.append({"scenario": scenario, "io_threads": io, "answered": n,
                             "requests_per_second": fib["requests_per_second"],
                             "threads": len(used), "pool_thread_us": pool,
                             "io_threads_us": io_us, "bench": bench})
        finally:
            stop_fibpool(proc)
    return rows


# ------------------------------------------------------------- the analysis

def costs_of(runs, split, run_name, scenario):
    """The model's costs for every target in one run and scenario.

    fibpool with io_threads k > 1: s of that run split into p and i in the
    proportion the split measurement found for k = 2 on the same scenario."""
    entry = next(s for s in runs[run_name]["scenarios"] if s["id"] == scenario)
    io = dict((name, io) for name, _, _, io in RUNS)[run_name]
    out = {}
    for target in TARGETS:
        m = bench_costs(entry, target)
        if not m:
            continue
        if target == "fibpool":
            cost = {"s": m["server"], "w": m["workers"], "c": m["client"]}
            if io > 1:
                row = next(r for r in split if r["scenario"] == scenario and r["io_threads"] == io)
                share = row["pool_thread_us"] / (row["pool_thread_us"] + row["io_threads_us"])
                cost["p"], cost["i"] = m["server"] * share, m["server"] * (1 - share)
        else:
            cost = {"b": m["server"], "c": m["client"]}
        out[target] = {"measured": m["requests_per_second"], "cost": cost}
    return out


def analyse(runs, split):
    """measured, check and predicted rows from the bench JSONs and the split."""
    measured, check, predicted, bounds = [], [], [], []
    cpus_of = {name: (cpus, io) for name, _, cpus, io in RUNS}
    for scenario in SCENARIOS:
        per_run = {name: costs_of(runs, split, name, scenario) for name, _, _, _ in RUNS}
        for name, (cpus, io) in cpus_of.items():
            other = {"cpus-1": "cpus-2", "cpus-2": "cpus-1"}.get(name)
            for target, m in per_run[name].items():
                if target != "fibpool" and io > 1:
                    continue  # the baselines of the io_threads 2 run: a repeat
                measured.append({"scenario": scenario, "cpus": cpus, "target": target,
                                 "io_threads": io, "requests_per_second": m["measured"],
                                 "cost_us_per_answer": m["cost"]})
                own, own_bound = predict(target, m["cost"], cpus, io, MEASURED_WORKERS)
                busy = m["measured"] * sum(target_parts(target, m["cost"], cpus, io)[0].values())
                row = {"scenario": scenario, "cpus": cpus, "target": target, "io_threads": io,
                       "measured": m["measured"], "predicted": own, "bound": own_bound,
                       "error": own / m["measured"] - 1, "cpus_busy": busy / 1e6 / cpus}
                if other and target in per_run[other]:
                    x, _ = predict(target, per_run[other][target]["cost"], cpus, io,
                                   MEASURED_WORKERS)
                    row.update(predicted_other_run=x, error_other_run=x / m["measured"] - 1)
                check.append(row)
        io1, io2 = per_run["cpus-2"], per_run["cpus-2-io2"]
        for target in TARGETS:
            if target not in io1:
                continue
            for cores in PREDICTED_CORES:
                io = default_io_threads(cores) if target == "fibpool" else 1
                cost = (io2 if io > 1 else io1)[target]["cost"]
                x, bound = predict(target, cost, cores, io, None, client=False)
                predicted.append({"scenario": scenario, "cores": cores, "target": target,
                                  "io_threads": io, "requests_per_second": x, "bound": bound})
            first = first_bound(target, io1[target]["cost"],
                                io2["fibpool"]["cost"] if target == "fibpool" else None)
            bounds.append({"scenario": scenario, "target": target,
                           "cores": first[0] if first else None,
                           "part": first[1] if first else None})
    return measured, check, predicted, bounds


# ------------------------------------------------------------------ the plot

def draw(result, out, work):
    """Three panels (one per scenario) and a key below them, in one PNG."""
    symbols = {1: 7, 2: 5}  # io_threads 1: circle, 2: diamond
    panels, key = [], {}
    for scenario in SCENARIOS:
        lines = []
        for target in TARGETS:
            colour = plot.COLORS[target]
            label = plot.LABELS[target].split(" (")[0]
            for io in (1, 2):
                pts = [r for r in result["measured"]
                       if r["scenario"] == scenario and r["target"] == target
                       and r["io_threads"] == io]
                if not pts:
                    continue
                data = os.path.join(work, f"m-{scenario}-{target}-{io}.dat")
                with open(data, "w") as f:
                    f.writelines(f"{r['cpus']} {r['requests_per_second']}\n" for r in pts)
                style = f'with points pt {symbols[io]} ps 1.6 lc rgb "{colour}"'
                key[style] = f"{label}, measured" + (
                    f", io_threads {io}" if target == "fibpool" else "")
                lines.append(f'"{data}" using 1:2 {style} notitle')
            pts = [r for r in result["predicted"]
                   if r["scenario"] == scenario and r["target"] == target]
            if pts:
                data = os.path.join(work, f"p-{scenario}-{target}.dat")
                with open(data, "w") as f:
                    f.writelines(f"{r['cores']} {r['requests_per_second']}\n" for r in pts)
                style = f'with linespoints lw 2 pt 6 dt 2 lc rgb "{colour}"'
                key[style] = f"{label}, model (clients elsewhere" + (
                    ", default io_threads)" if target == "fibpool" else ")")
                lines.append(f'"{data}" using 1:2 {style} notitle')
        panels.append((scenario, lines))
    script = plot.header(out, "", 1500, 640).replace('set title ""\n', "")
    script += ('set termoption noenhanced\n'
               'set multiplot title "Answers/s against CPUs: measured on 1 and 2 CPUs (the '
               'whole system confined), model for 4 to 64 cores (bench/scaling.py)"\n'
               'set logscale x 2\nset logscale y 10\nset xrange [0.8:80]\n'
               'set xtics (1, 2, 4, 8, 16, 32, 64)\nset format y "%.0s%c"\n'
               'set xlabel "CPUs"\nset ylabel "answers per second"\nunset key\n')
    for k, (scenario, lines) in enumerate(panels):
        script += (f'set size {1 / 3:.4f}, 0.75\nset origin {k / 3:.4f}, 0.2\n'
                   f'set title "{scenario}"\n')
        script += "plot " + ", \\\n     ".join(lines) + "\n"
    script += ('set size 1, 0.2\nset origin 0, 0\nunset title\nunset border\nunset tics\n'
               'unset grid\nunset xlabel\nunset ylabel\nunset logscale\n'
               'set xrange [0:1]\nset yrange [0:1]\n'
               'set key center center horizontal maxrows 3 width 2\n')
    script += "plot " + ", \\\n     ".join(f'NaN {style} title "{title}"'
                                              for style, title in key.items()) + "\n"
    script += "unset multiplot\n"
    plot.gnuplot(script, work)


# ------------------------------------------------------------- the report

def markdown(result):
    """The tables of "Scaling with cores", from scaling.json: the predictions
    in BENCHMARKS.md, the costs, the split and the check against the measurement
    in bench/results/history.md."""
    name = {"fibpool": "fibpool", "baseline": "1-loop baseline", "per_core": "per-core baseline"}

    def who(r):
        return name[r["target"]] + (f", io_threads {r['io_threads']}"
                                    if r["target"] == "fibpool" else "")

    def pct(x):
        return f"{x * 100:+.0f} %"

    out = ["| scenario | CPUs | target | req/s | CPU µs/answer (server / workers / client) |",
           "|---|---:|---|---:|---|"]
    for r in result["measured"]:
        c = r["cost_us_per_answer"]
        server = c.get("s", c.get("b"))
        out.append(f"| {r['scenario']} | {r['cpus']} | {who(r)} | {r['requests_per_second']:,.0f} "
                   f"| {server:.1f} / {c.get('w', 0):.1f} / {c['c']:.1f} |")
    out += ["", "| scenario | io_threads | answers | req/s | pool thread µs/answer "
            "| I/O threads µs/answer (all together) |", "|---|---:|---:|---:|---:|---:|"]
    for r in result["split"]:
        io = f"{r['io_threads_us']:.2f}" if r["io_threads"] > 1 else "(the same thread)"
        out.append(f"| {r['scenario']} | {r['io_threads']} | {r['answered']:,} | "
                   f"{r['requests_per_second']:,.0f} | {r['pool_thread_us']:.2f} | {io} |")
    out += ["", "| scenario | CPUs | target | measured req/s | CPUs busy | model, this run's "
            "costs | error | binds | model, the other CPU count's costs | error |",
            "|---|---:|---|---:|---:|---:|---:|---|---:|---:|"]
    for r in result["check"]:
        other = (f"{r['predicted_other_run']:,.0f} | {pct(r['error_other_run'])}"
                 if "predicted_other_run" in r else "- | -")
        out.append(f"| {r['scenario']} | {r['cpus']} | {who(r)} | {r['measured']:,.0f} | "
                   f"{r['cpus_busy'] * 100:.0f} % | {r['predicted']:,.0f} | {pct(r['error'])} | {r['bound']} | {other} |")
    cores = sorted({r["cores"] for r in result["predicted"]})
    out += ["", "| scenario | target | " + " | ".join(f"{c} cores" for c in cores)
            + " | saturates first |", "|---|---|" + "---:|" * len(cores) + "---|"]
    for first in result["first_bound"]:
        rows = [r for r in result["predicted"]
                if r["scenario"] == first["scenario"] and r["target"] == first["target"]]
        cells = " | ".join(f"{r['requests_per_second']:,.0f} ({r['bound']}"
                           + (f", io_threads {r['io_threads']})" if r["target"] == "fibpool"
                              else ")") for r in rows)
        plural = "s" if first["cores"] and first["cores"] > 1 else ""
        sat = (f"{first['part']}, from {first['cores']} core{plural}" if first["cores"]
               else "the CPUs (linear)")
        out.append(f"| {first['scenario']} | {name[first['target']]} | {cells} | {sat} |")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------- main

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(here, "results"),
                        help="directory for the JSON files (default: bench/results)")
    parser.add_argument("--prefix", default="", help="prefix of the JSON files' names")
    parser.add_argument("--plot", default=os.path.join(here, "results", "scaling.png"),
                        help="the PNG to write (default: bench/results/scaling.png)")
    parser.add_argument("--build-dir", default=os.path.join(os.path.dirname(here), "build"))
    parser.add_argument("--rounds", type=int, default=4, help="fibpool-bench --rounds")
    parser.add_argument("--quick", action="store_true",
                        help="fibpool-bench --quick: short slices, to try the script")
    parser.add_argument("--analyse-only", action="store_true",
                        help="only read the JSON files of an earlier run and redraw")
    args = parser.parse_args()
    args.bench = os.path.join(args.build_dir, "bin", "fibpool-bench")
    args.bench_args = ["--rounds", str(args.rounds)] + (["--quick"] if args.quick else [])
    path = lambda name: os.path.join(args.out, f"{args.prefix}{name}.json")  # noqa: E731
    os.makedirs(args.out, exist_ok=True)
    if not args.analyse_only:
        load_before = loadavg()
        with tempfile.TemporaryDirectory() as work:
            for name, mask, _, io in RUNS:
                run(["taskset", "-c", mask, args.bench, "--scenario", ",".join(SCENARIOS),
                     *args.bench_args, f"--fibpool-arg=--io-threads={io}",
                     "--json", path(name)], os.path.join(work, f"{name}.log"))
            split = measure_split(args, work)
        with open(path("split"), "w") as f:
            json.dump({"cpus": SPLIT_CPUS, "fibpool_args": FIBPOOL_ARGS, "runs": split,
                       "load_before": load_before, "load_after": loadavg()}, f, indent=1)
    runs = {}
    for name, _, _, _ in RUNS:
        with open(path(name)) as f:
            runs[name] = json.load(f)
    with open(path("split")) as f:
        split_file = json.load(f)
    split = split_file["runs"]
    measured, check, predicted, bounds = analyse(runs, split)
    result = {
        "command": "python3 " + " ".join(sys.argv),
        "model": __doc__.split("The model. ")[1].split("\n\nWhere the model")[0],
        "runs": {name: {"taskset": mask, "cpus": cpus, "io_threads": io,
                        "file": os.path.basename(path(name)), "command": runs[name]["command"],
                        "conditions": runs[name]["conditions"]}
                 for name, mask, cpus, io in RUNS},
        "load_before_after": [split_file.get("load_before"), split_file.get("load_after")],
        "measured": measured,
        "split": [{k: v for k, v in r.items() if k != "bench"} for r in split],
        "check": check,
        "predicted": predicted,
        "first_bound": bounds,
    }
    with open(path("scaling"), "w") as f:
        json.dump(result, f, indent=1)
    print(markdown(result))
    print(path("scaling"), file=sys.stderr)
    if not shutil.which("gnuplot"):
        sys.exit("scaling.py: gnuplot not found (Debian: apt-get install gnuplot-nox)")
    with tempfile.TemporaryDirectory() as work:
        draw(result, os.path.abspath(args.plot), work)
    print(os.path.abspath(args.plot), file=sys.stderr)


if __name__ == "__main__":
    main()
