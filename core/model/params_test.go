package model_test

import (
	"fmt"
	"testing"

	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The expected parameter counts below are computed by closed formulas written
// from quark0/darts operations.py / model_search.py / model.py, independently
// of the builder under test, and anchored by the reference's own printed
// numbers (shared/bench/README.md; DARTS train logs "param size = 3.349342MB").

func bn(c int, affine bool) int {
	if affine {
		return 2 * c
	}
	return 0
}

func opParams(p genotype.Primitive, c, stride int, affine bool) int {
	switch p {
	case genotype.None, genotype.MaxPool3x3, genotype.AvgPool3x3, genotype.MaxPool5x5, genotype.MaxPool7x7:
		return 0
	case genotype.SkipConnect:
		if stride == 1 {
			return 0
		}
		return 2*(c/2)*c + bn(c, affine)
	case genotype.SepConv3x3, genotype.SepConv5x5, genotype.SepConv7x7:
		k := map[genotype.Primitive]int{genotype.SepConv3x3: 3, genotype.SepConv5x5: 5, genotype.SepConv7x7: 7}[p]
		return 2 * (c*k*k + c*c + bn(c, affine))
	case genotype.DilConv3x3, genotype.DilConv5x5:
		k := map[genotype.Primitive]int{genotype.DilConv3x3: 3, genotype.DilConv5x5: 5}[p]
		return c*k*k + c*c + bn(c, affine)
	case genotype.Conv7x1_1x7:
		return 2*c*c*7 + bn(c, affine)
	case genotype.Conv3x1_1x3:
		return 2*c*c*3 + bn(c, affine)
	case genotype.Conv1x1:
		return c*c + bn(c, affine)
	case genotype.Conv3x3:
		return c*c*9 + bn(c, affine)
	}
	panic(fmt.Sprint("no formula for ", p))
}

func expectedSearch(c, layers, classes int, ops []genotype.Primitive) int {
	total := 3*3*c*9 + 2*3*c // stem conv + affine BN
	cpp, cp, cc := 3*c, 3*c, c
	redPrev := false
	for i := 0; i < layers; i++ {
		red := i == layers/3 || i == 2*layers/3
		if red {
			cc *= 2
		}
		if redPrev {
			total += 2 * (cc / 2) * cpp
		} else {
			total += cpp * cc
		}
		total += cp * cc
		for n := 0; n < 4; n++ {
			for j := 0; j < 2+n; j++ {
				s := 1
				if red && j < 2 {
					s = 2
				}
				for _, p := range ops {
					total += opParams(p, cc, s, false)
				}
			}
		}
		redPrev = red
		cpp, cp = cp, 4*cc
	}
	return total + cp*classes + classes
}

func expectedEval(g genotype.Genotype, c, layers, classes int) int {
	total := 3*3*c*9 + 2*3*c
	cpp, cp, cc := 3*c, 3*c, c
	redPrev := false
	for i := 0; i < layers; i++ {
		red := i == layers/3 || i == 2*layers/3
		if red {
			cc *= 2
		}
		if redPrev {
			total += 2*(cc/2)*cpp + 2*cc
		} else {
			total += cpp*cc + 2*cc
		}
		total += cp*cc + 2*cc
		edges, concat := g.Normal, g.NormalConcat
		if red {
			edges, concat = g.Reduce, g.ReduceConcat
		}
		for _, e := range edges {
			s := 1
			if red && e.Input < 2 {
				s = 2
			}
			total += opParams(e.Op, cc, s, true)
		}
		redPrev = red
		cpp, cp = cp, len(concat)*cc
	}
	return total + cp*classes + classes
}

func TestSearchNetParams(t *testing.T) {
	cases := []struct {
		c, layers int
		ops       []genotype.Primitive
		reference int // printed by the reference implementation, 0 if unknown
	}{
		{16, 8, genotype.DARTSOps, 1930618},
		{8, 5, genotype.DARTSOps, 394210},
		{4, 3, genotype.DARTSOps, 0},
		{6, 6, genotype.DARTSOps, 0},
		{16, 5, genotype.DARTSOps, 0},
		{8, 5, genotype.NASNetOps, 0},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("C%d_L%d_ops%d", tc.c, tc.layers, len(tc.ops)), func(t *testing.T) {
			cfg := model.DefaultSearchConfig()
			cfg.C, cfg.Layers, cfg.Ops = tc.c, tc.layers, tc.ops
			net, err := model.NewSearchNet(cfg, tensor.NewRNG(1))
			require.NoError(t, err)
			got := nn.CountParams(net.Weights())
			assert.Equal(t, expectedSearch(tc.c, tc.layers, 10, tc.ops), got)
			if tc.reference != 0 {
				assert.Equal(t, tc.reference, got)
			}
			assert.Equal(t, 2*14*len(tc.ops), nn.CountParams(net.Alphas()))
		})
	}
}

func TestSearchNetMACs(t *testing.T) {
	// shared/bench/README.md: 300,255,744 MACs/image at C=16, 8 layers, 32×32.
	cfg := model.DefaultSearchConfig()
	net, err := model.NewSearchNet(cfg, tensor.NewRNG(1))
	require.NoError(t, err)
	assert.Equal(t, int64(300255744), model.MACs(net.Forward, 3, 32, 32))
}

func TestEvalNetParams(t *testing.T) {
	for _, name := range genotype.Names() {
		t.Run(name, func(t *testing.T) {
			g, err := genotype.Named(name)
			require.NoError(t, err)
			net, err := model.NewEvalNet(model.EvalConfig{C: 36, Layers: 20, Classes: 10, InChannels: 3, Auxiliary: true, Genotype: g}, tensor.NewRNG(1))
			require.NoError(t, err)
			got := nn.CountParams(net.Params())
			assert.Equal(t, expectedEval(g, 36, 20, 10), got)
			if name == "DARTS_V2" || name == "DARTS" {
				assert.Equal(t, 3349342, got, "DARTS logs print param size = 3.349342MB")
			}
			assert.Greater(t, nn.CountParams(net.AllParams()), got)
		})
	}
}

func TestSmallCNN(t *testing.T) {
	// shared/bench/README.md: 22,466 parameters; 3.92 M MACs per image forward.
	m := model.NewSmallCNN(tensor.NewRNG(1))
	assert.Equal(t, 22466, nn.CountParams(m.Params()))
	macs := model.MACs(m.Forward, 3, 32, 32)
	assert.InDelta(t, 3.92e6, float64(macs), 0.01e6)
}
