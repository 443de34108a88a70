# Shared by the deploy tests (tests/deploy/run.sh, tests/deploy/swarm.sh); sourced, not run.
# The sourcing script sets `test_name` (the prefix of every line it prints) first.
# Counters: `passed`, `failed`; the test prints `<test_name>: N passed, M failed` last.

passed=0
failed=0

say() { echo "$test_name: $*"; }
pass() { passed=$((passed + 1)); say "PASS $*"; }
fail() { failed=$((failed + 1)); say "FAIL $*"; }
# check DESCRIPTION COMMAND...: runs the command, counts the outcome, never exits.
check() {
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
# need DESCRIPTION COMMAND...: like check, but later steps cannot run without it.
need() {
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; exit 1; fi
}
# wait_for SECONDS COMMAND...: polls until the command succeeds; fails after SECONDS.
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}
# free_port: a TCP port nothing listens on now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# json_field JSON EXPR: EXPR (Python, on the parsed JSON `d`); prints nothing if either
# is not valid.
json_field() {
  python3 -c "import json,sys; d=json.loads(sys.argv[1]); print($2)" "$1" 2>/dev/null || true
}
# haproxy_servers EXEC...: one line "STATUS WEIGHT AGENT_STATUS" (spaces in STATUS become
# '_': "DRAIN_(agent)") per server of HAProxy's backend `fibpool` that has an address (free
# server-template slots, MAINT, are left out), from HAProxy's runtime API (`show stat` on
# 127.0.0.1:9999 inside its container, deploy/haproxy.cfg), asked through bash's /dev/tcp
# by EXEC, the command that runs a program in that container (`podman exec NAME`). Prints
# nothing when the API does not answer.
haproxy_servers() {
  "$@" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9999 && printf "show stat\n" >&3 && cat <&3' \
    2>/dev/null | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
if not rows: sys.exit(0)
head = [c.lstrip("# ") for c in rows[0]]
for row in rows[1:]:
    d = dict(zip(head, row))
    if d.get("pxname") != "fibpool" or d.get("svname") in ("FRONTEND", "BACKEND"): continue
    if d.get("status", "").startswith("MAINT"): continue
    print(d["status"].replace(" ", "_"), d["weight"], d["agent_status"])
' 2>/dev/null || true
}
# finish: the summary line and the exit status (from the EXIT trap, after cleaning up).
finish() {
  local rc=$1
  ((rc != 0 && failed == 0)) && failed=1
  say "finished in ${SECONDS}s"
  echo "$test_name: $passed passed, $failed failed"
  ((failed == 0)) || exit 1
  exit 0
}
