#!/usr/bin/env bash
# Runs every fuzz target of the module for N executions (default 1,000,000)
# with W fuzzing workers and prints one line per target: package, target,
# executions, wall time, result. Not part of `make test` (minutes per target);
# a crasher is written under the package's testdata/fuzz and fails the run.
#   scripts/fuzz.sh [N] [W]
set -uo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
w=${2:-1}
rc=0
while read -r pkg target; do
  start=$(date +%s)
  out=$(go test -run '^$' -fuzz "^${target}\$" -fuzztime "${n}x" -parallel "$w" "$pkg" 2>&1)
  status=$?
  execs=$(printf '%s\n' "$out" | grep -o 'execs: [0-9]*' | tail -n 1 | cut -d' ' -f2)
  res=ok; [ $status -eq 0 ] || { res=FAIL; rc=1; printf '%s\n' "$out" | tail -n 20; }
  printf '%-28s %-22s %10s execs %5ss %s\n' "$pkg" "$target" "${execs:-?}" "$(( $(date +%s) - start ))" "$res"
done < <(grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do
  grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed "s|^func |./$(dirname "${f#./}") |"
done)
exit $rc
