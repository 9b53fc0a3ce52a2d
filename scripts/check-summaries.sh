#!/usr/bin/env bash
# Runs every shipped scenario (and each of its variants) and compares its summary.json,
# less `wall_seconds`, with the copy under tests/golden/summaries/. A refactoring must
# leave every one byte-identical; a change that means to move a figure updates them with
# --update and says why in its commit.
#
#   scripts/check-summaries.sh [--update] [LBSIM]     (LBSIM: build/release/cli/lbsim)
set -euo pipefail
cd "$(dirname "$0")/.."

update=false
if [[ ${1:-} == --update ]]; then update=true; shift; fi
lbsim="$(realpath "${1:-build/release/cli/lbsim}")"
golden=tests/golden/summaries
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One line per run: "<file> <variant or ->". `lbsim validate` names every variant.
runs="$work/runs"
: >"$runs"
while IFS= read -r file; do
  "$lbsim" validate "$file" | while IFS= read -r line; do
    head="${line%%: ok*}"
    if [[ $head == *" --variant "* ]]; then echo "$file ${head##* --variant }"; else echo "$file -"; fi
  done >>"$runs"
done < <(find scenarios -name '*.yaml' | sort)

# Each run writes <golden name>.json (summary less wall_seconds) and .exit into $work/out.
mkdir -p "$work/out"
run_one() {
  local lbsim="$1" work="$2" file="$3" variant="$4"
  local name="${file#scenarios/}"
  name="${name%.yaml}"
  local args=()
  if [[ $variant != - ]]; then args=(--variant "$variant"); name="$name@$variant"; fi
  name="${name//\//__}"
  local dir="$work/run/$name"
  local code=0
  "$lbsim" run "$file" "${args[@]}" --out "$dir" -q >"$dir.log" 2>&1 || code=$?
  echo "$code" >"$work/out/$name.exit"
  if [[ -f $dir/summary.json ]]; then grep -v '"wall_seconds":' "$dir/summary.json" >"$work/out/$name.json"; fi
}
export -f run_one
mkdir -p "$work/run"
xargs -P 2 -L 1 bash -c 'run_one "$0" "$1" "$2" "$3"' "$lbsim" "$work" <"$runs"

if $update; then
  rm -rf "$golden"
  mkdir -p "$golden"
  cp "$work"/out/* "$golden"/
  echo "check-summaries: wrote $(wc -l <"$runs") runs to $golden"
  exit 0
fi

failed=0
checked=0
for expected in "$golden"/*; do
  actual="$work/out/$(basename "$expected")"
  if [[ ! -f $actual ]]; then
    echo "check-summaries: MISSING $(basename "$expected") (the run wrote no summary)"; failed=$((failed + 1)); continue
  fi
  if ! diff -u "$expected" "$actual" >"$work/diff" 2>&1; then
    echo "check-summaries: CHANGED $(basename "$expected")"; head -40 "$work/diff"; failed=$((failed + 1))
  fi
  checked=$((checked + 1))
done
for actual in "$work"/out/*; do
  if [[ ! -f $golden/$(basename "$actual") ]]; then
    echo "check-summaries: NEW $(basename "$actual") has no golden copy (run with --update)"; failed=$((failed + 1))
  fi
done
echo "check-summaries: $(wc -l <"$runs") runs, $failed differ from $golden"
if ((failed > 0)); then exit 1; fi
