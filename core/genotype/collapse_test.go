package genotype_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/genotype"
)

func cellOf(ops ...genotype.Primitive) genotype.Genotype {
	g := genotype.DARTS_V2.Clone()
	for i, op := range ops {
		g.Normal[i].Op = op
	}
	return g
}

func TestCollapse(t *testing.T) {
	const sep, skip, maxp, avgp = genotype.SepConv3x3, genotype.SkipConnect, genotype.MaxPool3x3, genotype.AvgPool3x3
	cases := []struct {
		name string
		g    genotype.Genotype
		want string // substring; "" for no warning
	}{
		{"healthy", cellOf(sep, sep, sep, sep, sep, skip, sep, sep), ""},
		{"two skips", cellOf(sep, sep, sep, sep, sep, skip, skip, sep), "2 of 8 edges skip_connect"},
		{"eight skips", cellOf(skip, skip, skip, skip, skip, skip, skip, skip), "8 of 8 edges skip_connect"},
		{"pools dominate", cellOf(maxp, avgp, maxp, sep, avgp, skip, sep, sep), "5 of 8 normal-cell edges are parameter-free"},
		{"half pools", cellOf(maxp, avgp, maxp, sep, sep, skip, sep, sep), ""},
		// the published DARTS_V1 normal cell has 3 skip_connect: DARTS+ flags it too
		{"DARTS_V1", genotype.DARTS_V1, "3 of 8 edges skip_connect"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := genotype.Collapse(tc.g)
			if tc.want == "" {
				assert.Empty(t, w)
				return
			}
			assert.Contains(t, w, tc.want)
		})
	}
}

// alphaFavouring returns raw α (14 × 8 DARTS ops) whose rows prefer col, with
// the learnable ops ranked by rank (a permutation of their columns).
func alphaFavouring(col []int, rank []int) [][]float64 {
	a := make([][]float64, 14)
	for e := range a {
		a[e] = make([]float64, 8)
		for k, c := range rank {
			a[e][c] = 1 - 0.1*float64(k)
		}
		a[e][col[e]] = 3
	}
	return a
}

func TestEarlyStop(t *testing.T) {
	ops := genotype.DARTSOps // none max avg skip sep3 sep5 dil3 dil5
	sep3 := make([]int, 14)
	for i := range sep3 {
		sep3[i] = 4
	}
	rankA, rankB := []int{4, 5, 6, 7}, []int{7, 6, 5, 4}
	t.Run("criterion 2: stable ranking", func(t *testing.T) {
		s := &genotype.EarlyStop{Ops: ops, Patience: 2}
		seq := [][]int{rankA, rankB, rankB, rankB} // changes, then stable for 2 epochs
		var stops []bool
		for _, r := range seq {
			stop, reason, _, err := s.Observe(alphaFavouring(sep3, r), alphaFavouring(sep3, r))
			require.NoError(t, err)
			stops = append(stops, stop)
			if stop {
				assert.Contains(t, reason, "criterion 2")
			}
		}
		assert.Equal(t, []bool{false, false, false, true}, stops)
	})
	t.Run("criterion 1: two skips", func(t *testing.T) {
		s := &genotype.EarlyStop{Ops: ops} // patience 0: criterion 2 off
		col := append([]int(nil), sep3...)
		stop, _, _, err := s.Observe(alphaFavouring(col, rankA), alphaFavouring(col, rankA))
		require.NoError(t, err)
		assert.False(t, stop)
		normal := alphaFavouring(col, rankB)
		normal[0][3], normal[2][3] = 5, 5 // skip_connect wins, strongly, on edges c_{k-2}→node 0 and c_{k-2}→node 1
		stop, reason, g, err := s.Observe(normal, alphaFavouring(sep3, rankB))
		require.NoError(t, err)
		assert.True(t, stop)
		assert.Contains(t, reason, "2 skip_connect")
		assert.NotEmpty(t, genotype.Collapse(g))
	})
	t.Run("bad alpha", func(t *testing.T) {
		s := &genotype.EarlyStop{Ops: ops}
		_, _, _, err := s.Observe(make([][]float64, 3), nil)
		assert.Error(t, err)
	})
}
