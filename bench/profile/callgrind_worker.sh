#!/usr/bin/env bash
# Runs fibpool's workers under callgrind (fibpool itself cannot run under
# valgrind 3.19: pidfd_open is unsupported) while fibpool-bench drives one
# scenario, then prints instructions per answer for the worker's main pieces.
# Usage: bench/profile/callgrind_worker.sh [SCENARIO]   (default tiny-8x16)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(pwd)/${BUILD_DIR:-build-bench}/bin
scenario=${1:-tiny-8x16}
out=$(mktemp -d /tmp/fibpool-callgrind.XXXXXX)
cat >"$out/worker" <<WRAP
#!/bin/sh
exec valgrind --tool=callgrind --callgrind-out-file=$out/cg.%p "$bin/fibpool-worker" "\$@"
WRAP
chmod +x "$out/worker"
"$bin/fibpool-bench" --scenario "$scenario" --only fibpool --rounds 1 --slice-ms 3000 \
  --warmup-ms 300 --quiet --json "$out/bench.json" "--fibpool-arg=--worker-path=$out/worker" \
  >/dev/null 2>"$out/log" || true
echo "callgrind files in $out"
python3 - "$out" <<'PY'
import collections, glob, json, re, subprocess, sys
out = sys.argv[1]
d = json.load(open(f"{out}/bench.json"))
answers = d["scenarios"][0]["fibpool"]["answered"]
pieces = {"total": "PROGRAM TOTALS", "Encode<ResultMessage>": "Encode<fibpool::os::ResultMessage>",
          "Decode<Job>": "Decode<fibpool::ipc::Job>", "JobQueue::Pop": "JobQueue::Pop",
          "RunJob": "worker::RunJob", "ResultSegmentName": "ResultSegmentName"}
sums = collections.Counter()
for f in glob.glob(f"{out}/cg.*"):
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", f], capture_output=True,
                          text=True).stdout
    for line in text.splitlines():
        for name, key in pieces.items():
            if key in line:
                m = re.match(r"\s*([\d,]+)", line)
                if m:
                    sums[(f, name)] = max(sums[(f, name)], int(m.group(1).replace(",", "")))
per = collections.Counter()
for (f, name), n in sums.items():
    per[name] += n
print(f"{answers} answers (warm-up included)")
for name in pieces:
    print(f"  {name}: {per[name] / answers:,.0f} instructions per answer")
PY
