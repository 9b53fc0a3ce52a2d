#!/usr/bin/env bash
# The imported scenarios decide as their sources do: the real HAProxy and nginx serve the
# shipped fixtures, and every sample request lbsim writes for the imported rules gets the
# answer lbsim's rule table gives (route_through_source.py). Root: each runs in a network
# namespace of its own (unshare --net), where the fixtures' 10.x backends exist and
# nothing reaches out; the namespace, the proxy and the stand-in backends end with it.
set -euo pipefail
lbsim="$1"
root="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cert() {  # cert NAME: a P-256 certificate and key, as one PEM and as two files
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$1.example.com" -days 1 \
    -keyout "$work/$1.key" -out "$work/$1.crt" 2>/dev/null
  cat "$work/$1.crt" "$work/$1.key" > "$work/$1.pem"
}
cert shop
cert admin
mkdir -p "$work/haproxy" "$work/nginx"
sed "s|/etc/haproxy/certs/shop.pem|$work/shop.pem|; s|^    log stdout.*||; s|maxconn 20000|maxconn 2000|" "$root/tests/import/fixtures/haproxy.cfg" > "$work/haproxy/haproxy.cfg"
cp -r "$root/tests/import/fixtures/nginx/." "$work/nginx/"
sed -i "s|/etc/nginx/certs/shop.pem|$work/shop.crt|; s|/etc/nginx/certs/shop.key|$work/shop.key|; s|/etc/nginx/certs/admin.pem|$work/admin.crt|; s|/etc/nginx/certs/admin.key|$work/admin.key|; s|/run/nginx.pid|$work/nginx.pid|; s|/var/log/nginx/access.log|off|" "$work/nginx/nginx.conf"
"$lbsim" import haproxy "$root/tests/import/fixtures/haproxy.cfg" -o "$work/haproxy.yaml" 2>/dev/null
"$lbsim" import nginx "$root/tests/import/fixtures/nginx/nginx.conf" -o "$work/nginx.yaml" 2>/dev/null
unshare --net -- python3 "$root/tests/import/route_through_source.py" "$lbsim" "$work/haproxy.yaml" haproxy "$work/haproxy/haproxy.cfg"
unshare --net -- python3 "$root/tests/import/route_through_source.py" "$lbsim" "$work/nginx.yaml" nginx "$work/nginx/nginx.conf"
leftover="$(pgrep -f "$work" || true)"
[[ -z $leftover ]] || { echo "FAIL: processes left behind: $leftover"; exit 1; }
