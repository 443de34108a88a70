#!/usr/bin/env bash
# The Prometheus side of the deployment, checked with promtool (Debian's
# `prometheus` package; scripts/install-deps installs it):
#   - deploy/prometheus.yml is a valid Prometheus configuration;
#   - deploy/prometheus/fibpool-alerts.yml passes `promtool check rules`;
#   - its unit tests, deploy/prometheus/fibpool-alerts_test.yml, pass
#     (`promtool test rules`), and test every alert both firing and not.
# Usage: prometheus_rules.sh DEPLOY_DIR. Exit 0: all pass; 1: a failure;
# 77: promtool is not installed (ctest counts it as skipped).
set -euo pipefail
deploy=${1:?usage: $0 DEPLOY_DIR}
if ! command -v promtool >/dev/null; then
  echo "promtool is not installed (scripts/install-deps installs Debian's prometheus): skipped"
  exit 77
fi
rules=$deploy/prometheus/fibpool-alerts.yml
tests=$deploy/prometheus/fibpool-alerts_test.yml
promtool check config --syntax-only "$deploy/prometheus.yml"
promtool check rules "$rules"
promtool test rules "$tests"

# Every alert has a case that fires it (exp_alerts with entries) and one
# that does not (exp_alerts: []).
status=0
for alert in $(sed -n 's/^ *- alert: *\([A-Za-z0-9_]*\) *$/\1/p' "$rules"); do
  cases=$(awk -v name="$alert" '
    $1 == "alertname:" { current = $2 }
    $1 == "exp_alerts:" && current == name { print ($2 == "[]" ? "quiet" : "fires") }
  ' "$tests" | sort -u | tr '\n' ' ')
  if [[ $cases != "fires quiet " ]]; then
    echo "FAILED: alert $alert needs a test case that fires it and one that does not (has: ${cases:-none})"
    status=1
  fi
done
((status == 0)) && echo "every alert is tested firing and not firing"
exit $status
