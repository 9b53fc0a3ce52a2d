#!/usr/bin/env bash
# The testbed on real packets, end to end (needs root): a short run of each shipped
# L4-only testbed scenario answers its requests, reports mode "testbed", leaves the
# root namespace's interfaces and routes as they were, never puts its addresses on
# the host, and leaves no namespace or process behind: after a normal exit, and after
# its supervisor is killed with SIGKILL mid-run.
set -euo pipefail
lbsim="$1"
scenarios="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
snapshot() { { ip -o link show | sed 's/ state [A-Z]*//' | awk '{print $2}'; ip route show table all; } | sort; }
namespaces() { lsns -t net -n -o NS 2>/dev/null | sort -u | wc -l; }
children() { pgrep -f "lbsim testbed-node" | wc -l || true; }

before="$(snapshot)"
ns_before="$(namespaces)"
for file in "$scenarios"/l4-dnat.yaml "$scenarios"/l4-dsr.yaml; do
  out="$work/$(basename "$file" .yaml)"
  "$lbsim" testbed "$file" --duration 3s --out "$out" -q &
  pid=$!
  sleep 4.5  # inside the run: namespaces made, traffic flowing
  [[ "$(snapshot)" == "$before" ]] || fail "the root namespace's interfaces or routes changed during a run of $file"
  if ip -o addr show | grep -E ' (203\.0\.113\.|198\.1[89]\.|10\.[0-9]+\.(4|7|2[0-9])\.)' ; then
    fail "a testbed address is on the host's own interfaces"
  fi
  wait "$pid" || fail "lbsim testbed $file exited with $?"
  python3 - "$out/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
r = s["requests"]
assert s["mode"] == "testbed", s["mode"]
# 200 req/s for 3 s of Poisson arrivals: 600 expected, 5 sigma either way.
assert 600 - 5 * 600 ** 0.5 <= r["sent"] <= 600 + 5 * 600 ** 0.5, r
assert r["completed"] == r["sent"], r
print(sys.argv[1], "sent", r["sent"], "p50", s["latency_ms"]["p50"])
PY
done
sleep 0.5
[[ "$(children)" -eq 0 ]] || fail "testbed processes left after normal exits"
[[ "$(namespaces)" -le "$ns_before" ]] || fail "network namespaces left after normal exits"

# SIGKILL of the supervisor mid-run: its children die with it, and its namespaces with them.
"$lbsim" testbed "$scenarios/l4-dnat.yaml" --duration 20s -q &
pid=$!
sleep 5
[[ "$(children)" -gt 0 ]] || fail "no testbed children while the run was on"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
for _ in $(seq 50); do [[ "$(children)" -eq 0 ]] && break; sleep 0.1; done
[[ "$(children)" -eq 0 ]] || fail "testbed processes outlived a killed supervisor"
for _ in $(seq 50); do [[ "$(namespaces)" -le "$ns_before" ]] && break; sleep 0.1; done
[[ "$(namespaces)" -le "$ns_before" ]] || fail "network namespaces outlived a killed supervisor"
[[ -z "$(ip netns list)" ]] || fail "named namespaces exist: $(ip netns list)"
[[ "$(snapshot)" == "$before" ]] || fail "the root namespace changed"
echo "ok"
