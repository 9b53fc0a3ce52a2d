#!/usr/bin/env bash
# lbsim allocates through jemalloc, with freed pages given back at once
# (cli/allocator.cpp): jemalloc's own statistics, printed at exit when asked, name the
# options it ran with. Without jemalloc linked nothing is printed; without the binary's
# settings the decays read 10000 ms.
set -euo pipefail
lbsim="$1"
scenario="$2"
stats="$(MALLOC_CONF=stats_print:true "$lbsim" validate "$scenario" 2>&1 >/dev/null)"
grep -q '^___ Begin jemalloc statistics ___$' <<<"$stats" || { echo "lbsim did not run on jemalloc"; exit 1; }
for decay in dirty muzzy; do
  line="$(grep -E "^  opt\.${decay}_decay_ms: " <<<"$stats")" || { echo "no opt.${decay}_decay_ms in jemalloc's statistics"; exit 1; }
  [[ $line == "  opt.${decay}_decay_ms: 0 "* ]] || { echo "freed pages are kept: $line"; exit 1; }
done
echo "lbsim runs on jemalloc and gives freed pages back at once"
