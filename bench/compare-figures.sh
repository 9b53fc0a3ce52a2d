#!/usr/bin/env bash
# Whether a change moved any figure beyond chance: runs each scenario (and variant) with
# two lbsim binaries, N replications each, and prints every figure whose two 95 %
# confidence intervals do not overlap. For changes that reorder events (a speed-up that
# breaks ties differently, say), where the golden summaries cannot stay byte-identical.
# Prints figures; exits 1 if any figure moved beyond its intervals.
#   bench/compare-figures.sh OLD_LBSIM NEW_LBSIM [replications=5] FILE[@VARIANT]...
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 3 ]] || { echo "usage: bench/compare-figures.sh OLD_LBSIM NEW_LBSIM [replications] FILE[@VARIANT]..." >&2; exit 2; }
old="$(realpath "$1")"; new="$(realpath "$2")"; shift 2
replications=5
if [[ $1 =~ ^[0-9]+$ ]]; then replications=$1; shift; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

moved=0
for spec in "$@"; do
  file="${spec%@*}"; args=()
  [[ $spec == *@* ]] && args=(--variant "${spec#*@}")
  for side in old new; do
    binary=$old; [[ $side == new ]] && binary=$new
    # (A run that misses its service-level objectives exits 1 and still writes its figures.)
    rm -rf "${tmp:?}/$side"
    "$binary" run "$file" "${args[@]}" --replications "$replications" --out "$tmp/$side" >/dev/null 2>&1 || true
    [[ -f $tmp/$side/summary.json ]] || { echo "$spec: the $side binary wrote no summary" >&2; exit 2; }
  done
  python3 - "$spec" "$tmp/old/summary.json" "$tmp/new/summary.json" <<'EOF' || moved=1
import json, sys
spec, old_path, new_path = sys.argv[1:]
old = json.load(open(old_path))["replications"]["figures"]
new = json.load(open(new_path))["replications"]["figures"]
outside = []
for name, a in old.items():
    b = new.get(name)
    if b is None:
        continue
    # Overlapping intervals: the difference is within what chance gives both runs.
    if abs(a["mean"] - b["mean"]) > a["half_width"] + b["half_width"] + 1e-9 * max(1.0, abs(a["mean"])):
        outside.append(f'{name} {a["mean"]:.6g} ± {a["half_width"]:.3g} -> {b["mean"]:.6g} ± {b["half_width"]:.3g}')
print(f'{spec}: {len(old)} figures, ' + ("all within their intervals" if not outside else f'{len(outside)} moved: ' + "; ".join(outside)))
sys.exit(1 if outside else 0)
EOF
done
exit $moved
