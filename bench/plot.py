#!/usr/bin/env python3
"""Turns fibpool-bench's JSON (--json FILE) into PNG plots with gnuplot.

    python3 bench/plot.py [--out DIR] RESULTS.json [RESULTS.json ...]

Needs Python 3 (standard library only) and gnuplot (Debian: apt-get install
gnuplot-nox). Each plot is drawn from the first file given that holds its
scenarios:

  rate-vs-connections.png  requests/s against connections: `30 recursive`
                           (rec30-1/2/4/8) and tiny jobs (tiny-1, tiny-8),
                           fibpool, the baseline and the per-core baseline
                           (when the JSON has it)
  latency-tiny.png         latency distribution of tiny jobs (tiny-1,
                           tiny-8): the percentiles the JSON holds (min, p50,
                           p90, p99, max) as points of the CDF
  timeline.png             the timeline scenario: tiny answers per 100 ms
                           while big jobs start and finish, per server
                           (fibpool, the baseline, and the Python servers
                           when the JSON has them)
  soak.png                 the soak (--scenario soak): the supervisor's RSS,
                           descriptors and /dev/shm bytes, the workers, the
                           tiny jobs' p99 and the answers per second, every
                           second, with the worker kills and resizes

Plots whose scenarios no file holds are skipped, with a line on stderr.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

COLORS = {"fibpool": "#1f6feb", "baseline": "#cf222e", "per_core": "#1a7f37",
          "minimal": "#57606a", "py-threads": "#bf8700", "py-pool": "#8250df"}
LABELS = {"fibpool": "fibpool", "baseline": "in-process baseline (fibpool-baseline)",
          "per_core": "per-core baseline (fibpool-baseline --threads 0)",
          "minimal": "minimal reference (fibpool-minimal --threads 0)",
          "py-threads": "Python, thread per connection",
          "py-pool": "Python, ProcessPoolExecutor"}


def load(paths):
    """Scenario id -> (scenario, file name), the first file holding it winning.

    A soak's JSON (its own shape: one scenario, a per-second series) is held
    under the id "soak".
    """
    scenarios = {}
    for path in paths:
        with open(path) as f:
            data = json.load(f)
        if data.get("scenario") == "soak":
            scenarios.setdefault("soak", (data, os.path.basename(path)))
            continue
        for s in data["scenarios"]:
            scenarios.setdefault(s["id"], (s, os.path.basename(path)))
    return scenarios


def gnuplot(script, workdir):
    subprocess.run(["gnuplot"], input=script, text=True, check=True, cwd=workdir)


def header(out, title, width=900, height=520):
    return (f'set terminal pngcairo size {width},{height} font "DejaVu Sans,11"\n'
            f'set output "{out}"\nset title "{title}"\nset grid\nset key top left\n')


def rate_vs_connections(scenarios, out, work):
    series = {
        "30 recursive": ["rec30-1", "rec30-2", "rec30-4", "rec30-8"],
        "tiny jobs": ["tiny-1", "tiny-8"],
    }
    lines, sources = [], set()
    for name, ids in series.items():
        for target in ("fibpool", "baseline", "per_core", "minimal"):
            rows = []
            for sid in ids:
                if sid in scenarios and target in scenarios[sid][0]:
                    s, src = scenarios[sid]
                    sources.add(src)
                    connections = int(sid.split("-")[1])
                    rows.append((connections, s[target]["requests_per_second"]))
            if not rows:
                continue
            data = os.path.join(work, f"rate-{name.replace(' ', '_')}-{target}.dat")
            with open(data, "w") as f:
                f.writelines(f"{c} {r}\n" for c, r in rows)
            dash = "1" if name == "tiny jobs" else "2"
            lines.append(f'"{data}" using 1:2 with linespoints lw 2 pt 7 dt {dash} '
                         f'lc rgb "{COLORS[target]}" title "{LABELS[target]}: {name}"')
    if not lines:
        return False
    script = header(out, "Requests/s against connections (" + ", ".join(sorted(sources)) + ")",
                    1100, 640)
    script += ('set logscale x 2\nset logscale y 10\nset format y "%.0f"\n'
               'set xlabel "connections (closed loop)"\n'
               'set ylabel "answers per second"\nset xrange [0.8:10]\n'
               'set key outside bottom center horizontal maxrows 4\n')
    script += "plot " + ", \\\n     ".join(lines) + "\n"
    gnuplot(script, work)
    return True


def latency_tiny(scenarios, out, work):
    points = [("min_us", 0.0), ("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0)]
    lines, sources = [], set()
    for sid, dash in (("tiny-1", "1"), ("tiny-8", "2")):
        if sid not in scenarios:
            continue
        s, src = scenarios[sid]
        sources.add(src)
        for target in ("fibpool", "baseline", "per_core"):
            if target not in s:
                continue
            lat = s[target]["latency"]
            if not lat["samples"]:
                continue
            data = os.path.join(work, f"cdf-{sid}-{target}.dat")
            with open(data, "w") as f:
                for key, q in points:
                    us = lat[key] if key == "min_us" else lat[key]["us"]
                    f.write(f"{max(us, 1)} {q}\n")
            lines.append(f'"{data}" using 1:2 with linespoints lw 2 pt 7 dt {dash} '
                         f'lc rgb "{COLORS[target]}" title "{LABELS[target]}: {sid}"')
    if not lines:
        return False
    script = header(out, "Latency of tiny jobs: min, p50, p90, p99, max as CDF points ("
                    + ", ".join(sorted(sources)) + ")")
    script += ('set logscale x 10\nset xlabel "latency (µs, request written to answer read)"\n'
               'set ylabel "fraction of requests answered within"\nset yrange [0:1.02]\n'
               'set key bottom right\n')
    script += "plot " + ", \\\n     ".join(lines) + "\n"
    gnuplot(script, work)
    return True


def timeline(scenarios, out, work):
    if "timeline" not in scenarios:
        return False
    s, src = scenarios["timeline"]
    lines, finishes, start_s = [], [], None
    servers = [(s["fibpool"], s.get("fibpool_background", {})),
               (s["baseline"], s.get("baseline_background", {}))]
    servers += [(o["main"], o["background"]) for o in s.get("others", [])]
    for main, background in servers:
        target = main["label"]
        tiny = main.get("timeline")
        if not tiny:
            continue
        bucket_s = main["timeline_bucket_ms"] / 1000
        big = background.get("timeline", [])
        length = max(len(tiny), len(big))
        data = os.path.join(work, f"timeline-{target}.dat")
        with open(data, "w") as f:
            for i in range(length):
                count = tiny[i] if i < len(tiny) else 0
                f.write(f"{i * bucket_s} {count}\n{(i + 1) * bucket_s} {count}\n")
        answered = [(i + 1) * bucket_s for i, n in enumerate(big) for _ in range(n)]
        when = ", ".join(f"{t:.1f}" for t in answered)
        title = LABELS[target] + (f" (big jobs answered at {when} s)" if answered else "")
        lines.append(f'"{data}" using 1:2 with lines lw 2 lc rgb "{COLORS[target]}" '
                     f'title "{title}"')
        finishes += [(t, target) for t in answered]
    title = s["title"].replace("`", "")
    what = title.split(", while ")[-1] if ", while " in title else title
    script = header(out, f"Tiny requests answered per 100 ms while {what} ({src})", 1000, 580)
    script += ('set xlabel "seconds since the start of the run"\n'
               'set ylabel "tiny answers per 100 ms"\nset key outside bottom center horizontal maxrows 2\n'
               'set yrange [0:*]\n')
    if "start at" in title:
        start_s = float(title.split("start at ")[1].split(" ")[0])
        script += (f'set arrow from {start_s}, graph 0 to {start_s}, graph 1 nohead '
                   f'dt 3 lc rgb "#444444"\n'
                   f'set label "big jobs sent" at {start_s}, graph 1 offset -0.5,0.7 font ",9"\n')
    # Each big job's answer: a dashed line in its server's colour, the times
    # in the key (labels in the plot would cross the curves and each other).
    for t, target in finishes:
        script += (f'set arrow from {t}, graph 0 to {t}, graph 1 nohead dt 2 '
                   f'lc rgb "{COLORS[target]}"\n')
    script += "plot " + ", \\\n     ".join(lines) + "\n"
    gnuplot(script, work)
    return True


def soak(scenarios, out, work):
    """Six panels over the soak's time, one point a second; a dashed line
    where the clients stop sending, a dotted one where the last answer came
    (from there on the supervisor is at rest)."""
    if "soak" not in scenarios:
        return False
    s, src = scenarios["soak"]
    series = s["series"]
    if not series:
        return False
    data = os.path.join(work, "soak.dat")
    mib = 1 << 20
    with open(data, "w") as f:
        for x in series:
            f.write(f'{x["t_s"]} {x["rss_bytes"] / mib} {x["rss_anon_bytes"] / mib} {x["fds"]} '
                    f'{x["shm_bytes"] / mib} {max(x["workers"], 0)} '
                    f'{max(x["workers"], 0) + max(x["reserve_workers"], 0)} '
                    f'{x["tiny_p99_us"] / 1000} {x["answers"]}\n')
    # Worker kills (marks on the workers' panel) and the end of the load.
    kills = os.path.join(work, "soak-kills.dat")
    with open(kills, "w") as f:
        last = 0
        for x in series:
            if x["kills"] > last:
                f.write(f'{x["t_s"]} 0.2\n')
            last = x["kills"]
    # Dashed: the clients stop sending; dotted: every client had its last
    # answer (the supervisor is then measured at rest).
    stop = (f'set arrow 1 from {s["duration_s"]}, graph 0 to {s["duration_s"]}, graph 1 '
            f'nohead dt 2 lc rgb "#444444"\n')
    rests = [x["t_s"] for x in series if not x["load"]]
    if rests:
        stop += (f'set arrow 2 from {rests[0]}, graph 0 to {rests[0]}, graph 1 nohead dt 3 '
                 f'lc rgb "#444444"\n')
    verdict = "PASS" if s["ok"] else "FAIL"
    t = s["total"]
    title = (f'fibpool soak, {s["duration_s"]} s ({src}): {t["requests"]} requests, '
             f'{t["wrong"]} wrong, {t["lost"]} lost, {s["kills"]} workers killed, '
             f'{len(s["resizes"])} resizes: {verdict}')
    script = (f'set terminal pngcairo size 1100,1250 font "DejaVu Sans,10"\n'
              f'set output "{out}"\nset multiplot layout 6,1 title "{title}" font ",12"\n'
              'set grid\nset key top left horizontal opaque\nset lmargin 12\nset rmargin 3\n'
              'set xrange [0:*]\nset autoscale xfix\nset offsets 0, 0, graph 0.25, 0\n'
              'set format x ""\n' + stop)
    panels = [
        ("supervisor RSS (MiB)",
         f'"{data}" using 1:2 with lines lw 2 lc rgb "#1f6feb" title "VmRSS", '
         f'"{data}" using 1:3 with lines lw 2 lc rgb "#8250df" title "RssAnon (heap)"'),
        ("open fds",
         f'"{data}" using 1:4 with lines lw 2 lc rgb "#1a7f37" title "supervisor descriptors"'),
        ("/dev/shm (MiB)",
         f'"{data}" using 1:5 with lines lw 2 lc rgb "#bf8700" title "fibpool.<pid>.* segments"'),
        ("workers",
         f'"{data}" using 1:6 with steps lw 2 lc rgb "#cf222e" title "main lane", '
         f'"{data}" using 1:7 with steps lw 1 dt 2 lc rgb "#444444" title "with the reserve", '
         f'"{kills}" using 1:2 with points pt 9 ps 0.6 lc rgb "#cf222e" title "worker SIGKILLed"'),
        ("tiny p99 (ms)",
         f'"{data}" using 1:($8 > 0 ? $8 : 1/0) with points pt 7 ps 0.3 lc rgb "#1f6feb" '
         f'title "p99 of the tiny jobs answered in that second"'),
        ("answers/s",
         f'"{data}" using 1:9 with lines lw 1 lc rgb "#1a7f37" title "answers in that second"'),
    ]
    for i, (label, plot) in enumerate(panels):
        script += f'set ylabel "{label}"\nset yrange [0:*]\n'
        if label.startswith("tiny"):
            script += "set logscale y\nset yrange [*:*]\n"
        else:
            script += "unset logscale y\n"
        if i == len(panels) - 1:
            script += 'set format x "%g"\nset xlabel "seconds since the load started"\n'
        script += f"plot {plot}\n"
    script += "unset multiplot\n"
    gnuplot(script, work)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("results", nargs="+", help="fibpool-bench --json files")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results"),
                        help="directory for the PNG files (default: bench/results)")
    args = parser.parse_args()
    if not shutil.which("gnuplot"):
        sys.exit("plot.py: gnuplot not found (Debian: apt-get install gnuplot-nox)")
    scenarios = load(args.results)
    os.makedirs(args.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for name, draw in (("rate-vs-connections.png", rate_vs_connections),
                           ("latency-tiny.png", latency_tiny), ("timeline.png", timeline),
                           ("soak.png", soak)):
            out = os.path.abspath(os.path.join(args.out, name))
            if draw(scenarios, out, work):
                print(out)
            else:
                print(f"plot.py: no scenario for {name} in the files given", file=sys.stderr)


if __name__ == "__main__":
    main()
