#!/usr/bin/env bash
# Swarm test: runs deploy/fibpool-stack.yml for real on this one machine with Docker
# Engine in Swarm mode (run as root; CI calls it after tests/deploy/run.sh).
#
#  0. shared/tools/docker-setup: Debian's docker.io and docker-compose, dockerd started
#     directly, the debian base images loaded from podman. The images are built with
#     podman (whose layer cache the podman deploy test has just filled, so the C++ is
#     compiled once) and moved over with `podman save | docker load`.
#  1. Docker Compose v1 (Debian's docker-compose 1.29) runs both compose files: up, one
#     query, down.
#  2. `docker swarm init --advertise-addr 127.0.0.1`; the stack is deployed with the
#     host-ports override (this kernel has no IPVS for the routing mesh); a query
#     through HAProxy; `stats` of each replica shows the workers of deploy/fibpool.conf.
#  3. `docker service scale` to 3: HAProxy sends connections to all three, and its agent
#     checks see all three (`show stat`: UP, agent L7OK).
#  4. `docker service update --force` (a rolling update) while client loops send
#     requests all along: every answer is right; retries of refused or cut connections
#     are counted and reported.
#  5. One replica's container is `docker kill`ed while the clients run: Swarm replaces
#     it and every request is still answered.
#  6. Prometheus lists every replica as a target `up`, has loaded the alert and
#     recording rules (deploy/prometheus/fibpool-alerts.yml); the queries of
#     docs/deploy.md return data.
#  7. `docker stack rm`, `docker swarm leave --force`, dockerd stopped: nothing left.
# Cleans up on exit, also after a failure. Skipped (exit 0, "skipped") only when this
# machine cannot run dockerd at all. Last line: `swarm: N passed, M failed`.
# Environment: SWARM_KEEP_LOG=1 keeps the log directory.
set -euo pipefail

repo=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
cd "$repo"
test_name=swarm
source "$repo/tests/deploy/lib.sh"
((EUID == 0)) || { say "needs root (dockerd)" >&2; exit 2; }

docker=/usr/bin/docker # Debian's client, matching its daemon
stack=fibpoolswarmtest
v1_project=fibpool-swarmtest-v1
v1_scale_project=fibpool-swarmtest-v1-scale
work=$(mktemp -d /tmp/fibpool-swarmtest.XXXXXX)
log=$work/swarm.log
bg_pids=()
dockerd_pid=
swarm_joined=0
forward_policy=$(iptables -S FORWARD 2>/dev/null | head -n 1 || true)

run() { # run COMMAND...: logged, output to the log
  echo "+ $*" >>"$log"
  "$@" >>"$log" 2>&1
}
d() { "$docker" "$@"; }
v1() { # v1 PROJECT FILE ARGS...: Docker Compose v1
  local project=$1 file=$2; shift 2
  run timeout 300 docker-compose -p "$project" -f "$file" "$@"
}
service_containers() { # the running containers of a stack service
  d ps -q --filter "label=com.docker.swarm.service.name=${stack}_$1" --filter status=running
}

cleanup() {
  local rc=$?
  set +e
  for pid in "${bg_pids[@]}"; do kill "$pid" 2>/dev/null; done
  if ((failed > 0 || rc != 0)) && [[ -n $dockerd_pid ]]; then
    say "log (last 40 lines of $log):"
    tail -n 40 "$log" | sed 's/^/  | /'
    d service ls 2>/dev/null | sed 's/^/  | /'
    for s in fibpool haproxy prometheus; do
      d service ps --no-trunc "${stack}_$s" 2>/dev/null | head -8 | sed 's/^/  | /'
      say "logs of ${stack}_$s (last 15 lines):"
      d service logs --tail 15 "${stack}_$s" 2>&1 | sed 's/^/  | /'
    done
  fi
  if [[ -n $dockerd_pid ]]; then
    if ((swarm_joined)); then
      run d stack rm "$stack"
      wait_for 60 stack_gone || say "stack containers still present after 60 s"
      run d swarm leave --force
    fi
    v1 "$v1_scale_project" deploy/docker-compose.scale.yml down -t 5
    v1 "$v1_project" deploy/docker-compose.yml down -t 5
    run d volume rm "${stack}_prometheus-data"
    left=$( (d ps -aq --filter "label=com.docker.stack.namespace=$stack"
      for proj in "$v1_project" "$v1_scale_project"; do
        d ps -aq --filter "label=com.docker.compose.project=$proj"
      done) | wc -l)
    [[ $dockerd_pid == running ]] || {
      kill "$dockerd_pid" 2>/dev/null
      wait_for 60 bash -c "! kill -0 $dockerd_pid 2>/dev/null"
      [[ -n $forward_policy ]] && iptables $forward_policy 2>/dev/null
    }
    if ((swarm_joined)); then
      # Only when this run got as far as Swarm: the outcome of the teardown itself.
      if ((left == 0)); then pass "no container left after stack rm and compose down"
      else fail "$left containers left after stack rm and compose down"; fi
      if [[ $dockerd_pid != running ]]; then
        leftovers=$(ps -eo comm= | grep -cE '^(dockerd|containerd|containerd-shim|docker-proxy|haproxy|prometheus)$' || true)
        if ((leftovers == 0)) && ! kill -0 "$dockerd_pid" 2>/dev/null; then
          pass "dockerd stopped; no dockerd, containerd-shim, docker-proxy, haproxy or prometheus process left"
        else fail "processes left after stopping dockerd: $(ps -eo pid,comm | grep -E 'dockerd|containerd-shim|docker-proxy|haproxy|prometheus' | tr '\n' ' ')"; fi
      fi
    fi
  fi
  [[ ${SWARM_KEEP_LOG:-} == 1 ]] && say "log kept: $log" || rm -rf "$work"
  finish "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stack_gone() { [[ -z $(d ps -aq --filter "label=com.docker.stack.namespace=$stack") ]]; }

# --- 0. Docker Engine ---------------------------------------------------------------------
t0=$SECONDS
was_running=0
[[ -x $docker ]] && d info >/dev/null 2>&1 && was_running=1
if ! bash "$repo/../shared/tools/docker-setup" >"$work/docker-setup.out" 2>&1; then
  # Skip only when dockerd itself cannot run here; any other failure is a failure.
  if [[ -x $docker ]] && d info >/dev/null 2>&1; then
    ((was_running)) && dockerd_pid=running || dockerd_pid=$(cat /var/run/docker.pid 2>/dev/null || true)
    cat "$work/docker-setup.out" >&2
    need "docker-setup" false
  fi
  say "skipped: this machine cannot run dockerd ($(tail -n 1 "$work/docker-setup.out"))"
  trap - EXIT
  rm -rf "$work"
  exit 0
fi
dockerd_pid=$(tail -n 1 "$work/docker-setup.out")
pass "docker-setup: $(grep 'ready:' "$work/docker-setup.out" | sed 's/^docker-setup: //') ($((SECONDS - t0))s)"
# Settings of the shell running the test must not reach the containers.
unset $(compgen -e | grep '^FIBPOOL_') 2>/dev/null || true

# A swarm this test created carries the node label fibpool-swarmtest: the leftover of an
# interrupted earlier run, removed. Any other swarm is not the test's to touch.
if [[ $(d info --format '{{.Swarm.LocalNodeState}}') == active ]]; then
  need "this node is in no swarm, or in one an earlier run of this test left" \
    test "$(d node inspect self --format '{{index .Spec.Labels "fibpool-swarmtest"}}' 2>/dev/null)" = 1
  run d stack rm "$stack"; wait_for 60 stack_gone || true
  run d swarm leave --force || true
fi

# --- images: built once with podman, loaded into Docker -------------------------------------
t0=$SECONDS
need "fibpool image builds (podman, deploy/Dockerfile)" run podman build -f deploy/Dockerfile -t fibpool:latest .
need "HAProxy image builds" run podman build -f deploy/Dockerfile --target haproxy -t fibpool-haproxy:latest .
need "Prometheus image builds" run podman build -f deploy/Dockerfile --target prometheus -t fibpool-prometheus:latest .
images=(fibpool fibpool-haproxy fibpool-prometheus)
load_images() {
  podman save -m "${images[@]/#/localhost/}" | d load >>"$log" 2>&1 || return 1
  local i
  for i in "${images[@]}"; do d tag "localhost/$i:latest" "$i:latest" || return 1; done
}
need "images moved to Docker (podman save | docker load)" load_images
say "images built and loaded in $((SECONDS - t0))s"

# --- protocol helpers (bounded; they print nothing on failure, never fail) -----------------
ask() { # ask PORT LINE: the first answer line
  printf '%s\nquit\n' "$2" | nc -w 20 127.0.0.1 "$1" 2>/dev/null | head -n 1 || true
}
ask_in() { # ask_in CONTAINER LINE: asked inside the container (replicas publish no port);
  # a replica of the stack has proxy_protocol on: a PROXY header first
  d exec "$1" sh -c "printf 'PROXY UNKNOWN\r\n%s\nquit\n' '$2' | nc -w 5 127.0.0.1 25000" 2>/dev/null | head -n 1 || true
}
pong() { [[ $(ask "$1" ping) == pong ]]; }

# --- 1. Docker Compose v1 runs both compose files -------------------------------------------
p=$(free_port)
export FIBPOOL_PUBLISH=127.0.0.1:$p FIBPOOL_METRICS_PUBLISH=127.0.0.1:$(free_port)
check "docker-compose $(docker-compose version --short) up: deploy/docker-compose.yml" \
  v1 "$v1_project" deploy/docker-compose.yml up -d --no-build
if wait_for 60 pong "$p"; then
  check "compose v1: 30 -> 832040" test "$(ask "$p" 30)" = 832040
else fail "compose v1: no pong within 60 s"; fi
check "compose v1 down" v1 "$v1_project" deploy/docker-compose.yml down -t 40
check "docker-compose up: deploy/docker-compose.scale.yml" \
  v1 "$v1_scale_project" deploy/docker-compose.scale.yml up -d --no-build
if wait_for 60 pong "$p"; then
  check "compose v1, through HAProxy: 30 -> 832040" test "$(ask "$p" 30)" = 832040
else fail "compose v1 scale file: no pong through HAProxy within 60 s"; fi
check "compose v1 down (scale file)" v1 "$v1_scale_project" deploy/docker-compose.scale.yml down -t 40
unset FIBPOOL_PUBLISH FIBPOOL_METRICS_PUBLISH

# --- 2. Swarm: deploy -----------------------------------------------------------------------
need "docker swarm init --advertise-addr 127.0.0.1" run d swarm init --advertise-addr 127.0.0.1
swarm_joined=1
run d node update --label-add fibpool-swarmtest=1 "$(d info --format '{{.Swarm.NodeID}}')"
port=$(free_port)
prom=$(free_port)
export FIBPOOL_STACK_PORT=$port FIBPOOL_PROMETHEUS_PORT=$prom FIBPOOL_REPLICAS=2
t0=$SECONDS
need "docker stack deploy (stack file + host-ports override)" run timeout 120 \
  "$docker" stack deploy --resolve-image never \
  -c deploy/fibpool-stack.yml -c deploy/fibpool-stack.hostports.yml "$stack"
unset FIBPOOL_STACK_PORT FIBPOOL_PROMETHEUS_PORT FIBPOOL_REPLICAS
replicas_are() { # replicas_are N: N running containers of fibpool, each healthy
  local c n=0
  for c in $(service_containers fibpool); do
    [[ $(d inspect -f '{{.State.Health.Status}}' "$c" 2>/dev/null) == healthy ]] && n=$((n + 1))
  done
  ((n == $1))
}
deployed() { replicas_are 2 && pong "$port"; }
need "2 replicas healthy and ping through HAProxy within 120 s" wait_for 120 deployed
deploy_s=$((SECONDS - t0))
say "deploy took ${deploy_s}s (stack deploy until 2 healthy replicas answer through HAProxy)"
check "through HAProxy: 30 -> 832040" test "$(ask "$port" 30)" = 832040
check "through HAProxy: fib 100 -> 354224848179261915075" test "$(ask "$port" 'fib 100')" = 354224848179261915075

file_workers=$(sed -n 's/^[[:space:]]*workers[[:space:]]*=[[:space:]]*\([0-9][0-9]*\).*/\1/p' deploy/fibpool.conf | head -n 1)
for c in $(service_containers fibpool); do
  got=$(json_field "$(ask_in "$c" stats)" 'len(d["workers"]), d["workers_target"]')
  check "replica ${c:0:12}: stats shows the $file_workers workers of fibpool.conf (got '$got')" \
    test "$got" = "$file_workers $file_workers"
  shm_kib=$(d exec "$c" df -k /dev/shm | awk 'NR == 2 { print $2 }' || true)
  check "replica ${c:0:12}: /dev/shm is the stack's 256 MiB tmpfs (got ${shm_kib:-?} KiB)" \
    test "$shm_kib" = 262144
done

# --- 3. scale to 3: HAProxy reaches all three -------------------------------------------------
t0=$SECONDS
need "docker service scale ${stack}_fibpool=3" run timeout 180 "$docker" service scale "${stack}_fibpool=3"
check "3 replicas healthy" wait_for 60 replicas_are 3
scale_s=$((SECONDS - t0))
say "scale 2 -> 3 took ${scale_s}s"
# Requests on separate connections until each replica's own `results` counter moved.
reached_all() {
  local c n reached=0 total=0
  for _ in 1 2 3 4 5 6; do [[ $(ask "$port" 30) == 832040 ]] || return 1; done
  for c in $(service_containers fibpool); do
    total=$((total + 1))
    n=$(json_field "$(ask_in "$c" stats)" 'd["results"]')
    [[ ${n:-0} -gt 0 ]] && reached=$((reached + 1))
  done
  say "replicas that computed a result: $reached of $total"
  ((total == 3 && reached == 3))
}
check "HAProxy sends connections to all three replicas (each one's stats 'results' > 0)" \
  wait_for 60 reached_all
# HAProxy's agent checks (agent-port 25001) reach every replica over the overlay network.
haproxy_ctr=$(service_containers haproxy | head -n 1)
agents_up() { [[ $(haproxy_servers d exec "$haproxy_ctr" | grep -c '^UP [0-9]* L7OK$') -eq 3 ]]; }
ok=0; wait_for 30 agents_up && ok=1
check "HAProxy: 3 replicas UP with agent status L7OK (got: $(haproxy_servers d exec "$haproxy_ctr" | paste -sd ';'))" \
  test "$ok" = 1

# --- client loops, running through 4 and 5 ----------------------------------------------------
stop_file=$work/stop-clients
clients=()
for i in 1 2; do
  python3 tests/deploy/fib_client.py 127.0.0.1 "$port" "$stop_file" 600 >"$work/client$i.json" &
  bg_pids+=($!)
  clients+=($!)
done
# They run until the stop file appears, after step 5 (at most 600 s).

# --- 4. rolling update under load ---------------------------------------------------------------
t0=$SECONDS
before=$(service_containers fibpool | sort)
check "docker service update --force (rolling, start-first) completes" \
  run timeout 300 "$docker" service update --force "${stack}_fibpool"
update_s=$((SECONDS - t0))
after=$(service_containers fibpool | sort)
check "every replica was replaced ($(comm -12 <(echo "$before") <(echo "$after") | grep -c . || true) of the old containers left)" \
  test -z "$(comm -12 <(echo "$before") <(echo "$after"))"
check "3 replicas healthy after the update" wait_for 60 replicas_are 3
say "rolling update of 3 replicas took ${update_s}s"

# --- 5. a replica killed ------------------------------------------------------------------------
victim=$(service_containers fibpool | head -n 1)
t0=$SECONDS
check "docker kill ${victim:0:12}" run d kill "$victim"
replaced() { ! service_containers fibpool | grep -q "^$victim" && replicas_are 3; }
check "Swarm replaced the killed replica: 3 healthy again" wait_for 90 replaced
kill_s=$((SECONDS - t0))
say "killed replica replaced and healthy in ${kill_s}s"
check "through HAProxy after the kill: 30 -> 832040" test "$(ask "$port" 30)" = 832040

touch "$stop_file"
for i in 1 2; do
  wait "${clients[i - 1]}" || true
  summary=$(cat "$work/client$i.json")
  say "client $i: $summary"
  check "client $i: every request answered right through the update and the kill" \
    test "$(json_field "$summary" 'd["failures"] == 0 and d["rounds"] > 0')" = True
done
retries=$(cat "$work"/client*.json | python3 -c '
import json, sys
rs = [json.loads(l) for l in sys.stdin if l.strip()]
total = {}
for r in rs:
    for k, v in r["retries"].items():
        total[k] = total.get(k, 0) + v
print(sum(r["requests"] for r in rs), sum(total.values()), json.dumps(total))')
say "requests (requests, rounds retried, by cause): $retries"

# --- 6. Prometheus --------------------------------------------------------------------------------
targets_up() { # every fibpool target up, and as many as replicas
  local n
  n=$(curl -sf --max-time 5 "http://127.0.0.1:$prom/api/v1/targets" | python3 -c '
import json, sys
t = [x for x in json.load(sys.stdin)["data"]["activeTargets"] if x["labels"]["job"] == "fibpool"]
print(len(t) if all(x["health"] == "up" for x in t) else -1)' 2>/dev/null || true)
  [[ $n == 3 ]]
}
check "Prometheus: 3 fibpool targets, all up (api/v1/targets)" wait_for 90 targets_up
rules_loaded() { # the alerts of deploy/prometheus/fibpool-alerts.yml are loaded
  curl -sf --max-time 5 "http://127.0.0.1:$prom/api/v1/rules" | python3 -c '
import json, sys
names = {r["name"] for g in json.load(sys.stdin)["data"]["groups"] for r in g["rules"]}
sys.exit(0 if {"FibpoolReplicaDown", "fibpool:busy_refusals:rate5m"} <= names else 1)' 2>/dev/null
}
check "Prometheus loaded the alert and recording rules (api/v1/rules)" wait_for 30 rules_loaded
query_has_data() { # query_has_data PROMQL: a non-empty result
  curl -sf --max-time 5 -G "http://127.0.0.1:$prom/api/v1/query" --data-urlencode "query=$1" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["status"]=="success" and d["data"]["result"] else 1)' 2>/dev/null
}
for q in 'sum(rate(fibpool_requests_total[1m]))' \
  'histogram_quantile(0.99, sum by (algorithm, le) (rate(fibpool_job_duration_seconds_bucket[5m])))' \
  'sum(fibpool_workers_busy)' 'sum by (cause) (fibpool_worker_restarts_total)' 'count(up{job="fibpool"} == 1)'; do
  check "Prometheus query returns data: $q" wait_for 30 query_has_data "$q"
done

say "timings: deploy ${deploy_s}s, scale 2->3 ${scale_s}s, rolling update ${update_s}s, kill -> replaced ${kill_s}s"
