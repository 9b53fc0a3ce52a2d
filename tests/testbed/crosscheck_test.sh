#!/usr/bin/env bash
# A short crosscheck in CI: the simulator's prediction and the testbed's measurement of a
# shipped layout agree within every gating tolerance (lbsim crosscheck exits 0; 3 when a
# figure is beyond its tolerance). The scenario is round robin over single-worker backends
# near saturation: its latencies are queueing the two reproduce draw for draw (common
# random numbers), not the real stack's fixed ~0.7 ms, whose jitter alone took the DNAT
# layout's p99 (a deterministic 25.7 ms in the model) 20-21 % high on a busy CI machine.
# A measurement on a shared machine can be disturbed by another tenant (docs/TESTBED.md: a
# compile on both cores makes p50 12-14 % slow; a hypervisor taking 5 % of the cores, 8 %),
# so a disagreement is measured again, up to three times in all, before it fails the test;
# every attempt is printed with the CPU share the host lost to other guests meanwhile. A
# disagreement while the hypervisor took more than 5 % of the cores is the host's, not
# the model's (CI saw 16-29 % for minutes, and p50 +17-47 %): it is measured again without
# counting, up to six attempts in all; with no quiet one among them, the test fails and
# says so.
#
# CROSSCHECK_DURATION (default 10s) sets the run's length; CROSSCHECK_ROWS, figures
# separated by '|', names rows that must be there (a fault's detection by a checker and
# by DNS, say), so that a verdict cannot pass for want of the figures it is about.
# CROSSCHECK_UTILISATION_POINTS, when set, bounds every utilisation row's difference in
# points, tighter than the verdict's 5 (for a layout of backends alone: they serve on the
# emulated timeline, so a late wake-up must not add to their busy time; before that,
# 0.9-1.6 points at 75 % load, since then 0.02-0.1).
set -uo pipefail
lbsim="$1"
scenario="$2"
shift 2  # the rest: options for lbsim crosscheck (--variant ...)
disagreements=0
for attempt in 1 2 3 4 5 6; do
  out="$(mktemp -d)"
  "$lbsim" crosscheck "$scenario" "$@" --duration "${CROSSCHECK_DURATION:-10s}" --out "$out" >"$out/table.txt" 2>&1
  rc=$?
  cat "$out/table.txt"
  if [[ $rc -eq 0 ]]; then
    python3 - "$out/crosscheck.json" "${CROSSCHECK_ROWS:-}" "${CROSSCHECK_UTILISATION_POINTS:-}" <<'PY' || { rm -rf "$out"; exit 1; }
import json, sys
c = json.load(open(sys.argv[1]))
rows = {r["figure"]: r for r in c["rows"]}
if sys.argv[3]:
    shares = [r for r in c["rows"] if r["figure"].endswith(" utilisation")]
    assert shares, "no utilisation rows"
    for r in shares:  # (shares: a point is 0.01)
        assert abs(r["measured"] - r["predicted"]) <= float(sys.argv[3]) / 100, f"{r['figure']}: {r['predicted']} predicted, {r['measured']} measured"
for figure in filter(None, sys.argv[2].split("|")):
    assert figure in rows and rows[figure]["measured"] is not None, f"no measured row '{figure}'"
# The verdict must rest on real figures: both sides answered the same traffic.
assert c["passed"] and rows["throughput"]["predicted"] > 5 and rows["throughput"]["measured"] > 5, c
assert all(r["pass"] for r in c["rows"] if r["gating"]), c
PY
    rm -rf "$out"
    echo "crosscheck agrees (attempt $attempt)"
    exit 0
  fi
  [[ $rc -eq 3 ]] || { rm -rf "$out"; echo "crosscheck failed to run (exit $rc)"; exit 1; }
  disturbed="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("host", {}).get("disturbed", False))' "$out/crosscheck.json")"
  rm -rf "$out"
  if [[ $disturbed == True ]]; then  # (lbsim crosscheck's judgement: reports/crosscheck.hpp)
    echo "attempt $attempt: not counted, the host was disturbed (steal above 5 %)"
    continue
  fi
  ((++disagreements < 3)) || { echo "the crosscheck disagreed three times on a quiet host"; exit 1; }
done
echo "no verdict: $disagreements quiet disagreement(s), and the host was disturbed in the other attempts"
exit 1
