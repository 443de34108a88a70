#!/usr/bin/env bash
# Checks systemd units (deploy/fibpool.service, deploy/fibpool.socket) with
# `systemd-analyze verify` (works offline, without a running systemd). Any
# finding fails: verify exits 0 on unknown keys and bad values, so its output
# must be empty too. The units are verified together, in one directory, so
# that the socket finds its service.
#
#   tests/deploy/systemd_verify.sh BIN_DIR UNIT_FILE...
#
# BIN_DIR holds the built fibpool: the units' /usr/local/bin/ is replaced by
# it, since verify requires ExecStart's program to exist. Exits 77 (ctest:
# skipped) when systemd-analyze is missing or cannot run here.
set -euo pipefail
bin_dir=$(cd "$1" && pwd)
shift
units=("$@")

if ! command -v systemd-analyze >/dev/null; then
  echo "systemd-analyze not found (Debian package systemd): skipped"
  exit 77
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# Can verify run here at all? A minimal unit must pass.
printf '[Service]\nExecStart=/bin/true\n' >"$dir/probe.service"
if ! (cd "$dir" && systemd-analyze verify --man=no ./probe.service) >/dev/null 2>&1; then
  echo "systemd-analyze verify cannot run here: skipped"
  exit 77
fi

names=()
for unit in "${units[@]}"; do
  name=$(basename "$unit")
  sed "s#/usr/local/bin/#${bin_dir%/}/#g" "$unit" >"$dir/$name"
  names+=("./$name")
done
status=0
output=$(cd "$dir" && systemd-analyze verify --man=no "${names[@]}" 2>&1) || status=$?
if ((status != 0)) || [[ -n $output ]]; then
  echo "systemd-analyze verify ${units[*]}: exit $status"
  echo "$output"
  exit 1
fi
echo "systemd-analyze verify ${units[*]}: clean"
