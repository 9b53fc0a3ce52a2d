#!/usr/bin/env bash
# HAProxy and nginx, running what lbsim export writes, take each sample request as lbsim
# does (route_through_proxies.py). Root: it runs in a network namespace of its own
# (unshare --net), where the backends' 10.x addresses exist and nothing reaches out;
# the namespace, the proxies and the stand-in backends end with it.
set -euo pipefail
lbsim="$1"
root="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for scenario in "$root/tests/export/every_rule.yaml" "$root/scenarios/lessons/04-content-routing.yaml"; do
  unshare --net -- python3 "$root/tests/export/route_through_proxies.py" "$lbsim" "$scenario" "$work/$(basename "$scenario" .yaml)"
done
leftover="$(pgrep -f "$work" || true)"
[[ -z $leftover ]] || { echo "FAIL: processes left behind: $leftover"; exit 1; }
