#!/usr/bin/env bash
# Samples fibpool's supervisor and workers (perf record, cpu-clock, call
# graphs) for 2.5 s while fibpool-bench drives one scenario against it, then
# prints where their CPU time goes by system call (perf_by_syscall.py) and the
# supervisor's hottest symbols. Keeps perf.data in the directory it prints.
# Usage: bench/profile/perf_profile.sh SCENARIO [fibpool args...]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${BUILD_DIR:-build-bench}/bin
here=$(pwd)/bench/profile
scenario=$1
shift
out=$(mktemp -d /tmp/fibpool-profile.XXXXXX)
"$bin/fibpool" --port 0 --workers 2 --log-level warn "$@" >"$out/ready" 2>"$out/log" &
fibpool=$!
for _ in $(seq 100); do grep -q listening "$out/ready" && break; sleep 0.1; done
port=$(sed -E 's/.*:([0-9]+) .*/\1/' "$out/ready")
kids=$(tr ' ' ',' <"/proc/$fibpool/task/$fibpool/children" | sed 's/,$//')
"$bin/fibpool-bench" --target "127.0.0.1:$port" --only fibpool --scenario "$scenario" \
  --rounds 1 --slice-ms 4000 --quiet --json "$out/bench.json" >/dev/null &
bench=$!
sleep 1
perf record -F 4000 -e cpu-clock -g -p "$fibpool,$kids" -o "$out/perf.data" -- sleep 2.5 \
  2>/dev/null
wait "$bench" || true
kill -TERM "$fibpool"
wait "$fibpool" || true
echo "profile in $out"
perf script -i "$out/perf.data" 2>/dev/null | python3 "$here/perf_by_syscall.py"
echo "supervisor, hottest symbols:"
perf report -i "$out/perf.data" --no-children --comm fibpool --sort dso,symbol --stdio -g none \
  2>/dev/null | grep '%' | head -20 | cut -c1-120
