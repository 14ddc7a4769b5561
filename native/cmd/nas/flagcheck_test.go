package main

import (
	"flag"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// Every float flag given NaN, ±Inf or a value out of its range is refused
// with exit 2 and one line naming the flag, before any work. Before
// flagcheck.go these ran (--dry-run exits 0) or crashed later in the run.
func TestFlagsRejectNonFiniteAndOutOfRange(t *testing.T) {
	for _, args := range [][]string{
		{"search", "--dataset", "demo", "--dry-run", "--train-portion", "NaN"},
		{"search", "--dataset", "demo", "--dry-run", "--train-portion", "0"},
		{"search", "--dataset", "demo", "--dry-run", "--train-portion", "1"},
		{"search", "--dataset", "demo", "--dry-run", "--lr", "NaN"},
		{"search", "--dataset", "demo", "--dry-run", "--lr", "Inf"},
		{"search", "--dataset", "demo", "--dry-run", "--lr", "-Inf"},
		{"search", "--dataset", "demo", "--dry-run", "--lr", "0"},
		{"search", "--dataset", "demo", "--dry-run", "--lr-min", "-1e-3"},
		{"search", "--dataset", "demo", "--dry-run", "--arch-lr", "NaN"},
		{"search", "--dataset", "demo", "--dry-run", "--arch-lr", "0"},
		{"search", "--dataset", "demo", "--dry-run", "--samples", "-1"},
		{"search", "--dataset", "demo", "--dry-run", "--C", "0"},
		{"search", "--dataset", "demo", "--dry-run", "--ctrl-lr", "NaN"},
		{"search", "--dataset", "demo", "--dry-run", "--ctrl-lr", "-1"},
		{"search", "--dataset", "demo", "--dry-run", "--checkpoint-every", "-1m"},
		{"search", "--dataset", "demo", "--dry-run", "--train-images", "-1"},
		{"search", "--dataset", "demo", "--dry-run", "--downsample", "0"},
		{"train", "--genotype", "DARTS_V2", "--dry-run", "--lr", "NaN"},
		{"train", "--genotype", "DARTS_V2", "--dry-run", "--grad-clip", "NaN"},
		{"train", "--genotype", "DARTS_V2", "--dry-run", "--grad-clip", "-1"},
		{"train", "--genotype", "DARTS_V2", "--dry-run", "--drop-path", "NaN"},
		{"train", "--genotype", "DARTS_V2", "--dry-run", "--drop-path", "1"},
		{"train", "--genotype", "DARTS_V2", "--dry-run", "--momentum", "Inf"},
		{"train", "--genotype", "DARTS_V2", "--dry-run", "--weight-decay", "NaN"},
		{"train", "--genotype", "DARTS_V2", "--dry-run", "--auxiliary-weight", "-0.4"},
		{"train", "--genotype", "DARTS_V2", "--dry-run", "--test-limit", "-5"},
		{"replay", "--speed", "NaN"},
		{"bench", "gemm", "--min-time", "NaN"},
		{"bench", "gemm", "--min-time", "0"},
		{"bench", "darts", "--fork-min", "0"},
	} {
		name := args[len(args)-2]
		code, out, errOut := nas(args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.Empty(t, out, "%v", args)
		assert.Equal(t, 1, strings.Count(strings.TrimSpace(errOut), "\n")+1, "one line for %v: %q", args, errOut)
		assert.Contains(t, errOut, name, "%v", args)
		assert.NotContains(t, errOut, "goroutine", "%v", args)
	}
}

// The values at the edges of the ranges are accepted: the checks refuse only
// what is wrong.
func TestFlagsAcceptRangeEdges(t *testing.T) {
	for _, args := range [][]string{
		{"search", "--dataset", "demo", "--dry-run", "--train-portion", "0.999", "--lr-min", "0", "--lr", "1e-9", "--arch-lr", "1e30"},
		{"train", "--genotype", "DARTS_V2", "--dry-run", "--grad-clip", "0", "--drop-path", "0", "--momentum", "0", "--weight-decay", "0"},
		{"train", "--genotype", "DARTS_V2", "--dry-run", "--drop-path", "0.999"},
	} {
		code, _, errOut := nas(args...)
		assert.Equal(t, 0, code, "%v: %s", args, errOut)
	}
}

// Every float flag of every command has a range in floatRanges (NaN and Inf
// are refused for all of them anyway; this keeps new flags from having none).
func TestEveryFloatFlagHasARange(t *testing.T) {
	for _, args := range [][]string{{"search"}, {"train"}, {"replay"}, {"serve"},
		{"bench", "darts"}, {"bench", "small-cnn"}, {"bench", "gemm"},
		{"genotype", "info"}, {"genotype", "derive"}, {"genotype", "draw"}, {"genotype", "list"}} {
		code, _, errOut := nas(append(args, "--help")...)
		require.Equal(t, 0, code, "%v: %s", args, errOut)
	}
	floats := 0
	for fs := range helpOut {
		fs.VisitAll(func(f *flag.Flag) {
			if _, ok := f.Value.(flag.Getter).Get().(float64); ok {
				floats++
				_, has := floatRanges[f.Name]
				assert.True(t, has, "%s --%s: add its range to floatRanges (flagcheck.go)", fs.Name(), f.Name)
			}
		})
	}
	assert.NotZero(t, floats)
}

// NaN is outside every range, and so are the open ends.
func TestFloatRangeContains(t *testing.T) {
	for name, r := range floatRanges {
		assert.False(t, r.contains(math.NaN()), name)
		assert.False(t, r.contains(math.Inf(-1)), name)
	}
	assert.False(t, fraction.contains(0))
	assert.False(t, fraction.contains(1))
	assert.True(t, fraction.contains(0.5))
	assert.True(t, probability.contains(0))
	assert.False(t, probability.contains(1))
	assert.False(t, positive.contains(0))
	assert.True(t, nonNegative.contains(0))
	assert.False(t, nonNegative.contains(math.Nextafter(0, -1)))
}

// Sizes far beyond any machine's memory are refused at once with one line that
// names the flag and the estimate (before: a runtime out-of-memory crash with
// a 153-line trace, or minutes spent building 10⁸ cells).
func TestFlagsRefuseNetworksThatCannotFit(t *testing.T) {
	if _, ok := memTotal(); !ok {
		t.Skip("no /proc/meminfo or cgroup limit here: the memory check is off by design")
	}
	for _, tc := range []struct {
		args []string
		flag string
	}{
		{[]string{"search", "--dataset", "demo", "--C", "100000000", "--dry-run"}, "--C 100000000"},
		{[]string{"search", "--dataset", "demo", "--layers", "100000000", "--dry-run"}, "--layers 100000000"},
		{[]string{"search", "--dataset", "demo", "--method", "random", "--C", "100000000"}, "--C 100000000"},
		{[]string{"train", "--genotype", "DARTS_V2", "--C", "100000000", "--dry-run"}, "--C 100000000"},
		{[]string{"train", "--genotype", "DARTS_V2", "--layers", "100000000"}, "--layers 100000000"},
		{[]string{"genotype", "info", "--genotype", "DARTS_V2", "--C", "100000000"}, "--C 100000000"},
		{[]string{"bench", "darts", "--batch", "1000000000000"}, "--batch 1000000000000"},
	} {
		code, out, errOut := nas(tc.args...)
		assert.Equal(t, 2, code, "%v", tc.args)
		assert.Empty(t, out, "%v", tc.args)
		assert.Equal(t, 1, strings.Count(strings.TrimSpace(errOut), "\n")+1, "one line for %v: %q", tc.args, errOut)
		assert.Contains(t, errOut, tc.flag+" needs at least ~", "%v", tc.args)
		assert.Contains(t, errOut, "GiB; this machine has", "%v", tc.args)
	}
}

// netBytes is a lower bound on the weights the networks really allocate
// (counted here by building them), and not a loose one: within 4× for the
// supernet, whose 14 mixed edges dominate. A lower bound never refuses a
// network that fits.
func TestNetBytesIsALowerBound(t *testing.T) {
	for _, ops := range []string{"darts", "nasnet"} {
		set, err := genotype.OpSet(ops)
		require.NoError(t, err)
		for _, cl := range [][2]int{{2, 3}, {4, 5}, {8, 8}, {16, 8}, {6, 10}} {
			mc := model.DefaultSearchConfig()
			mc.C, mc.Layers, mc.Ops = cl[0], cl[1], set
			net, err := model.NewSearchNet(mc, tensor.NewRNG(1))
			require.NoError(t, err)
			got := 4 * float64(nn.CountParams(net.Weights()))
			est := netBytes(cl[0], cl[1], 64, 32, true, false)
			assert.LessOrEqual(t, est, got, "%s C=%d layers=%d", ops, cl[0], cl[1])
			if ops == "darts" {
				assert.Greater(t, 4*est, got, "%s C=%d layers=%d: estimate too loose", ops, cl[0], cl[1])
			}
		}
	}
	// The evaluation network of the cheapest genotype (every op a max pool: no
	// weights but the 1×1 preprocessing) still has at least netBytes.
	pools, err := genotype.Resolve("DARTS_V2")
	require.NoError(t, err)
	for _, es := range [][]genotype.Edge{pools.Normal, pools.Reduce} {
		for i := range es {
			es[i].Op = genotype.MaxPool3x3
		}
	}
	for _, g := range []string{"DARTS_V2", "DARTS_V1", "pools"} {
		gt, err := genotype.Resolve(g)
		if g == "pools" {
			gt, err = pools, nil
		}
		require.NoError(t, err)
		for _, cl := range [][2]int{{4, 3}, {16, 8}, {36, 20}} {
			net, err := model.NewEvalNet(model.EvalConfig{C: cl[0], Layers: cl[1], Classes: 10, InChannels: 3, Genotype: gt}, tensor.NewRNG(1))
			require.NoError(t, err)
			params := nn.CountParams(net.Params())
			assert.LessOrEqual(t, netBytes(cl[0], cl[1], 64, 32, false, false), 4*float64(params), "%s C=%d layers=%d", g, cl[0], cl[1])
		}
	}
	// Training adds gradients and momentum (3×) and the stem's output.
	assert.Equal(t, 3*netBytes(4, 5, 1, 0, true, false), netBytes(4, 5, 1, 0, true, true))
	assert.Equal(t, 4.0*10*3*4*8*8, netBytes(4, 5, 10, 8, false, true)-3*netBytes(4, 5, 10, 8, false, false))
}
