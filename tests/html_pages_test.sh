#!/usr/bin/env bash
# Every page lbsim writes, as a browser lays it out: report.html of a fault scenario (in
# English and in Korean), comparison.html with long run names, sweep.html of a
# two-dimensional sweep with replications. Each is opened in headless Chromium at a
# laptop's width with a probe appended that reports (1) every element whose right edge passes the page's width and
# (2) every table cell holding a bare number with more than four decimals, or
# null/NaN/inf. Both lists must be empty.
#   tests/html_pages_test.sh LBSIM_BINARY SOURCE_DIR
set -euo pipefail
lbsim=$1
src=$2
command -v chromium >/dev/null || { echo "html-pages: chromium is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$lbsim" run "$src/scenarios/failures/zone-outage-two-tier.yaml" --duration 40s -q --out "$out/run" || [[ $? -eq 3 ]]
# The same page in Korean: longer words, wide characters.
"$lbsim" run "$src/scenarios/failures/zone-outage-two-tier.yaml" --duration 40s -q --language ko --out "$out/run-ko" || [[ $? -eq 3 ]]
# Long run names: the Δ column must still fit.
long="$out/a-scenario-file-with-a-rather-long-descriptive-name-for-its-layout"
cp "$src/scenarios/compare/cross-zone-on-vs-off.yaml" "$long.yaml"
"$lbsim" compare "$long.yaml" --duration 3s --out "$out/compare" >/dev/null 2>&1
"$lbsim" sweep "$src/scenarios/two-tier-3az.yaml" --set 'l7.nodes_per_zone=1,2' --set 'clients[0].arrival.rate=2000/s,4000/s' \
  --replications 2 --duration 2s --out "$out/sweep" >/dev/null 2>&1

probe='<script>
(() => {
  const width = document.documentElement.clientWidth;
  const wide = [], bad = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 0.5) wide.push(el.tagName + " " + Math.round(r.right) + "px: " + (el.textContent || "").trim().slice(0, 60));
  }
  for (const td of document.querySelectorAll("td")) {
    const t = td.textContent.trim();
    if (/\d\.\d{5,}/.test(t) || /^(null|nan|inf|-?infinity)$/i.test(t)) bad.push(t);
  }
  const pre = document.createElement("pre");
  pre.id = "lbsim-probe";
  pre.textContent = "LBSIM" + "-PROBE " + JSON.stringify({width, wide: wide.slice(0, 8), bad: bad.slice(0, 8)});
  document.body.appendChild(pre);
})();
</script>'

status=0
for page in run/report.html run-ko/report.html compare/comparison.html sweep/sweep.html; do
  [[ -s "$out/$page" ]] || { echo "html-pages: $page was not written" >&2; status=1; continue; }
  probed="$out/$(dirname "$page")-$(basename "$page" .html)-probed.html"
  sed 's#</body></html>##' "$out/$page" >"$probed"
  printf '%s\n</body></html>\n' "$probe" >>"$probed"
  result=$(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
             --disable-component-update --disable-sync --user-data-dir="$out/profile" --hide-scrollbars --window-size=1024,800 \
             --dump-dom "file://$probed" 2>/dev/null | grep -o "LBSIM-PROBE .*" | head -1 | sed 's/^LBSIM-PROBE //; s/<\/pre>.*//')
  [[ -n "$result" ]] || { echo "html-pages: $page: Chromium ran no probe" >&2; status=1; continue; }
  # The DOM escapes the JSON's quotes as &quot; inside <pre>: undo that one entity.
  result=${result//&quot;/\"}
  if ! python3 -c 'import json,sys; r=json.loads(sys.argv[1]); sys.exit(1 if r["wide"] or r["bad"] else 0)' "$result"; then
    echo "html-pages: $page: $result" >&2
    status=1
  else
    echo "html-pages: $page fits $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["width"])' "$result") px, every number formatted"
  fi
done
exit $status
