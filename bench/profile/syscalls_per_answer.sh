#!/usr/bin/env bash
# Counts, per process of a fibpool (supervisor, workers), the system calls and
# context switches it makes per answer while fibpool-bench drives one
# scenario against it (perf stat on syscall tracepoints; needs perf and root
# or perf_event_paranoid <= 1).
# Usage: bench/profile/syscalls_per_answer.sh SCENARIO [fibpool args...]
# BUILD_DIR: the build to use (default build-bench). SERVER=baseline measures
# fibpool-baseline instead (no workers; extra arguments go to it).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${BUILD_DIR:-build-bench}/bin
scenario=$1
shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if [[ ${SERVER:-fibpool} == baseline ]]; then
  "$bin/fibpool-baseline" --port 0 "$@" >"$out/ready" 2>"$out/log" &
else
  "$bin/fibpool" --port 0 --workers 2 --log-level warn "$@" >"$out/ready" 2>"$out/log" &
fi
fibpool=$!
for _ in $(seq 100); do grep -q listening "$out/ready" && break; sleep 0.1; done
port=$(sed -E 's/.*:([0-9]+) .*/\1/' "$out/ready")
kids=$(tr ' ' ',' <"/proc/$fibpool/task/$fibpool/children" | sed 's/,$//')
events=context-switches,task-clock
for s in sendmsg write read recvfrom epoll_wait futex sched_yield; do
  events+=",syscalls:sys_enter_$s"
done
perf stat -e "$events" --per-thread -p "$fibpool${kids:+,$kids}" -o "$out/perf" &
perf=$!
sleep 0.2
"$bin/fibpool-bench" --target "127.0.0.1:$port" --only fibpool --scenario "$scenario" \
  --rounds 1 --slice-ms 2000 --quiet --json "$out/bench.json" >/dev/null
kill -INT "$perf"
wait "$perf" || true
kill -TERM "$fibpool"
wait "$fibpool" || true
python3 - "$out/bench.json" "$out/perf" <<'PY'
import collections, json, re, sys
d = json.load(open(sys.argv[1]))
s = d["scenarios"][0]
f = s["fibpool"]
answers = f["answered"] + s.get("fibpool_background", {}).get("answered", 0)
print(f"{s['id']}: {answers} answers, {f['requests_per_second']:.0f} req/s, "
      f"p50 {f['latency']['p50']['us']:.1f} us")
rows = collections.defaultdict(dict)
for line in open(sys.argv[2]):
    m = re.match(r"\s*(\S+)-(\d+)\s+([\d,.]+)\s+(?:msec\s+)?(\S+)", line)
    if m:
        rows[f"{m.group(1)}-{m.group(2)}"][m.group(4)] = float(m.group(3).replace(",", ""))
for proc, counts in rows.items():
    cells = []
    for event, n in counts.items():
        if not n:
            continue
        if event == "task-clock":
            cells.append(f"cpu={n / answers * 1000:.1f}us")
        else:
            cells.append(f"{event.replace('syscalls:sys_enter_', '')}={n / answers:.2f}")
    print(f"  {proc}: " + "  ".join(cells) + "  (per answer)")
PY
