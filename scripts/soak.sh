#!/usr/bin/env bash
# Soak: long runs whose memory must stay flat. Not a test (these machines are shared and
# noisy): it prints each run's wall time and peak RSS, and the RSS of a run ten times
# shorter beside it, so growth with the run's length shows. Builds first.
#   bash scripts/soak.sh          # 10 M requests of two-tier-3az, and a 1-hour zone outage replay
#   bash scripts/soak.sh quick    # a tenth of each
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh release >/dev/null
lbsim=build/release/cli/lbsim
scale=1
[[ ${1:-} == quick ]] && scale=10

# Runs lbsim run FILE --duration D -q with its output folder, prints "label: wall, peak RSS".
measure() {
  local label=$1 file=$2 duration=$3
  local out
  out=$(mktemp -d)
  /usr/bin/time -f "%e %M" -o "$out/time" "$lbsim" run "$file" --duration "$duration" -q --out "$out/run" || true
  read -r wall rss <"$out/time"
  local sent
  sent=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['requests']['sent'])" "$out/run/summary.json")
  printf '  %-44s %12s requests  %8s s wall  %8.1f MB peak RSS\n' "$label" "$sent" "$wall" "$(awk -v kb="$rss" 'BEGIN { print kb / 1024 }')"
  rm -rf "$out"
}

echo "soak: two-tier-3az (about 10 000 requests/s), 10 M requests and a tenth of them"
measure "two-tier-3az, $((100 / scale)) s" scenarios/two-tier-3az.yaml "$((100 / scale))s"
measure "two-tier-3az, $((1000 / scale)) s" scenarios/two-tier-3az.yaml "$((1000 / scale))s"
echo "soak: zone outage replay (scenarios/failures/zone-outage-two-tier.yaml), 1 hour simulated and a tenth"
measure "zone outage, $((360 / scale)) s" scenarios/failures/zone-outage-two-tier.yaml "$((360 / scale))s"
measure "zone outage, $((3600 / scale)) s" scenarios/failures/zone-outage-two-tier.yaml "$((3600 / scale))s"
echo "soak: flat memory means the longer run's peak RSS is close to the shorter one's"
