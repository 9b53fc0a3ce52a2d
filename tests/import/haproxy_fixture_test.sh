#!/usr/bin/env bash
# The shipped HAProxy fixture is a configuration HAProxy itself accepts (haproxy -c),
# with a certificate made for the check where the file names one; and lbsim imports it
# into a scenario that `lbsim validate` accepts, with every dropped directive named.
set -uo pipefail
lbsim="$1"
fixture="$2"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=shop.example.com -days 1 \
  -keyout "$out/key.pem" -out "$out/cert.pem" 2>/dev/null || { echo "openssl could not make a certificate"; exit 1; }
cat "$out/cert.pem" "$out/key.pem" > "$out/shop.pem"
sed "s|/etc/haproxy/certs/shop.pem|$out/shop.pem|" "$fixture" > "$out/haproxy.cfg"
/usr/sbin/haproxy -c -f "$out/haproxy.cfg" > "$out/check.txt" 2>&1 || { cat "$out/check.txt"; echo "haproxy -c refused the fixture"; exit 1; }
"$lbsim" import haproxy "$fixture" -o "$out/scenario.yaml" --report "$out/report.json" 2> "$out/stderr.txt" || { cat "$out/stderr.txt"; echo "the import failed"; exit 1; }
"$lbsim" validate "$out/scenario.yaml" || { echo "the imported scenario does not validate"; exit 1; }
"$lbsim" run "$out/scenario.yaml" --duration 2s -q || { echo "the imported scenario does not run"; exit 1; }
python3 - "$out/report.json" "$out/stderr.txt" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
stderr = open(sys.argv[2]).read()
assert report["mapped"] > 0 and report["approximated"] > 0 and report["dropped"] > 0, report
for e in report["entries"]:
    if e["verdict"] != "mapped":
        line = f'haproxy.cfg:{e["line"]}: {e["verdict"]}: {e["directive"]}'
        assert line in stderr, ("not on stderr", line)
print(f'ok: {report["mapped"]} mapped, {report["approximated"]} approximated, {report["dropped"]} dropped')
PY
