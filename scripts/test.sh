#!/usr/bin/env bash
# README command 2: install dependencies, build, and run every test (each in its own process).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
bash scripts/build.sh "$preset"
ctest --preset "$preset"
# Every shipped scenario's summary.json against its golden copy (refactorings change none).
if [[ $preset == release ]]; then bash scripts/check-summaries.sh; fi
# The Debian package: built, installed with apt, a lesson run from the installed paths, purged.
if [[ $preset == release ]]; then bash scripts/package-test.sh; fi
# lbsim sweep --slurm and run --replications --slurm against a single-node Slurm this script starts and stops.
if [[ $preset == release ]]; then bash scripts/slurm-test.sh; fi
# Every fuzz target (fuzz/) for 16 s under ASan and UBSan: a crash, hang or runaway memory fails.
if [[ $preset == release ]]; then bash scripts/fuzz.sh 16; fi
# core's unit tests, built by fuzz.sh with clang under ASan and UBSan (the whole suite under
# them is `scripts/test.sh asan`: too long for every CI run).
if [[ $preset == release ]]; then ctest --preset fuzz; fi
