#!/usr/bin/env bash
# Installs lbsim's Debian 12 build and test dependencies if any is missing.
# Idempotent and non-interactive; uses sudo only when not already root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libsimgrid-dev libboost-graph-dev libyaml-cpp-dev nlohmann-json3-dev
  libcli11-dev libfmt-dev libspdlog-dev libxxhash-dev libre2-dev
  libgtest-dev libgmock-dev libbenchmark-dev time
  qt6-base-dev qt6-charts-dev qt6-svg-dev qt6-qpa-plugins libqt6opengl6-dev libgl-dev libegl-dev
  qt6-tools-dev qt6-l10n-tools fonts-nanum xvfb xauth
  python3-jsonschema python3-yaml
  chromium
  clang libclang-rt-14-dev
  libboost-dev libssl-dev libpcap-dev zlib1g-dev iproute2 libabsl-dev libjemalloc-dev
  haproxy nginx-core
)

missing=()
for pkg in "${packages[@]}"; do
  # dpkg-query prints "install ok installed" only for a fully installed package.
  if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "lbsim: installing missing Debian packages: ${missing[*]}" >&2
sudo_cmd=()
if [[ $EUID -ne 0 ]]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
# HAProxy and nginx are tools here (lbsim export checks its configurations with them;
# the testbed runs them in its own namespaces), not services: their packages would start
# a daemon listening on this machine. A policy-rc.d that refuses every start, for the
# length of the install, keeps them stopped.
policy=/usr/sbin/policy-rc.d
made_policy=false
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
  "${sudo_cmd[@]}" chmod 755 "$policy"
  made_policy=true
fi
status=0
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" || status=$?
if $made_policy; then "${sudo_cmd[@]}" rm -f "$policy"; fi
exit $status
