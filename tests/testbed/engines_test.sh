#!/usr/bin/env bash
# HAProxy and nginx as the testbed's L7 tier (l7.engine, crosscheck --engines): the same
# two-tier scenario runs on lbsim's proxy, on HAProxy and on nginx, each configured by
# `lbsim export`, and each real proxy carries the scenario's traffic through the real
# L4 tier to the real backends — every request answered, none failed, each counted by
# the proxy — and spends CPU of its own; HAProxy's answers say which group answered, and its weighted canary gets
# its share. Root, as every testbed test.
set -uo pipefail
lbsim="$1"
scenario="$2"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$lbsim" crosscheck "$scenario" --engines lbsim,haproxy,nginx --duration 4s --out "$out" >"$out/table.txt" 2>&1
rc=$?
cat "$out/table.txt"
[[ $rc -eq 0 || $rc -eq 3 ]] || { echo "the crosscheck did not run (exit $rc)"; exit 1; }
python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
c = json.load(open(os.path.join(out, "crosscheck.json")))
engines = {e["engine"]: {r["figure"]: r for r in e["rows"]} for e in c["engines"]}
assert list(engines) == ["lbsim", "haproxy", "nginx"], list(engines)
for name, rows in engines.items():
    t = rows["throughput"]
    assert t["measured"] > 0.97 * t["predicted"], (name, t)
    assert rows["failed"]["measured"] == 0, (name, rows["failed"])
    for node in ("l7-a-0", "l7-b-0"):
        assert rows[f"{node} utilisation"]["measured"] > 0, (name, node)
# Each engine's L7 nodes count the requests they took (HAProxy and nginx from their own
# per-request log lines): together, every request the clients sent, give or take those
# in flight at the end.
for folder in ("testbed", "testbed-haproxy", "testbed-nginx"):
    s = json.load(open(os.path.join(out, folder, "summary.json")))
    taken = sum(n["requests"] for n in s["nodes"] if n["name"].startswith("l7-"))
    sent = s["requests"]["sent"]
    assert 0.97 * sent <= taken <= 1.03 * sent + 5, (folder, "L7 requests", taken, "sent", sent)
# The verdict is lbsim's proxy's alone.
assert c["passed"] == c["engines"][0]["passed"], c["passed"]
# HAProxy draws the canary's 10 % of /api/* (75 % of the mix) as lbsim's rules do.
groups = {g["group"]: g for g in json.load(open(os.path.join(out, "testbed-haproxy", "summary.json")))["target_groups"]}
sent = sum(g["sent"] for g in groups.values())
canary = groups["canary"]["sent"] / sent
assert 0.045 < canary < 0.11, ("canary share through HAProxy", canary, {k: g["sent"] for k, g in groups.items()})
assert groups["static"]["sent"] > 0.15 * sent, groups["static"]["sent"]
print(f"ok: three L7 engines carried the traffic; HAProxy sent {canary:.1%} to the canary")
PY
