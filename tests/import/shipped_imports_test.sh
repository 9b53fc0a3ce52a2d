#!/usr/bin/env bash
# The shipped scenarios/imported/ are what the importer makes of the shipped fixtures:
# importing them again (from the source folder, so the comments name the same paths)
# gives the same files byte for byte. A change to the importer that moves them
# regenerates them (the commands are below) and says why.
set -uo pipefail
lbsim="$1"
cd "$2"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
failed=0
check() {  # check SHIPPED COMMAND...
  local shipped="$1"
  shift
  "$lbsim" "$@" -o "$out/made.yaml" 2>"$out/stderr.txt" || { cat "$out/stderr.txt"; echo "failed: lbsim $*"; failed=1; return; }
  if ! diff -u "$shipped" "$out/made.yaml"; then
    echo "$shipped is not what 'lbsim $*' makes now: regenerate it with -o $shipped"
    failed=1
  fi
}
check scenarios/imported/haproxy-shop.yaml import haproxy tests/import/fixtures/haproxy.cfg
check scenarios/imported/aws-shop.yaml import aws tests/import/fixtures/aws
check scenarios/imported/nginx-shop.yaml import nginx tests/import/fixtures/nginx/nginx.conf
check scenarios/imported/envoy-shop.yaml import envoy tests/import/fixtures/envoy/envoy.yaml
# The shop's traffic from its ALB log, replayed in the imported layout. Made beside a copy
# of the log, so that the scenario names it by the same relative path.
mkdir -p "$out/logs"
cp scenarios/imported/logs/shop-peak.log.gz "$out/logs/"
if "$lbsim" import traffic "$out/logs/shop-peak.log.gz" --format alb --replay --into scenarios/imported/aws-shop.yaml \
  -o "$out/aws-shop-replay.yaml" 2>"$out/stderr.txt"; then
  for made in aws-shop-replay.yaml aws-shop-replay-responses.txt aws-shop-replay-requests.txt; do
    diff -u "scenarios/imported/$made" "$out/$made" ||
      { echo "scenarios/imported/$made is not what lbsim import traffic makes now (see docs/IMPORT.md to regenerate it)"; failed=1; }
  done
else
  cat "$out/stderr.txt"
  echo "failed: lbsim import traffic of the shop's log"
  failed=1
fi
[[ $failed -eq 0 ]] && echo "ok: every shipped imported scenario is what the importer makes"
exit $failed
