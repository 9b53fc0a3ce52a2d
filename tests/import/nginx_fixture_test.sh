#!/usr/bin/env bash
# The shipped nginx fixture (with its includes) is a configuration nginx itself accepts
# (nginx -t, with certificates made for the check), and lbsim imports it into a scenario
# that validates and runs.
set -uo pipefail
lbsim="$1"
fixture_dir="$2"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cp -r "$fixture_dir"/. "$out/conf"
for name in shop admin; do
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$name.example.com" -days 1 \
    -keyout "$out/$name.key" -out "$out/$name.pem" 2>/dev/null || { echo "openssl could not make a certificate"; exit 1; }
done
sed -i "s|/etc/nginx/certs/|$out/|; s|/run/nginx.pid|$out/nginx.pid|; s|/var/log/nginx/access.log|$out/access.log|" "$out/conf/nginx.conf"
/usr/sbin/nginx -t -c "$out/conf/nginx.conf" -e "$out/error.log" > "$out/check.txt" 2>&1 || { cat "$out/check.txt"; echo "nginx -t refused the fixture"; exit 1; }
"$lbsim" import nginx "$fixture_dir/nginx.conf" -o "$out/scenario.yaml" 2> "$out/stderr.txt" || { cat "$out/stderr.txt"; echo "the import failed"; exit 1; }
"$lbsim" validate "$out/scenario.yaml" || { echo "the imported scenario does not validate"; exit 1; }
"$lbsim" run "$out/scenario.yaml" --duration 2s -q || { echo "the imported scenario does not run"; exit 1; }
grep -q "upstreams.conf:" "$out/stderr.txt" || { echo "the included file's lines are not in the report"; exit 1; }
echo "ok: nginx -t accepts the fixture; lbsim imports it with its includes"
