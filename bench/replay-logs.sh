#!/usr/bin/env bash
# Access logs at scale. Prints figures only (machines here are shared and noisy):
#  - lines parsed per second on one core: the parser alone (lbsim_access_log_bench), and
#    `lbsim import traffic` on an ALB log from disk, plain and gzip'd as ALB delivers it
#    (lines / user CPU seconds: one core);
#  - a `replay` of the log and of one ten times longer: peak memory, which must not grow
#    with the log (the replay streams it), and requests simulated per wall-second.
# The logs are generated here (2 000 requests a second of log time, ~460 bytes a line),
# in a temporary folder removed at the end.
#   bench/replay-logs.sh [size of the larger log, default 1GB] [runs=3]
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-1GB}"
runs="${2:-3}"
lbsim=./build/release/cli/lbsim
parser_bench=./build/release/bench/lbsim_access_log_bench
[[ -x $lbsim && -x $parser_bench ]] || { echo "build first: cmake --build --preset release" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 1; }
bytes=$(numfmt --from=si "${size%B}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# An ALB access log of about $2 bytes: requests 0.5 ms apart from 2026-12-06T10:00:00Z,
# from 20 000 addresses, over 300 paths, 3 requests per connection.
generate() {
  python3 - "$1" "$2" <<'PY'
import sys
out, target = sys.argv[1], int(sys.argv[2])
base = 1796551200
paths = [f"/api/users/{i}/orders" if i % 3 else f"/static/app.{i}.js" for i in range(300)]
written, i, chunk = 0, 0, []
with open(out, "w") as f:
    while written < target:
        t = i * 0.0005
        s = int(t)
        stamp = f"2026-12-06T{10 + s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.{int((t - s) * 1e6):06d}Z"
        line = (f'https {stamp} app/shop-alb/50dc6c495c0c9188 198.18.{i % 20000 // 256}.{i % 256}:{30000 + i // 3 % 30000} '
                f'10.0.1.11:8080 0.000 0.012 0.000 200 200 342 3066 "GET https://shop.example.com:443{paths[i % 300]} HTTP/1.1" '
                f'"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0" TLS_AES_128_GCM_SHA256 TLSv1.3 '
                f'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" '
                f'"shop.example.com" "-" 30 {stamp} "forward" "-" "-" "10.0.1.11:8080" "200" "-" "-"\n')
        chunk.append(line)
        written += len(line)
        i += 1
        if len(chunk) == 10000:
            f.write("".join(chunk))
            chunk = []
    f.write("".join(chunk))
print(i)
PY
}

echo "parser alone, one core (lines/s):"
"$parser_bench" --benchmark_repetitions=$((runs < 3 ? 3 : runs)) --benchmark_report_aggregates_only=true 2>/dev/null |
  grep '_median' | sed -E 's/^BM_ParseLogLine\/([a-z]+)_median.*items_per_second=([0-9.]+[kMG]?)\/s.*/  \1 \2/'

small=$((bytes / 10))
echo
echo "generating ALB logs of $(numfmt --to=si "$small")B and $(numfmt --to=si "$bytes")B in $tmp ..."
small_lines=$(generate "$tmp/small.log" "$small")
big_lines=$(generate "$tmp/big.log" "$bytes")
gzip -1 -k "$tmp/small.log"

echo
printf '%-34s %12s %14s %12s\n' "lbsim import traffic (alb)" lines "lines/CPU-s" "peak MiB"
for log in small.log small.log.gz big.log; do
  lines=$([[ $log == big.log ]] && echo "$big_lines" || echo "$small_lines")
  : >"$tmp/rate"; : >"$tmp/rss"
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%U %M' -o "$tmp/time" "$lbsim" import traffic "$tmp/$log" --format alb -o "$tmp/imported.yaml" 2>/dev/null
    read -r user rss <"$tmp/time"
    awk -v n="$lines" -v u="$user" 'BEGIN {print n / u}' >>"$tmp/rate"
    awk -v m="$rss" 'BEGIN {print m / 1024}' >>"$tmp/rss"
  done
  printf '%-34s %12s %14.0f %12.1f\n' "  $log" "$lines" "$(median <"$tmp/rate")" "$(median <"$tmp/rss")"
done

# The replay: two tiers in one zone, each logged request at its time.
replay() {
  local log=$1 lines=$2
  local span=$(awk -v n="$lines" 'BEGIN {print int(n * 0.0005) + 2}')
  cat >"$tmp/replay.yaml" <<YAML
name: replay-bench
duration: ${span}s
topology: { zones: [a] }
clients:
  - { name: web, arrival: { kind: replay, file: $log, format: alb }, tls: none, mix: [ { path: / } ] }
l4: { nodes_per_zone: 1 }
l7: { nodes_per_zone: 1, rules: [ { default: true, forward: api } ] }
target_groups:
  api: { per_zone: 4, workers: 64 }
YAML
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$lbsim" run "$tmp/replay.yaml" -q --max-run-time 999999s --max-memory 64GB --out "$tmp/out" >/dev/null
  read -r wall rss <"$tmp/time"
  local sent=$(grep -m1 '"sent"' "$tmp/out/summary.json" | tr -dc '0-9')
  printf '%-34s %12s %14.0f %12.1f\n' "  $log" "$sent" "$(awk -v n="$sent" -v w="$wall" 'BEGIN {print n / w}')" "$(awk -v m="$rss" 'BEGIN {print m / 1024}')"
}
echo
printf '%-34s %12s %14s %12s\n' "replay (one run each)" requests "req/wall-s" "peak MiB"
replay small.log "$small_lines"
replay big.log "$big_lines"
