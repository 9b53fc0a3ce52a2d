#!/usr/bin/env bash
# TLS on real packets (needs root): the backends of an L4-only layout terminate every
# connection with a real OpenSSL handshake. The clients replay the model's traffic and
# toss its resumption coins from the same stream, so the backends must count the
# model's handshakes, full and resumed, to within the few connections real timing can
# change; the share resumed is the scenario's 60 % within sampling
# error; and each handshake costs the server the CPU the model charges, within a factor of two. Nothing is left behind.
set -euo pipefail
lbsim="$1"
scenario="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/testbed_lib.sh"
ns_before="$(namespaces)"

"$lbsim" run "$scenario" --duration 5s --out "$work/model" -q || fail "lbsim run exited with $?"
"$lbsim" testbed "$scenario" --duration 5s --out "$work/real" -q || fail "lbsim testbed exited with $?"
python3 - "$work/model/summary.json" "$work/real/summary.json" <<'PY'
import json, sys
def tls(path):
    s = json.load(open(path))
    backends = [n.get("tls", {}) for n in s["nodes"] if n["kind"] == "backend"]
    return s, {k: sum(b.get(k, 0) for b in backends) for k in ("full", "resumed", "cpu_seconds")}
model, predicted = tls(sys.argv[1])
real, measured = tls(sys.argv[2])
r = real["requests"]
assert r["completed"] == r["sent"] == model["requests"]["sent"], (r, model["requests"])
# Not to the connection: a connection opened before the population's first answer has
# no session to offer, and how many open before it is a matter of real timing (~160 new
# connections a second: every 10 ms the first answer is late is 1.6 more full
# handshakes). On the machine the test was written on they were 3 apart; on a later one
# of the same kind 8 to 17 (8 in 4 of 7 runs, with and without SNI), always more full
# handshakes than the model, taken from the resumed ones: the testbed's first answer
# comes 50-100 ms after the model's (not yet explained). The bound is 2.5 % of the
# handshakes (20 here); the share check below holds the coins to the scenario's 60 %.
total = predicted["full"] + predicted["resumed"]
for kind in ("full", "resumed"):
    assert abs(measured[kind] - predicted[kind]) <= max(6, 0.025 * total), (kind, measured, predicted)
handshakes = measured["full"] + measured["resumed"]
share = measured["resumed"] / handshakes
sigma = (0.6 * 0.4 / handshakes) ** 0.5
assert abs(share - 0.6) <= 5 * sigma, (share, sigma)
# core/tls prices a handshake from OpenSSL's measured work and a server's socket work;
# the backends' thread CPU must land within a factor of two of it (a shared machine's
# caches and scheduling have moved it by a fifth), and above the arithmetic alone (an
# ECDSA P-256 signature and two X25519 operations: 62 us).
per = measured["cpu_seconds"] / handshakes
model_per = predicted["cpu_seconds"] / total
assert 62e-6 < per and model_per / 2 < per < 2 * model_per, (per, model_per)
print(f"tls: {handshakes} handshakes ({predicted['full'] + predicted['resumed']} in the model), "
      f"{share:.1%} resumed, {per * 1e6:.0f} us of server CPU each "
      f"(the model: {predicted['cpu_seconds'] / max(1, predicted['full'] + predicted['resumed']) * 1e6:.0f} us)")
PY
sleep 0.5
[[ "$(namespaces)" -le "$ns_before" ]] || fail "network namespaces left behind"
[[ "$(children)" -eq 0 ]] || fail "testbed processes left behind"
echo "ok"
