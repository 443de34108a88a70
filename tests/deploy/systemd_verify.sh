#!/usr/bin/env bash
# Checks deploy/fibpool.service with `systemd-analyze verify` (works offline,
# without a running systemd). Any finding fails: verify exits 0 on unknown keys
# and bad values, so its output must be empty too.
#
#   tests/deploy/systemd_verify.sh UNIT_FILE BIN_DIR
#
# BIN_DIR holds the built fibpool: the unit's /usr/local/bin/ is replaced by it,
# since verify requires ExecStart's program to exist. Exits 77 (ctest: skipped)
# when systemd-analyze is missing or cannot run here.
set -euo pipefail
unit=$1
bin_dir=$(cd "$2" && pwd)

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

name=$(basename "$unit")
sed "s#/usr/local/bin/#${bin_dir%/}/#g" "$unit" >"$dir/$name"
status=0
output=$(cd "$dir" && systemd-analyze verify --man=no "./$name" 2>&1) || status=$?
if ((status != 0)) || [[ -n $output ]]; then
  echo "systemd-analyze verify $unit: exit $status"
  echo "$output"
  exit 1
fi
echo "systemd-analyze verify $unit: clean"
