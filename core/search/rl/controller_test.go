package rl

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGradCheck compares Grad with central differences of Loss (float64,
// eps 1e-5) on every parameter of a small controller, with and without ENAS
// temperature and tanh clipping.
func TestGradCheck(t *testing.T) {
	cases := []struct {
		name string
		cfg  ControllerConfig
	}{
		{"plain", ControllerConfig{Hidden: 5, InitRange: 0.5}},
		{"temperature+tanh", ControllerConfig{Hidden: 5, InitRange: 0.5, Temperature: 2, TanhC: 1.5}},
	}
	dec := []int{3, 2, 4, 1, 3}
	choices := []int{2, 0, 3, 0, 1}
	const adv, beta, eps = 0.7, 0.3, 1e-5
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := NewController(dec, tc.cfg, rand.New(rand.NewPCG(1, 2)))
			dW := make([]float64, len(c.W))
			c.Grad(choices, adv, beta, dW)
			worst := 0.0
			for i := range c.W {
				w0 := c.W[i]
				c.W[i] = w0 + eps
				lp := c.Loss(choices, adv, beta)
				c.W[i] = w0 - eps
				lm := c.Loss(choices, adv, beta)
				c.W[i] = w0
				num := (lp - lm) / (2 * eps)
				worst = max(worst, math.Abs(num-dW[i])/max(1e-3, math.Abs(num)+math.Abs(dW[i])))
			}
			assert.Less(t, worst, 1e-6, "worst relative gradient error")
		})
	}
}

func TestLogProbRecomputes(t *testing.T) {
	c := NewController([]int{5, 5, 5, 5, 5, 5}, ControllerConfig{Hidden: 20, TanhC: 1.1}, rand.New(rand.NewPCG(3, 4)))
	rng := rand.New(rand.NewPCG(5, 6))
	for range 20 {
		choices, lp, ent, probs := c.Sample(rng)
		assert.InDelta(t, lp, c.LogProb(choices), 1e-12)
		require.Len(t, probs, 6)
		var h float64
		for _, p := range probs {
			var s float64
			for _, v := range p {
				s += v
				h -= v * math.Log(v)
			}
			assert.InDelta(t, 1, s, 1e-12)
		}
		assert.InDelta(t, h, ent, 1e-12)
	}
}
