#!/usr/bin/env bash
# Deploy test: builds the container images from deploy/Dockerfile and runs the compose
# stacks in deploy/ with Podman and podman-compose (run as root; CI calls it).
#
#  1. env: FIBPOOL_WORKERS=3 -> `echo 30 | nc` answers 832040, stats shows 3 workers and
#     workers_target 3, the healthcheck passes, fibpool runs as a non-root user.
#  2. config: FIBPOOL_WORKERS empty -> the worker count of deploy/fibpool.conf; SIGHUP
#     after editing the mounted file applies the new count; a request in flight is
#     answered across `stop` (drain) and the container exits 0.
#  3. scale-out: 3 replicas behind HAProxy; requests on separate connections are all
#     answered and reach more than one replica (each replica's own `stats`); HAProxy's
#     agent checks see every replica (`show stat`: UP, agent L7OK, weight 100 while idle,
#     lower on a replica given queued work, 100 again after it); after one replica is
#     stopped, HAProxy keeps answering.
# Everything is torn down on exit, also when a step fails. Last line:
# `deploy: N passed, M failed`.
#
# Also: the image serves Prometheus /metrics on 9100 (published by the compose file).
# Environment: DEPLOY_PORT (host port to publish on 127.0.0.1; default 25000, or a free
# one when 25000 is taken), DEPLOY_KEEP_LOG=1 keeps the podman-compose log.
set -euo pipefail

repo=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
cd "$repo"
((EUID == 0)) || { echo "deploy: needs root (rootful podman)" >&2; exit 2; }

base_file=$repo/deploy/docker-compose.yml
scale_file=$repo/deploy/docker-compose.scale.yml
base_project=fibpool-deploytest
scale_project=fibpool-deploytest-scale
work=$(mktemp -d /tmp/fibpool-deploytest.XXXXXX)
log=$work/compose.log
bg_pids=()
test_name=deploy
source "$repo/tests/deploy/lib.sh"

# compose PROJECT FILE ARGS...: podman-compose, output to the log. podman-compose 1.0.3
# exits 0 even when a podman command it ran failed (it prints "exit code: N"), so those
# lines are checked too.
compose() {
  local project=$1 file=$2 out rc=0; shift 2
  out=$(mktemp "$work/compose.XXXXXX")
  echo "+ podman-compose -p $project -f $file $*" >>"$log"
  podman-compose -p "$project" -f "$file" "$@" >"$out" 2>&1 || rc=$?
  cat "$out" >>"$log"
  if ((rc == 0)) && grep -q '^exit code: [1-9]' "$out"; then rc=1; fi
  rm -f "$out"
  return "$rc"
}
down() { # down PROJECT FILE: remove the stack's containers and its network
  compose "$1" "$2" down -t 2 || true
  podman network rm -f "$1_default" >>"$log" 2>&1 || true
}

cleanup() {
  local rc=$?
  set +e
  for pid in "${bg_pids[@]}"; do kill "$pid" 2>/dev/null; done
  if ((failed > 0 || rc != 0)); then
    say "podman-compose log (last 60 lines of $log):"
    tail -n 60 "$log" | sed 's/^/  | /'
    for c in $(podman ps -a --format '{{.Names}}' | grep -E "^($base_project|$scale_project)_"); do
      say "logs of $c (last 20 lines):"
      podman logs --tail 20 "$c" 2>&1 | sed 's/^/  | /'
    done
  fi
  if command -v podman-compose >/dev/null; then
    down "$scale_project" "$scale_file"
    down "$base_project" "$base_file"
  fi
  [[ ${DEPLOY_KEEP_LOG:-} == 1 ]] && say "log kept: $log" || rm -rf "$work"
  finish "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Podman, podman-compose, runc and the Debian base images (idempotent).
need "container-setup" bash "$repo/../shared/tools/container-setup"

# Host port: 25000 as in the docs, unless something already listens there.
port=${DEPLOY_PORT:-25000}
if [[ -z ${DEPLOY_PORT:-} ]] && nc -z 127.0.0.1 "$port" 2>/dev/null; then
  port=$(free_port)
  say "127.0.0.1:25000 is taken; publishing on $port instead"
fi
export FIBPOOL_PUBLISH=127.0.0.1:$port
metrics_port=$(free_port)
export FIBPOOL_METRICS_PUBLISH=127.0.0.1:$metrics_port
# Settings of the shell running the test must not reach the containers.
unset $(compgen -e | grep '^FIBPOOL_' | grep -v '_PUBLISH$') 2>/dev/null || true

# Leftovers of an interrupted earlier run.
down "$scale_project" "$scale_file"
down "$base_project" "$base_file"

# --- protocol helpers (bounded by nc -w; they print nothing on failure, never fail) -----
# ask LINE: the first answer line to LINE on the published port.
ask() { printf '%s\nquit\n' "$1" | nc -w 20 127.0.0.1 "$port" 2>/dev/null | head -n 1 || true; }
# worker_counts: "<length of the workers array> <workers_target>" from `stats`.
worker_counts() { json_field "$(ask stats)" 'len(d["workers"]), d["workers_target"]'; }
# stats_field CONTAINER EXPR [HEADER]: EXPR (Python, on the parsed JSON `d`) of `stats`
# asked inside CONTAINER, for replicas that publish no port; HEADER (a printf format) is
# sent first: 'PROXY UNKNOWN\r\n' for a replica with proxy_protocol on.
stats_field() {
  local json
  json=$(podman exec "$1" sh -c "printf '${3:-}stats\nquit\n' | nc -w 5 127.0.0.1 25000" 2>/dev/null | head -n 1 || true)
  json_field "$json" "$2"
}
pong() { [[ $(ask ping) == pong ]]; }
metrics_count_answers() {
  printf 'GET /metrics HTTP/1.0\r\n\r\n' | nc -w 5 127.0.0.1 "$metrics_port" 2>/dev/null |
    grep -q '^fibpool_requests_total{outcome="ok"} [1-9]'
}
counts_are() { [[ $(worker_counts) == "$1" ]]; }
container_of() { # the one container of service $2 in project $1
  podman ps -a --filter "label=com.docker.compose.project=$1" \
    --filter "label=com.docker.compose.service=$2" --format '{{.Names}}' | head -n 1
}

# --- build -----------------------------------------------------------------------------
t0=$SECONDS
need "image builds (podman-compose build; deploy/Dockerfile)" compose "$base_project" "$base_file" build fibpool
say "image build took $((SECONDS - t0))s; size $(podman image ls --format '{{.Size}}' localhost/fibpool:latest | head -n 1)"

# --- 1. worker count from the environment ------------------------------------------------
export FIBPOOL_WORKERS=3
need "stack up with FIBPOOL_WORKERS=3" compose "$base_project" "$base_file" up -d
unset FIBPOOL_WORKERS
ctr=$(container_of "$base_project" fibpool)
need "ping answers pong within 60 s" wait_for 60 pong
check "echo 30 | nc -> 832040" test "$(ask 30)" = 832040
check "F(100) = 354224848179261915075" test "$(ask 'fib 100')" = 354224848179261915075
got=$(worker_counts)
check "FIBPOOL_WORKERS=3 -> stats: 3 workers, workers_target 3 (got '$got')" test "$got" = "3 3"
check "healthcheck command passes (podman healthcheck run)" podman healthcheck run "$ctr"
check "GET /metrics on the published 9100 counts the answers" metrics_count_answers
shm_kib=$(podman exec "$ctr" df -k /dev/shm | awk 'NR == 2 { print $2 }' || true)
check "/dev/shm is the compose file's shm_size, 256 MiB (got ${shm_kib:-?} KiB)" test "$shm_kib" = 262144
uid=$(podman exec "$ctr" id -u || true)
check "runs as a non-root user (uid $uid)" test -n "$uid" -a "$uid" != 0
procs=$(podman top "$ctr" args | grep -c /usr/local/bin/fibpool-worker || true)
check "fibpool started its fibpool-worker processes from beside itself ($procs, at least 3)" \
  test "$procs" -ge 3
down "$base_project" "$base_file"

# --- 2. worker count from the config file; SIGHUP; drain on stop -------------------------
file_workers=$(sed -n 's/^[[:space:]]*workers[[:space:]]*=[[:space:]]*\([0-9][0-9]*\).*/\1/p' deploy/fibpool.conf | head -n 1)
need "deploy/fibpool.conf sets workers (found '$file_workers')" test -n "$file_workers"
conf=$work/fibpool.conf
cp deploy/fibpool.conf "$conf"
chmod 644 "$conf"
export FIBPOOL_CONF_FILE=$conf
# Set but empty, as `FIBPOOL_WORKERS=` or an empty .env entry leaves it: must count as
# not set, so the file decides.
export FIBPOOL_WORKERS=
need "stack up with FIBPOOL_WORKERS empty" compose "$base_project" "$base_file" up -d
unset FIBPOOL_WORKERS
ctr=$(container_of "$base_project" fibpool)
need "ping answers pong within 60 s" wait_for 60 pong
got=$(worker_counts)
check "no FIBPOOL_WORKERS value -> config file workers = $file_workers applies (got '$got')" \
  test "$got" = "$file_workers $file_workers"

reload=$((file_workers + 1))
sed "s/^[[:space:]]*workers[[:space:]]*=.*/workers = $reload/" deploy/fibpool.conf >"$conf" # same inode
podman kill --signal HUP "$ctr" >>"$log" 2>&1 || true
check "SIGHUP after editing the file -> $reload workers" wait_for 30 counts_are "$reload $reload"
check "still answers after the reload" test "$(ask 30)" = 832040

# A job of a few seconds in flight when the container is stopped must still be answered.
inflight=$work/inflight.out
printf '46 recursive\n' | nc -w 60 127.0.0.1 "$port" >"$inflight" 2>&1 &
bg_pids+=($!)
nc_pid=$!
busy() {
  [[ $(stats_field "$ctr" \
    'sum(w["current_job"] is not None for w in d["workers"] + d.get("reserve_workers", []))') -ge 1 ]]
}
check "the 46 recursive job is running" wait_for 20 busy
t0=$SECONDS
check "podman-compose stop -t 40 succeeds" compose "$base_project" "$base_file" stop -t 40
stop_s=$((SECONDS - t0))
wait_for 30 bash -c "! kill -0 $nc_pid 2>/dev/null" || true
check "request in flight answered across stop: 1836311903 (got '$(head -n 1 "$inflight")', stop took ${stop_s}s)" \
  test "$(head -n 1 "$inflight")" = 1836311903
code=$(podman inspect -f '{{.State.ExitCode}}' "$ctr" || true)
check "container exited 0 after draining (exit code $code)" test "$code" = 0
check "stop drained well before the 40 s grace ran out (${stop_s}s)" test "$stop_s" -lt 35
down "$base_project" "$base_file"
unset FIBPOOL_CONF_FILE

# --- 3. scale-out behind HAProxy --------------------------------------------------------
need "HAProxy image builds (--target haproxy)" compose "$scale_project" "$scale_file" build haproxy
need "scaled stack up (3 replicas + haproxy)" compose "$scale_project" "$scale_file" up -d
mapfile -t replicas < <(podman ps --filter "label=com.docker.compose.project=$scale_project" \
  --filter "label=com.docker.compose.service=fibpool" --format '{{.Names}}' | sort)
check "3 fibpool replicas running (${replicas[*]})" test "${#replicas[@]}" = 3
need "ping through HAProxy answers pong within 60 s" wait_for 60 pong

# Requests on separate connections; then ask every replica directly how many results it
# produced. HAProxy may see the replicas come up one by one, so retry within a deadline.
answers_ok=1
reached=0
deadline=$((SECONDS + 60))
while ((SECONDS < deadline)); do
  for _ in 1 2 3 4 5 6; do
    a=$(ask 30)
    [[ $a == 832040 ]] || { answers_ok=0; say "through HAProxy: got '$a'"; }
  done
  reached=0
  for r in "${replicas[@]}"; do
    n=$(stats_field "$r" 'd["results"]' 'PROXY UNKNOWN\r\n')
    if [[ ${n:-0} -gt 0 ]]; then reached=$((reached + 1)); fi
  done
  ((reached >= 2)) && break
  sleep 1
done
check "every request through HAProxy answered 832040" test "$answers_ok" = 1
check "requests reached more than one replica ($reached of ${#replicas[@]})" test "$reached" -ge 2

# HAProxy's agent checks (agent-port 25001): every replica UP with its agent answering
# (L7OK) at full weight while idle; queued work on one replica (asked inside it, so with
# the PROXY header its proxy_protocol requires) lowers its weight, which comes back to
# 100 once that work is done.
haproxy_ctr=$(podman ps --filter "label=com.docker.compose.project=$scale_project" \
  --filter "label=com.docker.compose.service=haproxy" --format '{{.Names}}' | head -n 1)
servers() { haproxy_servers podman exec "$haproxy_ctr"; }
all_idle() { [[ $(servers | grep -c '^UP 100 L7OK$') -eq ${#replicas[@]} ]]; }
one_lowered() { servers | awk '$1 == "UP" && $3 == "L7OK" && $2 < 100 { f = 1 } END { exit !f }'; }
ok=0; wait_for 30 all_idle && ok=1
check "HAProxy: all ${#replicas[@]} replicas UP, agent L7OK, weight 100 while idle (got: $(servers | paste -sd ';'))" \
  test "$ok" = 1
podman exec -d "${replicas[1]}" sh -c \
  "(printf 'PROXY UNKNOWN\r\n'; printf '44 recursive\n%.0s' 1 2 3 4 5 6; sleep 20) |
   nc -w 30 127.0.0.1 25000 >/dev/null"
ok=0; wait_for 15 one_lowered && ok=1
check "HAProxy: a replica with queued work has a weight below 100 (got: $(servers | paste -sd ';'))" \
  test "$ok" = 1
ok=0; wait_for 90 all_idle && ok=1
check "HAProxy: its weight is back to 100 once the work is done (got: $(servers | paste -sd ';'))" \
  test "$ok" = 1

podman stop -t 40 "${replicas[0]}" >>"$log" 2>&1
failover_ok=1
for _ in 1 2 3 4 5 6; do
  a=$(ask 30)
  [[ $a == 832040 ]] || { failover_ok=0; say "after stopping ${replicas[0]}: got '$a'"; }
done
check "HAProxy keeps answering after a replica stops" test "$failover_ok" = 1
