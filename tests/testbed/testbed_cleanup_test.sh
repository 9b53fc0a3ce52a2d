#!/usr/bin/env bash
# The testbed on real packets, end to end (needs root): a short run of each shipped
# L4-only testbed scenario answers its requests, reports mode "testbed", leaves the
# root namespace's interfaces and routes as they were, never puts its addresses on
# the host, and leaves no namespace or process behind: after a normal exit, after
# Ctrl-C (SIGINT) mid-run, and after its supervisor is killed with SIGKILL mid-run.
set -euo pipefail
lbsim="$1"
scenarios="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/testbed_lib.sh"

snapshot() { { ip -o link show | sed 's/ state [A-Z]*//' | awk '{print $2}'; ip route show table all; } | sort; }

# What it cannot do, it refuses in one line with exit 2, before building anything.
refuses() {  # refuses PATTERN COMMAND...
  local pattern=$1; shift
  local output rc=0
  output="$("$@" 2>&1)" || rc=$?
  [[ $rc -eq 2 ]] || fail "expected exit 2 from: $* (got $rc: $output)"
  grep -qE "$pattern" <<<"$output" || fail "expected /$pattern/ from: $* (got: $output)"
}
source_dir="$(cd "$scenarios/../.." && pwd)"
refuses 'needs root' setpriv --reuid=nobody --regid=nogroup --clear-groups "$lbsim" testbed "$scenarios/l4-dnat.yaml"
refuses 'two-tier-3az.yaml:1:1: error: .*10000 requests/s.*run it with --scale [0-9.]+' "$lbsim" testbed "$source_dir/scenarios/two-tier-3az.yaml"
refuses 'L7 nodes serve either HTTPS or plain HTTP' "$lbsim" testbed "$scenarios/two-tier-canary.yaml" \
  --set 'clients=[{name: a, arrival: {kind: poisson, rate: 10/s}, tls: none, mix: [{weight: 1, path: /}]}, {name: b, arrival: {kind: poisson, rate: 10/s}, mix: [{weight: 1, path: /}]}]'
refuses 'scale: client .web. has a rate that varies over time' "$lbsim" testbed "$scenarios/l4-dnat.yaml" --scale 2 \
  --set 'clients.0.arrival={kind: ramp, from: 10/s, to: 100/s, over: 2s}'
refuses 'l4-dnat.yaml:1:1: error: --engines: the scenario has no L7 tier' "$lbsim" crosscheck "$scenarios/l4-dnat.yaml" --engines lbsim,haproxy
refuses 'at most 64' "$lbsim" testbed "$scenarios/l4-dnat.yaml" --set target_groups.app.per_zone=40
# Beyond what two cores carry: refused with the estimate and the --scale that would do.
refuses 'l4-only-3az.yaml:1:1: error: .*10000 requests/s.*run it with --scale [0-9.]+' "$lbsim" testbed "$source_dir/scenarios/l4-only-3az.yaml"
refuses 'with --scale 2 .* use --scale [0-9.]+' "$lbsim" crosscheck "$source_dir/scenarios/l4-only-3az.yaml" --scale 2

before="$(snapshot)"
ns_before="$(namespaces)"
for file in "$scenarios"/l4-dnat.yaml "$scenarios"/l4-dsr.yaml; do
  out="$work/$(basename "$file" .yaml)"
  # The DSR run is scaled down by 2: half the rate, half the browsers, one backend a zone.
  scale=1; [[ $file == *dsr* ]] && scale=2
  "$lbsim" testbed "$file" --duration 3s --scale "$scale" --out "$out" --pcap "$out/pcap" -q &
  pid=$!
  sleep 4.5  # inside the run: namespaces made, traffic flowing
  [[ "$(snapshot)" == "$before" ]] || fail "the root namespace's interfaces or routes changed during a run of $file"
  if ip -o addr show | grep -E ' (203\.0\.113\.|198\.1[89]\.|10\.[0-9]+\.(4|7|2[0-9])\.)' ; then
    fail "a testbed address is on the host's own interfaces"
  fi
  wait "$pid" || fail "lbsim testbed $file exited with $?"
  python3 - "$out/summary.json" "$scale" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
scale = float(sys.argv[2])
r = s["requests"]
assert s["mode"] == "testbed", s["mode"]
# 200 req/s (divided by --scale) for 3 s of Poisson arrivals, 5 sigma either way.
expected = 600 / scale
assert expected - 5 * expected ** 0.5 <= r["sent"] <= expected + 5 * expected ** 0.5, r
assert r["completed"] == r["sent"], r
backends = [n for n in s["nodes"] if n["kind"] == "backend"]
if scale == 1:
    assert "scale" not in s and len(backends) == 4, s.get("scale")
else:
    # The report says what was scaled, and the layout is the scaled one.
    assert s["scale"]["factor"] == scale and len(s["scale"]["changes"]) == 3, s["scale"]
    assert len(backends) == 2, [n["name"] for n in backends]
print(sys.argv[1], "sent", r["sent"], "p50", s["latency_ms"]["p50"])
PY
  # The L4 node's capture shows its rewrite: DNAT changes the destination address to a
  # backend's (10.x); DSR leaves the addresses alone and changes only the MACs.
  python3 - "$out/pcap/l4-a-0.pcap" "$(basename "$file" .yaml)" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
assert struct.unpack("<I", data[:4])[0] == 0xa1b2c3d4 and struct.unpack("<I", data[20:24])[0] == 1, "a pcap of Ethernet frames"
frames, at = [], 24
while at + 16 <= len(data):
    _, _, caplen, _ = struct.unpack("<IIII", data[at:at + 16])
    frames.append(data[at + 16:at + 16 + caplen]); at += 16 + caplen
syns = [f for f in frames if f[12:14] == b"\x08\x00" and f[23] == 6 and f[47] & 0x12 == 0x02]
vip = bytes([203, 0, 113, 50])
inbound = [f for f in syns if f[30:34] == vip and f[0:6] == bytes([2, 0, 10, 1, 4, 1])]
outbound = [f for f in syns if f[6:12] == bytes([2, 0, 10, 1, 4, 1])]
assert inbound and outbound, (len(inbound), len(outbound))
first_in = inbound[0]
match = [f for f in outbound if f[26:30] == first_in[26:30] and f[34:38] == first_in[34:38]]
assert match, "the SYN leaves the L4 node"
out = match[0]
if sys.argv[2] == "l4-dnat":
    assert out[30] == 10 and out[30:34] != vip, "DNAT: the destination becomes a backend's address"
else:
    assert out[26:34] == first_in[26:34] and out[34:38] == first_in[34:38], "DSR: addresses and ports untouched"
    assert out[0:6] != first_in[0:6], "DSR: a new destination MAC (the backend's)"
print(sys.argv[2], "capture:", len(frames), "frames; the rewrite is as expected")
PY
done
sleep 0.5
[[ "$(children)" -eq 0 ]] || fail "testbed processes left after normal exits"
[[ "$(namespaces)" -le "$ns_before" ]] || fail "network namespaces left after normal exits"

# Ctrl-C mid-run: the run ends in order within seconds, exit 130, with a report of what
# it measured until then, and nothing left behind, its work folder in /tmp included.
work_before="$(ls -d /tmp/lbsim-testbed-* 2>/dev/null | sort || true)"
"$lbsim" testbed "$scenarios/l4-dnat.yaml" --duration 30s --out "$work/interrupted" -q &
pid=$!
sleep 6
kill -INT "$pid"
rc=0
timeout 15 tail --pid="$pid" -f /dev/null || fail "lbsim testbed did not end within 15 s of SIGINT"
wait "$pid" || rc=$?
[[ $rc -eq 130 ]] || fail "expected exit 130 after SIGINT, got $rc"
python3 - "$work/interrupted/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
r = s["requests"]
# Interrupted about 6 s in (some of it set-up): fewer than the 30 s would send, and
# every request sent accounted for.
assert 0 < r["sent"] < 200 * 10, r
assert r["completed"] + r["failed"] == r["sent"], r
print("interrupted run: sent", r["sent"], "completed", r["completed"])
PY
[[ "$(ls -d /tmp/lbsim-testbed-* 2>/dev/null | sort || true)" == "$work_before" ]] || fail "a work folder was left in /tmp"
sleep 0.5
[[ "$(children)" -eq 0 ]] || fail "testbed processes left after SIGINT"
[[ "$(namespaces)" -le "$ns_before" ]] || fail "network namespaces left after SIGINT"

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
# SIGKILL left the run no time to remove its work folder; the next testbed command
# (here one that is refused at once) removes it, since its owner is gone.
refuses 'requests/s' "$lbsim" testbed "$source_dir/scenarios/two-tier-3az.yaml"
[[ "$(ls -d /tmp/lbsim-testbed-* 2>/dev/null | sort || true)" == "$work_before" ]] || fail "the killed run's work folder is still in /tmp"
echo "ok"
