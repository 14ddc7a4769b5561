package pnas

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKendallTauHand(t *testing.T) {
	cases := []struct {
		name string
		a, b []float64
		want float64
	}{
		{"same order", []float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}, 1},
		{"reversed", []float64{1, 2, 3}, []float64{3, 2, 1}, -1},
		// pairs (1,2) c, (1,3) c, (2,3) d: (2−1)/3
		{"one swap", []float64{1, 2, 3}, []float64{1, 3, 2}, 1.0 / 3},
		// a ties pair (1,2): n0 = 3, n1 = 1, n2 = 0; conc 2 → 2/√(2·3)
		{"tie-b", []float64{1, 1, 2}, []float64{1, 2, 3}, 2 / math.Sqrt(6)},
		{"all tied", []float64{1, 1}, []float64{1, 2}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.InDelta(t, tc.want, KendallTau(tc.a, tc.b), 1e-12)
		})
	}
}

// TestMLPGrad compares lossGrad with central differences of the loss.
func TestMLPGrad(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	m := NewMLP(4, 5, rng)
	for i := range m.B1 {
		m.B1[i] = 0.3 // keep hidden units away from the relu kink
	}
	xs := [][]float64{{1, 0, 0.5, -1}, {0.2, 0.3, 1, 0}, {-0.5, 1, 0, 0.25}}
	ys := []float64{1, -0.5, 0.25}
	gW1, gB1, gW2 := make([]float64, len(m.W1)), make([]float64, len(m.B1)), make([]float64, len(m.W2))
	var gB2 float64
	m.lossGrad(xs, ys, gW1, gB1, gW2, &gB2)
	loss := func() float64 {
		var a, b, c []float64 = make([]float64, len(m.W1)), make([]float64, len(m.B1)), make([]float64, len(m.W2))
		var d float64
		return m.lossGrad(xs, ys, a, b, c, &d)
	}
	const eps = 1e-6
	check := func(name string, p []float64, g []float64) {
		for i := range p {
			v := p[i]
			p[i] = v + eps
			up := loss()
			p[i] = v - eps
			down := loss()
			p[i] = v
			assert.InDelta(t, (up-down)/(2*eps), g[i], 1e-6, "%s[%d]", name, i)
		}
	}
	check("W1", m.W1, gW1)
	check("B1", m.B1, gB1)
	check("W2", m.W2, gW2)
	b2 := []float64{m.B2}
	m.B2 += eps
	up := loss()
	m.B2 -= 2 * eps
	down := loss()
	m.B2 = b2[0]
	assert.InDelta(t, (up-down)/(2*eps), gB2, 1e-6, "B2")
}

// TestSurrogateFits: the ensemble learns a linear function of one-hot
// features well enough to rank unseen inputs.
func TestSurrogateFits(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	w := []float64{3, -1, 2, 0.5, -2, 1}
	gen := func(n int) ([][]float64, []float64) {
		var xs [][]float64
		var ys []float64
		for range n {
			x := make([]float64, len(w))
			y := 0.0
			for i := range x {
				x[i] = float64(rng.IntN(2))
				y += w[i] * x[i]
			}
			xs, ys = append(xs, x), append(ys, y+90)
		}
		return xs, ys
	}
	xs, ys := gen(40)
	s := FitSurrogate(DefaultSurrogate(), xs, ys, rng)
	tx, ty := gen(30)
	pred := make([]float64, len(tx))
	for i, x := range tx {
		pred[i] = s.Predict(x)
	}
	assert.Greater(t, KendallTau(pred, ty), 0.8)
}

func TestNB201Levels(t *testing.T) {
	sp := NB201{}
	l1 := sp.Extend(nil)
	require.Len(t, l1, 4)
	l2 := sp.Extend(l1[0])
	require.Len(t, l2, 16)
	l3 := sp.Extend(l2[0])
	require.Len(t, l3, 96)
	assert.Empty(t, sp.Extend(l3[0]))
	for _, c := range l3 {
		require.NoError(t, sp.Valid(c))
		assert.NotZero(t, c[e01], "node 1 is fed")
		assert.True(t, c[e12] != 0 || c[e13] != 0, "node 1 is read")
		assert.Equal(t, l2[0][e02], c[e02], "the parent's edges stay")
	}
	assert.Equal(t, "|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|", sp.Describe(l1[0]))
	assert.Len(t, sp.Features(l1[0]), 30)
}

func TestCellsExtend(t *testing.T) {
	ops := []string{"max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"}
	sp := Cells{Ops: ops, Blocks: 4}
	l1 := sp.Extend(nil)
	require.Len(t, l1, 14*15/2) // m = 2·7 halves, unordered pairs with repetition
	seen := map[string]bool{}
	for _, c := range l1 {
		require.NoError(t, sp.Valid(c))
		k := key([]int{min(c[0]*7+c[2], c[1]*7+c[3]), max(c[0]*7+c[2], c[1]*7+c[3])})
		require.False(t, seen[k], "unordered duplicate %v", c)
		seen[k] = true
	}
	l2 := sp.Extend(l1[5])
	require.Len(t, l2, 21*22/2)
	assert.Equal(t, l1[5], l2[0][:4])
	g, err := sp.Genotype(l2[0])
	require.NoError(t, err)
	assert.Equal(t, g.Normal, g.Reduce)
	assert.Equal(t, []int{2, 3}, g.NormalConcat)
	f := sp.Features(l2[0])
	assert.Len(t, f, 4*5*7)
	sum := 0.0
	for _, v := range f {
		sum += v
	}
	assert.Equal(t, 4.0, sum, "two halves per block")
}

// fakeEval rewards cells by a hidden linear score of their features.
type fakeEval struct{ sp Space }

func (f fakeEval) Evaluate(c []int) (float64, error) {
	s := 0.0
	for i, v := range f.sp.Features(c) {
		s += v * float64(i%7)
	}
	return s, nil
}

// TestSearcherLevels checks the budget split and the event fields on a toy reward.
func TestSearcherLevels(t *testing.T) {
	sp := Cells{Ops: []string{"skip_connect", "sep_conv_3x3", "max_pool_3x3"}, Blocks: 3}
	cfg := DefaultConfig(20, 7)
	s, err := New(sp, fakeEval{sp}, cfg)
	require.NoError(t, err)
	// l1 = 6·7/2 = 21 one-block cells; K = (20 − 10)/2 = 5; n₁ = 20 − 10 = 10
	assert.Equal(t, 5, s.K)
	assert.Equal(t, 10, s.N1)
	var levels []int
	for !s.Done() {
		ev, err := s.Step()
		require.NoError(t, err)
		levels = append(levels, len(ev.Choices)/4)
		assert.Equal(t, len(ev.Choices)/4 > 1, ev.Predicted != 0, "step %d: predictions from level 2 on", ev.Step)
		assert.Equal(t, Method, ev.Method)
	}
	assert.Equal(t, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3}, levels)
	_, n := s.Tau()
	assert.Equal(t, 10, n)
	_, err = New(sp, fakeEval{sp}, Config{Samples: 0, Surrogate: DefaultSurrogate()})
	assert.Error(t, err)
}
