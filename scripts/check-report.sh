#!/usr/bin/env bash
# Renders a run's report.html in headless Chromium (Debian's chromium package, installed
# here if missing) and checks that the page and its charts render: the DOM Chromium built
# holds every chart as SVG with drawn paths, and the screenshot is not blank. The
# screenshot goes to docs/report.png.
#   scripts/check-report.sh [scenario=scenarios/failures/zone-outage-l4-cross-zone-off.yaml]
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-scenarios/failures/zone-outage-l4-cross-zone-off.yaml}"
if ! command -v chromium >/dev/null; then
  sudo_cmd=()
  [[ $EUID -ne 0 ]] && sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
bash scripts/build.sh release >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
./build/release/cli/lbsim run "$scenario" -q --out "$out" || [[ $? -eq 3 ]]  # 3: an SLO missed, still a report

# Chromium as the project's machines run it: no sandbox as root, no network chatter.
chrome=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
        --disable-component-update --disable-sync --user-data-dir="$out/profile" --hide-scrollbars)
"${chrome[@]}" --dump-dom "file://$out/report.html" >"$out/dom.html" 2>/dev/null
charts=$(grep -o '<svg' "$out/dom.html" | wc -l)
paths=$(grep -oE '<(path|polyline)' "$out/dom.html" | wc -l)
[[ $charts -eq 6 ]] || { echo "check-report: expected 6 charts in the rendered page, found $charts" >&2; exit 1; }
[[ $paths -gt 50 ]] || { echo "check-report: the charts draw almost nothing ($paths lines and paths)" >&2; exit 1; }
"${chrome[@]}" --window-size=1000,3400 --screenshot="$out/report.png" "file://$out/report.html" >/dev/null 2>&1
size=$(stat -c %s "$out/report.png")
[[ $size -gt 100000 ]] || { echo "check-report: the screenshot looks blank ($size bytes)" >&2; exit 1; }
cp "$out/report.png" docs/report.png
echo "check-report: $charts charts, $paths drawn lines and paths, screenshot $size bytes -> docs/report.png"
