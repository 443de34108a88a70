#!/usr/bin/env bash
# Package test: builds the Debian package on the host (scripts/package), then in a
# fresh debian:bookworm container (Podman) checks that
#
#  1. `apt-get install ./fibpool_<version>_amd64.deb` succeeds: the dependencies
#     dpkg-shlibdeps computed come from Debian's mirror;
#  2. `fibpool --version` prints the package's version; the units, the man pages and
#     /etc/fibpool/fibpool.conf (a conffile) are in place;
#  3. the installed fibpool, started with the installed config, answers `30` with 832040;
#  4. an edited /etc/fibpool/fibpool.conf is kept when the package is installed again;
#  5. lintian (where installed on the host) reports no error and no warning.
#
# Skipped (exit 0, a `skipped` line) where Podman cannot run containers. Every container
# it made is removed on exit, also when a step fails. Last line:
# `package: N passed, M failed`.
set -euo pipefail

repo=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
cd "$repo"
test_name=package
source "$repo/tests/deploy/lib.sh"
container=fibpool-packagetest-$$

skip() {
  say "skipped: $*"
  echo "$test_name: 0 passed, 0 failed (skipped)"
  exit 0
}
cleanup() {
  local rc=$?
  set +e
  if podman container exists "$container" 2>/dev/null; then
    if ((failed > 0 || rc != 0)); then
      say "fibpool's log in the container (last 20 lines):"
      podman exec "$container" tail -n 20 /tmp/fibpool.log 2>&1 | sed 's/^/  | /'
    fi
    podman rm -f -t 0 "$container" >/dev/null 2>&1
  fi
  finish "$rc"
}

((EUID == 0)) || skip "needs root (rootful podman)"
# Podman, runc and the Debian base image (idempotent), beside the main clone or a
# worktree of it.
for setup in "$repo/../shared/tools/container-setup" "$repo/../../shared/tools/container-setup"; do
  if [[ -r $setup ]]; then
    bash "$setup" >/dev/null 2>&1 || true
    break
  fi
done
command -v podman >/dev/null || skip "podman is not installed"
podman run --rm --network none docker.io/library/debian:bookworm true >/dev/null 2>&1 ||
  skip "podman cannot run containers here"
trap cleanup EXIT
trap 'exit 130' INT TERM

# run_in COMMAND: runs COMMAND (a shell line) in the container.
run_in() { podman exec "$container" sh -c "$1"; }

deb=$(scripts/package 2>/dev/null | tail -n 1)
need "scripts/package builds $deb" test -f "$deb"
version=$(dpkg-deb -f "$deb" Version)

start_container() {
  podman run -d --name "$container" -v "$repo/build:/pkg:ro" docker.io/library/debian:bookworm \
    sleep infinity >/dev/null
}
need "a fresh debian:bookworm container" start_container
need "apt-get install ./$(basename "$deb")" run_in "apt-get update -qq &&
  cd /pkg && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ./$(basename "$deb") >/dev/null"

check "fibpool --version prints $version" \
  bash -c "[[ \$(podman exec $container fibpool --version) == *'$version'* ]]"
check "fibpool-worker beside fibpool in /usr/sbin" run_in "test -x /usr/sbin/fibpool-worker"
check "systemd units in /lib/systemd/system" \
  run_in "test -f /lib/systemd/system/fibpool.service && test -f /lib/systemd/system/fibpool.socket &&
      grep -q '^ExecStart=/usr/sbin/fibpool ' /lib/systemd/system/fibpool.service"
check "man pages" run_in "test -f /usr/share/man/man8/fibpool.8.gz && zcat /usr/share/man/man8/fibpool.8.gz | grep -q SIGUSR2"
check "/etc/fibpool/fibpool.conf is a conffile" \
  run_in "dpkg-query -W -f='\${Conffiles}' fibpool | grep -q '/etc/fibpool/fibpool.conf'"

need "netcat in the container" \
  run_in "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq netcat-openbsd >/dev/null"
podman exec -d "$container" sh -c \
  'exec fibpool --config /etc/fibpool/fibpool.conf --workers 1 >/tmp/fibpool.out 2>/tmp/fibpool.log' \
  >/dev/null
pong() { [[ $(run_in "echo ping | nc -q1 -w5 127.0.0.1 25000" 2>/dev/null) == pong ]]; }
need "the installed fibpool starts with the installed config" wait_for 30 pong
check "30 is answered 832040" \
  bash -c "[[ \$(podman exec $container sh -c 'echo 30 | nc -q1 -w20 127.0.0.1 25000') == 832040 ]]"

check "an edited conffile is kept when the package is installed again" \
  run_in "echo 'max_n = 1000' >>/etc/fibpool/fibpool.conf &&
      cd /pkg && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall ./$(basename "$deb") >/dev/null &&
      grep -q '^max_n = 1000' /etc/fibpool/fibpool.conf"

if command -v lintian >/dev/null; then
  findings=$(lintian "$deb" 2>/dev/null | grep -E '^[EW]:' || true)
  check "lintian: no error, no warning${findings:+ ($findings)}" test -z "$findings"
else
  say "lintian not installed on the host (apt-get install lintian): not run"
fi
