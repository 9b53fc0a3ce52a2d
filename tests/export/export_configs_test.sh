#!/usr/bin/env bash
# Every shipped scenario with an L7 tier, and each of its variants, exported to HAProxy
# and to nginx, is a configuration the real programs accept: `haproxy -c -dW` (warnings
# fail too) and `nginx -t`. The certificate and body files the export writes are read.
set -euo pipefail
lbsim="$1"
root="$2"
fail() { echo "FAIL: $*"; exit 1; }
command -v haproxy >/dev/null || fail "haproxy is not installed (scripts/install-deps.sh installs it)"
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x $nginx ]] || fail "nginx is not installed (scripts/install-deps.sh installs it)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

exports=0
while IFS= read -r file; do
  "$lbsim" validate "$file" | while IFS= read -r line; do
    head="${line%%: ok*}"
    if [[ $head == *" --variant "* ]]; then echo "${head##* --variant }"; else echo "-"; fi
  done >"$work/variants"
  while IFS= read -r variant; do
    args=("$file")
    [[ $variant == - ]] || args+=(--variant "$variant")
    for proxy in haproxy nginx; do
      out="$work/$(basename "$file" .yaml)-${variant}-$proxy"
      rc=0
      "$lbsim" export "${args[@]}" --to "$proxy" --out "$out" 2>"$work/stderr" || rc=$?
      if [[ $rc -eq 2 ]] && grep -q "L4-only layout has no L7 tier" "$work/stderr"; then continue; fi
      [[ $rc -eq 0 ]] || fail "lbsim export ${args[*]} --to $proxy exited $rc: $(cat "$work/stderr")"
      for config in "$out"/$proxy*.c*; do
        if [[ $proxy == haproxy ]]; then
          haproxy -c -dW -q -f "$config" >"$work/check" 2>&1 || fail "haproxy -c rejects $config (${args[*]}): $(cat "$work/check")"
        else
          "$nginx" -t -q -e stderr -c "$config" >"$work/check" 2>&1 || fail "nginx -t rejects $config (${args[*]}): $(cat "$work/check")"
        fi
        exports=$((exports + 1))
      done
    done
  done <"$work/variants"
done < <(find "$root/scenarios" -name '*.yaml' | sort)
# The shipped two-tier scenarios and their variants make dozens: a handful means the
# loop above skipped what it should have checked.
[[ $exports -ge 20 ]] || fail "only $exports configurations checked"
echo "ok: $exports configurations accepted by haproxy -c and nginx -t"
