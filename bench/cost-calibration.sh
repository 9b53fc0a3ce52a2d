#!/usr/bin/env bash
# The run-cost estimate (core/config/cost.hpp) beside what runs measure: for layouts that
# stress each of its terms — many zones, many health-checked pairs, overload, saturated
# links, the shipped scenarios — the estimated and the measured peak memory and wall time.
# Prints figures only; the constants in cost.cpp come from its output.
#   bench/cost-calibration.sh [quick] [runs=3]   (quick: leaves out the 1 000-zone layout; ~8 min)
set -euo pipefail
cd "$(dirname "$0")/.."
lbsim=./build/release/cli/lbsim
[[ -x $lbsim ]] || { echo "build first: scripts/build.sh" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 1; }
runs="${2:-3}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# layout ZONES RATE DURATION l4|two [RESPONSE]: one population, one target group.
layout() {
  local zones
  zones=$(seq -s, -f 'z%g' 0 $(($1 - 1)))
  printf 'name: calibration\nseed: 1\nduration: %s\ntopology: { zones: [%s] }\n' "$3" "$zones"
  printf 'clients:\n  - name: web\n    arrival: { kind: poisson, rate: %s }\n' "$2"
  printf '    mix: [ { weight: 1, path: /, response: %s } ]\n' "${5:-2000B}"
  if [[ $4 == two ]]; then
    printf 'l4: { nodes_per_zone: 1 }\nl7: { nodes_per_zone: 2, cpu: { cores: 4 }, rules: [ { default: true, forward: app } ] }\n'
  else
    printf 'l4: { nodes_per_zone: 1, target_group: app }\n'
  fi
  printf 'target_groups:\n  app: { per_zone: 8, workers: 16 }\n'
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

measure() {  # measure LABEL FILE: the median of $runs runs
  local estimate rss wall
  estimate=$("$lbsim" validate "$2" --max-memory 1TB --max-run-time 1000000s | sed 's/.*a run needs ~//; s/ of memory and ~/|/; s/ (.*//')
  : >"$tmp/rss"; : >"$tmp/wall"
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%M %e' -o "$tmp/time" timeout 600 "$lbsim" run "$2" -q --max-memory 1TB --max-run-time 1000000s 2>/dev/null || true
    read -r rss wall < <(tail -1 "$tmp/time") || true
    [[ $rss =~ ^[0-9]+$ ]] || { rss=0; wall=600; }
    echo "$rss" >>"$tmp/rss"; echo "$wall" >>"$tmp/wall"
  done
  printf '%-34s %14s %12s %14s %10s\n' "$1" "${estimate%%|*}" "$(median <"$tmp/rss" | awk '{printf "%.0f MB", $1 * 1.024 / 1000}')" \
    "${estimate##*|}" "$(median <"$tmp/wall") s"
}

printf '%-34s %14s %12s %14s %10s\n' layout "est. memory" measured "est. time" measured
for scenario in scenarios/*.yaml scenarios/failures/retry-storm.yaml; do measure "$(basename "$scenario" .yaml)" "$scenario"; done
cases=("100 zones, two-tier|100 10/s 1s two" "300 zones, two-tier|300 10/s 1s two" "300 zones, L4 only|300 10/s 1s l4"
  "3 zones, 2x overload|3 100000/s 5s l4" "3 zones, 1 MB saturating, 0.05 s|3 20000/s 0.05s l4 1MB"
  "3 zones, 1 MB saturating, 0.1 s|3 20000/s 0.1s l4 1MB")
[[ ${1:-} == quick ]] || cases+=("1000 zones, L4 only|1000 10/s 1s l4")
for case in "${cases[@]}"; do
  # shellcheck disable=SC2086  # the arguments are words
  layout ${case#*|} >"$tmp/layout.yaml"
  measure "${case%%|*}" "$tmp/layout.yaml"
done
