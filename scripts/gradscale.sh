#!/usr/bin/env bash
# gradscale.sh: proves that the gradient-check suites (the Test*Grad tests of
# core/nn, core/rnn and core/train) see a 1% error in any op's backward. In a
# scratch copy of the module, a hook in autograd.Tape.Record wraps the backward
# of one op (by its recorded name) so that the gradient it adds to one input
# (or to all of them) is scaled by FACTOR (default 1.01); every suite that
# records the op is then run once per (op, input), and one of them must fail.
# The real tree is not touched. Prints a table; exits 1 if any scaled backward
# that a suite exercises goes unnoticed.
#
#   scripts/gradscale.sh [FACTOR]
set -euo pipefail
factor=${1:-1.01}
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -r "$root/go.mod" "$root/go.sum" "$root/core" "$scratch/"
cd "$scratch"

# the hook: Record keeps gradScaleHook(name, backward, inputs) as the backward
grep -q '		v.backward = backward$' core/autograd/tape.go || { echo "gradscale: tape.go Record changed; update the hook" >&2; exit 2; }
sed -i 's/^\t\tv.backward = backward$/\t\tv.backward = gradScaleHook(name, backward, inputs)/' core/autograd/tape.go
cat > core/autograd/gradscale_hook.go <<'GO'
package autograd

import (
	"os"
	"strconv"

	"github.com/nasplayground/nas/core/tensor"
)

var (
	hookOp     = os.Getenv("NAS_GRADSCALE_OP")
	hookIn, _  = strconv.Atoi(os.Getenv("NAS_GRADSCALE_IN")) // -1: every input
	hookF, _   = strconv.ParseFloat(os.Getenv("NAS_GRADSCALE_FACTOR"), 64)
	hookHit    = os.Getenv("NAS_GRADSCALE_HIT")
)

func gradScaleHook(name string, backward func(dy *tensor.Tensor), inputs []*Var) func(dy *tensor.Tensor) {
	if name != hookOp {
		return backward
	}
	return func(dy *tensor.Tensor) {
		var vs []*Var
		seen := map[*Var]bool{}
		for k, in := range inputs {
			if in != nil && in.requiresGrad && !seen[in] && (hookIn < 0 || hookIn == k) {
				seen[in] = true
				vs = append(vs, in)
			}
		}
		before := make([][]float32, len(vs))
		for i, v := range vs {
			before[i] = append([]float32(nil), v.GradBuf().Data...)
		}
		backward(dy)
		hit := false
		for i, v := range vs {
			g := v.GradBuf().Data
			for j := range g {
				d := g[j] - before[i][j]
				if d != 0 {
					hit = true
				}
				g[j] = before[i][j] + float32(hookF)*d
			}
		}
		if hit && hookHit != "" {
			os.WriteFile(hookHit, []byte("hit"), 0o644)
		}
	}
}
GO
gofmt -w core/autograd/gradscale_hook.go
# The gradient-check suites, one test binary per package that records ops.
suites=(
	"./core/nn ^Test(Conv2D|Pool|Op|Block|ReLUSepBN|PoolBN)Grad\$"
	"./core/rnn ^Test(Highway|EmbeddingMean|View|Model)Grad\$"
	"./core/train ^TestAddScaledGrad\$"
)
for s in "${suites[@]}"; do
	pkg=${s%% *}
	go test -c -o "$(basename "$pkg").test" "$pkg"
done
ops=$(grep -rhoE 'Record(Transient|Scalable)?\("[A-Za-z0-9]+"' core --include=*.go --exclude=*_test.go | sed -E 's/.*\("(.*)"/\1/' | sort -u)
ops="$ops MixedNode WeightedSum" # recorded as op[len("nn."):]
missed=0
printf '%-14s %-6s %-10s %s\n' op input suite 'failing tests (max norm err)'
for op in $ops; do
	for in in -1 0 1 2 3; do
		# every suite that records the op runs; the op is caught if one fails
		hit=$scratch/hit; out="" rc=0 ran=0
		for s in "${suites[@]}"; do
			rm -f "$hit"
			o=$(NAS_GRADSCALE_OP=$op NAS_GRADSCALE_IN=$in NAS_GRADSCALE_FACTOR=$factor NAS_GRADSCALE_HIT=$hit \
				"./$(basename "${s%% *}").test" -test.run "${s#* }" 2>&1) && r=0 || r=$?
			[ -e "$hit" ] || continue
			ran=1 out="$out$o"$'\n'
			[ $r -eq 0 ] || rc=$r
		done
		label=$in; [ "$in" = -1 ] && label=all
		if [ $ran = 0 ]; then
			[ "$in" = -1 ] && printf '%-14s %-6s %-10s\n' "$op" "$label" "not run"
			continue
		fi
		if [ $rc -ne 0 ]; then
			fails=$(echo "$out" | grep -oE -- '--- FAIL: Test[A-Za-z0-9]+Grad(/[^ ]+)?' | sed 's/--- FAIL: //' | wc -l)
			first=$(echo "$out" | grep -oE -- '--- FAIL: Test[A-Za-z0-9]+Grad(/[^ ]+)?' | head -1 | sed 's/--- FAIL: //')
			err=$(echo "$out" | grep -oE 'norm err [0-9.e+-]+' | awk '{print $3}' | sort -g | tail -1)
			printf '%-14s %-6s %-10s %s cases, e.g. %s (norm err up to %s)\n' "$op" "$label" caught "$fails" "$first" "$err"
		else
			printf '%-14s %-6s %-10s\n' "$op" "$label" MISSED
			missed=1
		fi
	done
done
exit $missed
