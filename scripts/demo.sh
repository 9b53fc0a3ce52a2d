#!/usr/bin/env bash
# README command 1: install dependencies, build, and simulate the shipped two-tier layout.
# The summary is printed and written to out/two-tier-3az/summary.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh release
scenario="${1:-scenarios/two-tier-3az.yaml}"
name="$(basename "$scenario" .yaml)"
./build/release/cli/lbsim run "$scenario" --out "out/$name"
