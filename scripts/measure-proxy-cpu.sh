#!/usr/bin/env bash
# Measures the per-request CPU cost of three L7 proxies on this machine: lbsim's own
# (the testbed's L7 node, `lbsim testbed-node --role l7`) and two real ones from Debian
# 12 packages -- HAProxy 2.6 (`haproxy`) and nginx (`nginx`) -- as a measured source for
# lbsim's default `l7.cpu.per_request` and as lbsim's proxy's benchmark against HAProxy
# (its targets: plain HTTP keep-alive at least 50 % of HAProxy's requests/s per core;
# full TLS handshakes per core at least 80 % of `openssl speed`'s ECDSA P-256 signs/s).
#
# Everything runs in a network namespace made for the run (root): lbsim's proxy listens
# where a testbed's L7 node does (port 443) and reaches its backend at 10.1.20.1:8080,
# the testbed's address of app-a-0, on the namespace's loopback.
#
# How:
#   * A cheap backend (its own nginx instance, 2 workers, `return 200 "ok"`)
#     and the load generator (wrk, 1 thread, 32 connections) run pinned to
#     core 0; the proxy under test runs ONE worker / one thread pinned to
#     core 1 (`taskset`). All instances use their own config, pid and log files
#     in a temporary directory and listen on free ports of 127.0.0.1.
#   * Cases, per proxy:
#       http-keepalive   plain HTTP/1.1 keep-alive from the clients;
#       https-keepalive  TLS 1.3 terminated at the proxy (ECDSA P-256
#                        certificate made here by openssl), keep-alive;
#       http-new-conn    plain HTTP, a new TCP connection per request (wrk
#                        sends `Connection: close` and reconnects), so the
#                        handshake case below can be split into TCP and TLS;
#       https-new-conn   TLS 1.3 with a new connection, so a full handshake,
#                        per request (wrk sends `Connection: close` and
#                        reconnects; session resumption is disabled on the
#                        proxy and checked with `openssl s_client -sess_in`).
#     In every case the proxy keeps pooled keep-alive connections to the
#     backend (haproxy `http-reuse always`; nginx `upstream { keepalive 32; }`).
#   * Per run: requests completed (wrk's "N requests in T" line) and the proxy
#     processes' CPU seconds during the load (utime+stime from /proc/PID/stat,
#     before and after, over `getconf CLK_TCK`). CPU per request (us) =
#     cpu_seconds / requests * 1e6; proxy CPU % = cpu_seconds / load duration
#     (near 100 % means the proxy was the bottleneck, so requests/s is its
#     single-core capacity; the CPU per request is meaningful either way).
#   * Each case runs N times (default 3); each run and the median are printed.
#
# Traffic goes to 127.0.0.1 only; every load is bounded in time (wrk -d);
# everything started here is stopped on exit and the temp dir is removed.
# Installs haproxy, nginx, wrk and openssl if missing (Debian 12, apt-get).
# Needs 2 cores (core 0: wrk + backend, core 1: proxy).
#
# Usage: scripts/measure-proxy-cpu.sh [--runs N] [--duration SECONDS] [--lbsim PATH]
# (--lbsim: the lbsim binary, build/release/cli/lbsim by default)
set -euo pipefail

original_args=("$@")
runs=3
lbsim="$(cd "$(dirname "$0")/.." && pwd)/build/release/cli/lbsim"
duration=8
connections=32

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

while (($#)); do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --runs=*) runs="${1#*=}"; shift ;;
    --duration) duration="${2:?--duration needs seconds}"; shift 2 ;;
    --duration=*) duration="${1#*=}"; shift ;;
    --lbsim) lbsim="${2:?--lbsim needs a path}"; shift 2 ;;
    --lbsim=*) lbsim="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "--runs must be a positive integer" >&2; exit 2; }
[[ "$duration" =~ ^[1-9][0-9]*$ ]] || { echo "--duration must be whole seconds" >&2; exit 2; }

if (($(nproc) < 2)); then
  echo "needs at least 2 CPU cores (found $(nproc))" >&2
  exit 1
fi

# --- install what is missing -------------------------------------------------
packages=(haproxy nginx wrk openssl)
missing=()
for pkg in "${packages[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  echo "installing missing Debian packages: ${missing[*]}" >&2
  sudo_cmd=()
  if [[ $EUID -ne 0 ]]; then
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The packages may have started their system service (where a service
  # manager allows it). Stop only the services of packages installed just now.
  for svc in haproxy nginx; do
    [[ " ${missing[*]} " == *" $svc "* ]] || continue
    if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
      "${sudo_cmd[@]}" systemctl stop "$svc" 2>/dev/null || true
      "${sudo_cmd[@]}" systemctl disable "$svc" 2>/dev/null || true
    elif [[ -s "/run/$svc.pid" ]]; then
      pid="$(<"/run/$svc.pid")"
      if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        "${sudo_cmd[@]}" kill "$pid" || true
      fi
    fi
  done
fi

[[ -x "$lbsim" ]] || { echo "no lbsim binary at $lbsim (build it, or give --lbsim PATH)" >&2; exit 2; }

# --- a network namespace of its own ------------------------------------------
if [[ -z "${MEASURE_PROXY_CPU_NETNS:-}" ]]; then
  [[ $EUID -eq 0 ]] || { echo "needs root: it runs in a network namespace of its own" >&2; exit 2; }
  exec unshare --net env MEASURE_PROXY_CPU_NETNS=1 bash "$0" "${original_args[@]}"
fi
ip link set lo up
ip addr add 10.1.20.1/32 dev lo

# --- temp dir, process bookkeeping, cleanup ----------------------------------
tmp="$(mktemp -d /tmp/measure-proxy-cpu.XXXXXX)"
chmod 755 "$tmp" # nginx workers may run as an unprivileged user
started_pids=()

cleanup() {
  local pid
  for pid in "${started_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${started_pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "measure-proxy-cpu: failed at line $LINENO" >&2' ERR
trap 'exit 130' INT TERM

# Ports in use (any state) on this machine, from /proc/net/tcp{,6}.
used_ports() {
  awk 'FNR > 1 { split($2, a, ":"); print strtonum("0x" a[2]) }' /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -un
}

# Picks a free port below the ephemeral range, not in $taken_ports.
taken_ports=" "
free_port() {
  local used p tries
  used=" $(used_ports | tr '\n' ' ') "
  for ((tries = 0; tries < 1000; tries++)); do
    p=$((20000 + RANDOM % 10000))
    if [[ "$used" != *" $p "* && "$taken_ports" != *" $p "* ]]; then
      taken_ports+="$p "
      echo "$p"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

wait_listening() { # port
  local i
  for ((i = 0; i < 100; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2
  return 1
}

# Sum of utime+stime clock ticks of a process and its direct children.
proc_tree_ticks() { # pid
  local pids total=0 pid rest
  pids="$1 $(pgrep -P "$1" | tr '\n' ' ')"
  for pid in $pids; do
    [[ -r "/proc/$pid/stat" ]] || continue
    rest="$(<"/proc/$pid/stat")"
    rest="${rest##*) }" # fields after "pid (comm) ": state is 1, utime 12, stime 13
    read -r -a f <<<"$rest"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}

median() { # values...
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

clk_tck="$(getconf CLK_TCK)"

# --- certificate, backend -----------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 2 -subj /CN=localhost \
  2>/dev/null
cat "$tmp/cert.pem" "$tmp/key.pem" >"$tmp/site.pem" # haproxy wants one file

backend_port="$(free_port)"
mkdir -p "$tmp/backend"
cat >"$tmp/backend/nginx.conf" <<EOF
worker_processes 2;
pid $tmp/backend/nginx.pid;
error_log $tmp/backend/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  client_body_temp_path $tmp/backend/client_body;
  proxy_temp_path $tmp/backend/proxy;
  fastcgi_temp_path $tmp/backend/fastcgi;
  uwsgi_temp_path $tmp/backend/uwsgi;
  scgi_temp_path $tmp/backend/scgi;
  server {
    listen 127.0.0.1:$backend_port;
    listen 10.1.20.1:8080;
    location / { return 200 "ok"; }
  }
}
EOF
taskset -c 0 nginx -p "$tmp/backend/" -c "$tmp/backend/nginx.conf" \
  -e "$tmp/backend/error.log" -g 'daemon off;' &
backend_pid=$!
started_pids+=("$backend_pid")
wait_listening "$backend_port"

# --- proxies under test -------------------------------------------------------
haproxy_http_port="$(free_port)"
haproxy_https_port="$(free_port)"
mkdir -p "$tmp/haproxy"
cat >"$tmp/haproxy/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 4096
  pidfile $tmp/haproxy/haproxy.pid
  # No TLS session resumption: every new connection is a full handshake.
  tune.ssl.cachesize 0
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  http-reuse always
frontend fe_http
  bind 127.0.0.1:$haproxy_http_port
  default_backend be
frontend fe_https
  bind 127.0.0.1:$haproxy_https_port ssl crt $tmp/site.pem ssl-min-ver TLSv1.3 no-tls-tickets alpn http/1.1
  default_backend be
backend be
  http-reuse always
  server s1 127.0.0.1:$backend_port
EOF
haproxy -c -q -f "$tmp/haproxy/haproxy.cfg"

nginx_http_port="$(free_port)"
nginx_https_port="$(free_port)"
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  client_body_temp_path $tmp/nginx/client_body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  # No TLS session resumption: every new connection is a full handshake.
  ssl_protocols TLSv1.3;
  ssl_session_tickets off;
  ssl_session_cache off;
  upstream be {
    server 127.0.0.1:$backend_port;
    keepalive 32;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$nginx_http_port;
    location / {
      proxy_pass http://be;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
  server {
    listen 127.0.0.1:$nginx_https_port ssl;
    ssl_certificate $tmp/cert.pem;
    ssl_certificate_key $tmp/key.pem;
    location / {
      proxy_pass http://be;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF

# lbsim's proxy: a one-zone two-tier scenario whose L7 node forwards everything to its
# one backend, plain HTTP or TLS 1.3 (ECDSA P-256) on port 443, without session tickets.
mkdir -p "$tmp/lbsim/run"
for variant in http https; do
  tls='none'
  [[ $variant == https ]] && tls='{ version: "1.3" }'
  cat >"$tmp/lbsim/$variant.yaml" <<EOF
name: measure-proxy-cpu
duration: 10s
topology:
  zones: [a]
  internet:   { latency: 1ms, bandwidth: 10Gbps }
  intra_zone: { latency: 100us, bandwidth: 10Gbps }
clients:
  - { name: bench, arrival: { kind: poisson, rate: 10/s }, source_ips: 10, tls: $tls, mix: [{ weight: 1, path: / }] }
l4: { nodes_per_zone: 1 }
l7: { nodes_per_zone: 1, cpu: { cores: 1 }, tls: { key: ecdsa-p256 }, rules: [ { default: true, forward: app } ] }
target_groups:
  app: { per_zone: 1 }
EOF
done

start_proxy() { # name -> sets proxy_pid
  case "$1" in
    lbsim-http|lbsim-https)
      taskset -c 1 "$lbsim" testbed-node --role l7 --node l7-a-0 --work-dir "$tmp/lbsim/run" \
        --start-at "$(cut -d' ' -f1 /proc/uptime)" --no-session-tickets "$tmp/lbsim/${1#lbsim-}.yaml" >"$tmp/lbsim/out.log" 2>&1 &
      proxy_pid=$!
      started_pids+=("$proxy_pid")
      wait_listening 443
      ;;
    haproxy)
      taskset -c 1 haproxy -db -f "$tmp/haproxy/haproxy.cfg" >"$tmp/haproxy/out.log" 2>&1 &
      proxy_pid=$!
      started_pids+=("$proxy_pid")
      wait_listening "$haproxy_http_port"
      wait_listening "$haproxy_https_port"
      ;;
    nginx)
      taskset -c 1 nginx -p "$tmp/nginx/" -c "$tmp/nginx/nginx.conf" \
        -e "$tmp/nginx/error.log" -g 'daemon off;' &
      proxy_pid=$!
      started_pids+=("$proxy_pid")
      wait_listening "$nginx_http_port"
      wait_listening "$nginx_https_port"
      ;;
  esac
}

stop_proxy() {
  kill "$proxy_pid" 2>/dev/null || true
  wait "$proxy_pid" 2>/dev/null || true
}

# A plain GET through the proxy must answer 200 "ok" from the backend.
check_http() { # port
  local reply
  reply="$(exec 3<>"/dev/tcp/127.0.0.1/$1"
    printf 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
    timeout 5 cat <&3)"
  [[ "$reply" == "HTTP/1.1 200"* && "$reply" == *ok ]] ||
    { echo "unexpected reply on port $1: $reply" >&2; return 1; }
}

# TLS 1.3 with the P-256 certificate, answering 200; resumption must fail.
check_https() { # port
  local out
  out="$(printf 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n' |
    timeout 10 openssl s_client -connect "127.0.0.1:$1" -servername localhost \
      -tls1_3 -ign_eof 2>&1)" || true
  [[ "$out" == *"HTTP/1.1 200"* && "$out" == *"TLSv1.3"* ]] ||
    { echo "unexpected TLS reply on port $1:" >&2; echo "$out" | tail -20 >&2; return 1; }
  if [[ "$out" != *"Peer signature type: ECDSA"* && "$out" != *"id-ecPublicKey"* ]]; then
    echo "warning: could not confirm the ECDSA certificate on port $1" >&2
  fi
  # Keep the session (and any TLS 1.3 ticket) of one exchange, offer it again.
  # (`s_client -reconnect` does not exercise TLS 1.3 tickets, hence this.)
  printf 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n' |
    timeout 10 openssl s_client -connect "127.0.0.1:$1" -servername localhost \
      -tls1_3 -ign_eof -sess_out "$tmp/session.pem" >/dev/null 2>&1 || true
  if [[ -s "$tmp/session.pem" ]]; then
    out="$(timeout 10 openssl s_client -connect "127.0.0.1:$1" -servername localhost \
      -tls1_3 -sess_in "$tmp/session.pem" </dev/null 2>&1)" || true
    if [[ "$out" == *"Reused, TLSv1.3"* ]]; then
      echo "warning: port $1 resumed a TLS session; https-new-conn is not all full handshakes" >&2
    fi
  fi
  rm -f "$tmp/session.pem"
}

# --- one measured load ---------------------------------------------------------
# Prints: requests seconds proxy_cpu_s backend_cpu_s errors
run_load() { # url [extra wrk args...]
  local url="$1"; shift
  local before after bbefore bafter out reqs secs errs
  before="$(proc_tree_ticks "$proxy_pid")"
  bbefore="$(proc_tree_ticks "$backend_pid")"
  out="$(taskset -c 0 wrk -t 1 -c "$connections" -d "${duration}s" "$@" "$url")"
  after="$(proc_tree_ticks "$proxy_pid")"
  bafter="$(proc_tree_ticks "$backend_pid")"
  echo "$out" >>"$tmp/wrk.log"
  # "  123456 requests in 8.00s, 12.34MB read"
  read -r reqs secs < <(awk '/ requests in / {
      d = $4; sub(",", "", d)
      if (d ~ /ms$/) { sub("ms", "", d); d /= 1000 }
      else if (d ~ /m$/) { sub("m", "", d); d *= 60 }
      else if (d ~ /s$/) { sub("s", "", d) }
      print $1, d }' <<<"$out")
  errs="$(awk '/Non-2xx/ { n += $NF } /Socket errors/ {
      for (i = 3; i <= NF; i += 2) { v = $(i + 1); sub(",", "", v); n += v } }
      END { print n + 0 }' <<<"$out")"
  if [[ -z "${reqs:-}" || "$reqs" -eq 0 ]]; then
    echo "wrk completed no request against $url:" >&2
    echo "$out" >&2
    return 1
  fi
  awk -v r="$reqs" -v s="$secs" -v p=$((after - before)) -v b=$((bafter - bbefore)) \
    -v t="$clk_tck" -v e="$errs" 'BEGIN { printf "%d %.3f %.3f %.3f %d\n", r, s, p / t, b / t, e }'
}

# --- versions and reference figures ---------------------------------------------
# (Read all of `haproxy -v`: `| head -n 1` can kill it with SIGPIPE, fatal under pipefail.)
haproxy_line="$(haproxy -v 2>&1 | sed -n 1p)"
lbsim_version="$(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo build)"
haproxy_version="$(awk '{ print $3 }' <<<"$haproxy_line")"
nginx_version="$(nginx -v 2>&1 | sed -n 's|.*nginx/||p')"
nginx_pkg="$(dpkg-query -W -f='${Version}' nginx 2>/dev/null || true)"
wrk_pkg="$(dpkg-query -W -f='${Version}' wrk 2>/dev/null || true)"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), kernel $(uname -r)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine makes rates noisy)"
echo "haproxy: $haproxy_line"
echo "nginx:   $(nginx -v 2>&1) (package $nginx_pkg)"
echo "wrk:     package $wrk_pkg; $(openssl version)"
echo "lbsim:   $lbsim (commit $lbsim_version), its testbed L7 node, one thread"
echo "load: wrk -t 1 -c $connections -d ${duration}s, $runs run(s) per case; wrk + backend on core 0, proxy (1 worker) on core 1"

sign_rate="$(timeout 20 openssl speed -seconds 1 ecdsap256 2>/dev/null |
  awk '/256 bits ecdsa \(nistp256\)/ { print $(NF - 1) }' || true)"
x25519_rate="$(timeout 20 openssl speed -seconds 1 ecdhx25519 2>/dev/null |
  awk '/253 bits ecdh \(X25519\)/ { print $NF }' || true)"
if [[ -n "$sign_rate" ]]; then
  awk -v s="$sign_rate" 'BEGIN { printf "openssl speed (1 core): ECDSA P-256 %.0f sign/s = %.1f us/sign\n", s, 1e6 / s }'
fi
if [[ -n "$x25519_rate" ]]; then
  awk -v s="$x25519_rate" 'BEGIN { printf "openssl speed (1 core): X25519 %.0f op/s = %.1f us/op (a TLS 1.3 server does about 2: keygen + derive)\n", s, 1e6 / s }'
fi
echo

# --- measure --------------------------------------------------------------------
cases=(http-keepalive https-keepalive http-new-conn https-new-conn)
summary=()
derived=()
declare -A med_cost=()
printf '%-8s %-16s %3s %10s %9s %8s %9s %7s %6s\n' \
  proxy case run requests req/s "cpu%" "us/req" "be-cpu%" errors
declare -A med_rate=() med_util=()
for proxy in lbsim haproxy nginx; do
  case "$proxy" in
    lbsim) version="$lbsim_version"; http_port=443; https_port=443 ;;
    haproxy) version="$haproxy_version"; http_port="$haproxy_http_port"; https_port="$haproxy_https_port" ;;
    nginx) version="$nginx_version"; http_port="$nginx_http_port"; https_port="$nginx_https_port" ;;
  esac
  running=""
  if [[ "$proxy" != lbsim ]]; then
    start_proxy "$proxy"
    check_http "$http_port"
    check_https "$https_port"
  fi
  for case_name in "${cases[@]}"; do
    if [[ "$proxy" == lbsim ]]; then
      # One port, so one process per protocol: plain HTTP, then TLS.
      variant=http
      [[ "$case_name" == https-* ]] && variant=https
      if [[ "$variant" != "$running" ]]; then
        [[ -n "$running" ]] && stop_proxy
        start_proxy "lbsim-$variant"
        running="$variant"
        if [[ "$variant" == http ]]; then check_http 443; else check_https 443; fi
      fi
    fi
    case "$case_name" in
      http-keepalive) url="http://127.0.0.1:$http_port/"; extra=() ;;
      https-keepalive) url="https://127.0.0.1:$https_port/"; extra=() ;;
      http-new-conn) url="http://127.0.0.1:$http_port/"; extra=(-H "Connection: close") ;;
      https-new-conn) url="https://127.0.0.1:$https_port/"; extra=(-H "Connection: close") ;;
    esac
    # Short unmeasured warm-up (connections to the backend, caches).
    taskset -c 0 wrk -t 1 -c "$connections" -d 1s "${extra[@]}" "$url" >/dev/null
    rates=(); utils=(); costs=()
    for ((run = 1; run <= runs; run++)); do
      result="$(run_load "$url" "${extra[@]}")"
      read -r reqs secs cpu be_cpu errs <<<"$result"
      read -r rate util cost be_util < <(awk -v r="$reqs" -v s="$secs" -v c="$cpu" -v b="$be_cpu" \
        'BEGIN { printf "%.0f %.1f %.2f %.1f\n", r / s, 100 * c / s, c / r * 1e6, 100 * b / s }')
      printf '%-8s %-16s %3d %10d %9d %7.1f%% %9.2f %6.1f%% %6d\n' \
        "$proxy" "$case_name" "$run" "$reqs" "$rate" "$util" "$cost" "$be_util" "$errs"
      rates+=("$rate"); utils+=("$util"); costs+=("$cost")
    done
    med_cost["$case_name"]="$(median "${costs[@]}")"
    med_rate["$proxy/$case_name"]="$(median "${rates[@]}")"
    med_util["$proxy/$case_name"]="$(median "${utils[@]}")"
    summary+=("$(printf '%-8s %-18s %-16s %9.0f %8.1f%% %10.2f' "$proxy" "$version" "$case_name" \
      "$(median "${rates[@]}")" "$(median "${utils[@]}")" "${med_cost[$case_name]}")")
  done
  stop_proxy
  derived+=("$(awk -v p="$proxy" -v hk="${med_cost[http-keepalive]}" -v sk="${med_cost[https-keepalive]}" \
    -v hn="${med_cost[http-new-conn]}" -v sn="${med_cost[https-new-conn]}" 'BEGIN {
      printf "%-8s TLS record cost per keep-alive request %6.1f us (https-keepalive - http-keepalive)\n", p, sk - hk
      printf "%-8s new TCP connection                     %6.1f us (http-new-conn - http-keepalive)\n", p, hn - hk
      printf "%-8s full TLS 1.3 handshake                 %6.1f us (https-new-conn - http-new-conn)", p, sn - hn }')")
done

echo
echo "medians over $runs run(s):"
printf '%-8s %-18s %-16s %9s %9s %10s\n' proxy version case req/s "proxy cpu" "cpu us/req"
printf '%s\n' "${summary[@]}"
echo
echo "derived from the medians (proxy CPU per request):"
printf '%s\n' "${derived[@]}"
echo
# Per core: requests/s over the share of its core the proxy used.
per_core() { awk -v r="${med_rate[$1]}" -v u="${med_util[$1]}" 'BEGIN { printf "%.0f", (u > 0) ? r / (u / 100) : 0 }'; }
lbsim_ka="$(per_core lbsim/http-keepalive)"
haproxy_ka="$(per_core haproxy/http-keepalive)"
lbsim_hs="$(per_core lbsim/https-new-conn)"
haproxy_hs="$(per_core haproxy/https-new-conn)"
echo "lbsim's proxy against its targets (medians, per core of CPU used):"
awk -v l="$lbsim_ka" -v h="$haproxy_ka" 'BEGIN {
  printf "  plain HTTP keep-alive: %d requests/s per core, HAProxy %d: %.0f %% of HAProxy (target: at least 50 %%)\n", l, h, (h > 0) ? 100 * l / h : 0 }'
awk -v l="$lbsim_hs" -v h="$haproxy_hs" 'BEGIN {
  printf "  full TLS 1.3 handshakes (one request each): %d per core, HAProxy %d: %.0f %% of HAProxy\n", l, h, (h > 0) ? 100 * l / h : 0 }'
if [[ -n "$sign_rate" ]]; then
  # A full handshake is far more than its signature (two X25519 operations, the key
  # schedule, the certificate, the connection's own work): no proxy comes near this.
  awk -v l="$lbsim_hs" -v h="$haproxy_hs" -v s="$sign_rate" 'BEGIN {
    printf "  the same against openssl speed ECDSA P-256 (%.0f sign/s): lbsim %.1f %%, HAProxy %.1f %% (target: at least 80 %%)\n", s, 100 * l / s, 100 * h / s }'
fi
