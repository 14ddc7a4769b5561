package genotype_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/genotype"
)

// The argmax over ops does not assume none comes first: with ops
// (skip_connect, none, sep_conv_3x3) and one node (two edges),
//
//	edge 0: (0.1, 0.8, 0.05) → skip_connect (0.1; none's 0.8 is excluded)
//	edge 1: (0.02, 0.9, 0.3) → sep_conv_3x3 (0.3)
//
// and the node lists edge 1 first (0.3 > 0.1). A search that starts its
// argmax at index 1, or lets a later op replace index 0 regardless of its
// weight, picks none or sep_conv_3x3 for edge 0 (mutants of derive.go).
func TestDeriveNoneNotFirst(t *testing.T) {
	ops := []genotype.Primitive{genotype.SkipConnect, genotype.None, genotype.SepConv3x3}
	w := [][]float64{{0.1, 0.8, 0.05}, {0.02, 0.9, 0.3}}
	g, err := genotype.Derive(w, w, ops, 1)
	require.NoError(t, err)
	want := []genotype.Edge{{Op: genotype.SepConv3x3, Input: 1}, {Op: genotype.SkipConnect, Input: 0}}
	assert.Equal(t, want, g.Normal)
	assert.Equal(t, want, g.Reduce)
}

// Every activation prints its reference name, none (value 0) included, and
// out-of-range values print as Activation(n) (a gremlins survivor: a bound
// check `a <= 0` would print none as Activation(0)).
func TestActivationNames(t *testing.T) {
	want := []string{"none", "tanh", "relu", "sigmoid", "identity"}
	for i, a := range genotype.RecurrentOps {
		assert.Equal(t, want[i], a.String())
	}
	assert.Equal(t, "Activation(-1)", genotype.Activation(-1).String())
	assert.Equal(t, "Activation(5)", genotype.Activation(5).String())
}
