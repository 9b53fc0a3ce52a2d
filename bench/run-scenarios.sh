#!/usr/bin/env bash
# Simulator speed and memory on the shipped scenarios: requests simulated per
# wall-second, peak RSS and simulated messages per request (each a timer and a
# transfer: the events a request costs), the median of several runs each, and each
# scenario's messages per wall-second as a share of SimGrid's own floors
# (bench/simgrid_floor.cpp: small messages between actors and nothing else, by s4u
# mailboxes, by lbsim's own kernel-timer hop with 100 messages an instant, and by kernel
# timers alone, each on its own instant), measured in the same run, between the
# scenarios' runs. The last floor moves one message per engine round, so a scenario is
# held against it by its rounds (summary.json's engine.rounds: one per distinct instant),
# not its messages: how close each round comes to the least a round costs. Prints
# figures only.
#
# With a baseline (an lbsim built from an earlier commit, side by side with this one),
# each scenario's runs alternate between the two binaries, so both see the same machine
# and its noise, and a second row gives the baseline's figures and the speed-up.
#
# On a virtual machine the hypervisor may give the cores to other guests for a while
# ("steal"), which stretches wall time and not CPU time: each row also gives requests per
# CPU-second of the whole process (user + system: start-up and outputs included) and the
# host's stolen share during its runs, and the speed-up line both ratios.
#   bench/run-scenarios.sh [runs=5] [duration=30s] [baseline lbsim]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
duration="${2:-30s}"
baseline="${3:-}"
lbsim=./build/release/cli/lbsim
[[ -x $lbsim ]] || { echo "build first: scripts/build.sh" >&2; exit 1; }
[[ -z $baseline || -x $baseline ]] || { echo "no lbsim at $baseline" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

floor_bin=./build/release/bench/lbsim_simgrid_floor
[[ -x $floor_bin ]] || { echo "build first: scripts/build.sh (bench/simgrid_floor.cpp)" >&2; exit 1; }
: >"$tmp/floor-mailbox"; : >"$tmp/floor-timer"; : >"$tmp/floor-rounds"
rate_of() { sed 's/.*: \([0-9]*\) messages per wall-second.*/\1/'; }
measure_floors() {
  "$floor_bin" 1000000 100 mailbox | rate_of >>"$tmp/floor-mailbox"
  "$floor_bin" 4000000 100 timer | rate_of >>"$tmp/floor-timer"
  "$floor_bin" 2000000 100 rounds | rate_of >>"$tmp/floor-rounds"
}

# One run of scenario $2 by binary $1, its figures appended to files named after $3.
measure_run() {
  local binary="$1" scenario="$2" tag="$3"
  local before after
  before=$(head -1 /proc/stat)
  /usr/bin/time -f '%M %U %S' -o "$tmp/time" "$binary" run "$scenario" --duration "$duration" -q --out "$tmp/out"
  after=$(head -1 /proc/stat)
  # /proc/stat's first line: cpu user nice system idle iowait irq softirq steal ...
  awk -v b="$before" -v a="$after" 'BEGIN {
    nb = split(b, x); split(a, y); total = 0
    for (i = 2; i <= 9 && i <= nb; i++) total += y[i] - x[i]
    print (total > 0 ? 100 * (y[9] - x[9]) / total : 0) }' >>"$tmp/$tag.steal"
  local sent wall
  sent=$(grep -m1 '"sent"' "$tmp/out/summary.json" | tr -dc '0-9')
  wall=$(grep -m1 '"wall_seconds"' "$tmp/out/summary.json" | sed 's/.*: *//; s/,//')
  grep -m1 '"messages_per_request"' "$tmp/out/summary.json" | sed 's/.*: *//; s/,//' >"$tmp/$tag.per_request"
  # (An lbsim from before rounds were counted has none: its row shows "-".)
  grep -m1 '"rounds_per_request"' "$tmp/out/summary.json" | sed 's/.*: *//; s/,//' >"$tmp/$tag.rounds" || true
  echo "$sent" >"$tmp/$tag.sent"
  awk -v s="$sent" -v w="$wall" 'BEGIN {print s / w}' >>"$tmp/$tag.rate"
  echo "$wall" >>"$tmp/$tag.wall"
  awk '{print $1 / 1024}' "$tmp/time" >>"$tmp/$tag.rss"
  # (GNU time reads CPU time to 10 ms: a run too short to show any counts as 10 ms.)
  awk -v s="$sent" '{c = $2 + $3; print s / (c > 0 ? c : 0.01)}' "$tmp/time" >>"$tmp/$tag.cpurate"
}

print_row() {
  local label="$1" tag="$2" rate per_request rounds
  rate=$(median <"$tmp/$tag.rate")
  per_request=$(cat "$tmp/$tag.per_request")
  rounds=$(cat "$tmp/$tag.rounds")
  share() { awk -v r="$rate" -v m="$2" -v f="$(median <"$1")" 'BEGIN {print 100 * r * m / f}'; }
  printf '%-22s %10s %14.0f %12.2f %10.1f %10.2f %10.1f %10.1f' "$label" "$(cat "$tmp/$tag.sent")" "$rate" "$(median <"$tmp/$tag.wall")" \
    "$(median <"$tmp/$tag.rss")" "$per_request" "$(share "$tmp/floor-mailbox" "$per_request")" "$(share "$tmp/floor-timer" "$per_request")"
  # The rounds floor: one timer per round and nothing else, against the scenario's rounds.
  if [[ -n $rounds ]]; then
    printf ' %10.2f %10.1f' "$rounds" "$(share "$tmp/floor-rounds" "$rounds")"
  else
    printf ' %10s %10s' - -
  fi
  printf ' %12.0f %8.1f' "$(median <"$tmp/$tag.cpurate")" "$(median <"$tmp/$tag.steal")"
}

printf '%-22s %10s %14s %12s %10s %10s %10s %10s %10s %10s %12s %8s' scenario requests "req/wall-s" "wall s" "peak MiB" "msg/req" "% mailbox" "% timer" "rounds/req" "% rounds" "req/CPU-s" "% steal"
[[ -n $baseline ]] && printf '  %s' "speed-up (wall, CPU)"
printf '\n'
for scenario in scenarios/*.yaml; do
  name=$(basename "$scenario" .yaml)
  rm -f "$tmp"/new.* "$tmp"/old.*
  for ((i = 0; i < runs; i++)); do
    measure_floors
    measure_run "$lbsim" "$scenario" new
    [[ -n $baseline ]] && measure_run "$baseline" "$scenario" old
  done
  print_row "$name" new
  if [[ -n $baseline ]]; then
    printf '  %.2fx, %.2fx\n' "$(awk -v n="$(median <"$tmp/new.rate")" -v o="$(median <"$tmp/old.rate")" 'BEGIN {print n / o}')" \
      "$(awk -v n="$(median <"$tmp/new.cpurate")" -v o="$(median <"$tmp/old.cpurate")" 'BEGIN {print n / o}')"
    print_row "  baseline" old
  fi
  printf '\n'
done
echo "SimGrid's floors here (messages per wall-second, 100 in flight, median of $(wc -l <"$tmp/floor-timer") runs each):" \
  "mailbox $(median <"$tmp/floor-mailbox"), timer $(median <"$tmp/floor-timer"), rounds $(median <"$tmp/floor-rounds")"
