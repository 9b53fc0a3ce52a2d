#!/usr/bin/env bash
# Runs every libFuzzer target (fuzz/) under ASan and UBSan for SECONDS each (default 60),
# seeded from the shipped scenarios and the tests' inputs. A finding stops the script with
# the target's report and the input that caused it in build/fuzz/findings/; exit 1.
#   bash scripts/fuzz.sh          # a minute per target
#   bash scripts/fuzz.sh 16       # what CI runs on every run
#   bash scripts/fuzz.sh 720      # the long run (5 targets x 12 min = 1 hour)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
work=build/fuzz/work
findings=build/fuzz/findings
mkdir -p "$findings"

# Seed corpora: what a user would write. Each target keeps what it learns in its own
# corpus folder across runs (build/fuzz/work/<target>).
seed() {
  local target=$1
  mkdir -p "$work/$target"
  case $target in
    scenario_loader)
      find scenarios -name '*.yaml' -exec cp {} "$work/$target/" \; ;;
    set_overrides)
      printf 'l7.nodes_per_zone=3\n' >"$work/$target/nodes"
      printf 'clients[0].arrival.rate=500/s\nduration=10s\n' >"$work/$target/rate"
      printf 'target_groups.api.service_time.median=9ms\n' >"$work/$target/median"
      printf 'l7.rules[0].rewrite.path.regex=^/(a+)+$\n' >"$work/$target/regex"
      printf 'faults[0].targets=api-*\nseed=7\n' >"$work/$target/fault" ;;
    stream_commands)
      printf '{"cmd": "fault", "fault": {"kind": "zone_outage", "zone": "b", "for": "1s"}}' >"$work/$target/fault"
      printf '{"cmd": "recover", "fault": 0}' >"$work/$target/recover"
      printf '{"cmd": "speed", "value": 2}' >"$work/$target/speed"
      printf '{"cmd": "pause"}' >"$work/$target/pause"
      printf '{"cmd": "fault", "fault": {"kind": "backend_crash", "targets": "api-a-*"}}' >"$work/$target/crash" ;;
    rule_table)
      # Raw bytes the target reads as rules and a request; a few to start from.
      printf '/api/*\x01GET\x00x-beta-user\x00true\x00/api/users\x00example.com\x00a=1' >"$work/$target/api"
      printf '^/api/(.*)$\x00/$1\x00%s' "$(head -c 1000 /dev/zero | tr '\0' a)" >"$work/$target/rewrite"
      printf '*a*a*a*a*a*b\x00%s' "$(head -c 2000 /dev/zero | tr '\0' a)" >"$work/$target/glob" ;;
    frame)
      # A rewrite (address, port, MAC), then a TCP SYN and a UDP datagram with right checksums.
      printf '\x0a\x01\x14\x01\x01\xbb\x02\x00\x0a\x01\x14\x01' >"$work/$target/prefix"
      python3 - "$work/$target" <<'PY'
import struct, sys
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
def frame(proto, l4):
    src, dst = bytes([198, 18, 0, 7]), bytes([203, 0, 113, 50])
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 1, 0x4000, 64, proto, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    pseudo = src + dst + struct.pack("!BBH", 0, proto, len(l4))
    at = 16 if proto == 6 else 6
    l4 = l4[:at] + struct.pack("!H", csum(pseudo + l4)) + l4[at + 2:]
    return bytes(6) + bytes(6) + b"\x08\x00" + ip + l4
prefix = open(sys.argv[1] + "/prefix", "rb").read()
tcp = struct.pack("!HHIIBBHHH", 40000, 443, 1, 0, 5 << 4, 0x02, 65535, 0, 0) + b"hello"
udp = struct.pack("!HHHH", 5353, 53, 8 + 4, 0) + b"abcd"
open(sys.argv[1] + "/syn", "wb").write(prefix + frame(6, tcp))
open(sys.argv[1] + "/udp", "wb").write(prefix + frame(17, udp))
PY
      rm "$work/$target/prefix" ;;
  esac
}

for target in scenario_loader set_overrides stream_commands rule_table frame; do
  seed "$target"
  echo "fuzz: $target for ${seconds}s"
  # -timeout: an input that takes a second is a hang; -rss_limit_mb: one that needs 2 GB is
  # unbounded memory. Both are findings, like a crash.
  if ! build/fuzz/fuzz/fuzz_$target "$work/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -artifact_prefix="$findings/$target-" -print_final_stats=1 2>"build/fuzz/$target.log"; then
    tail -60 "build/fuzz/$target.log"
    echo "fuzz: $target found a problem; the input is in $findings/" >&2
    exit 1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "build/fuzz/$target.log" | sed "s/^/  $target /"
done
echo "fuzz: no finding"
