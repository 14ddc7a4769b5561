package ui

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The cell view must show which op leads an edge however small α's spread:
// after the first α steps every softmax(α) is within ~1e-3 (or, rounded to
// the events' 5 decimals, 1e-5) of 1/8. Whatever the spread, the drawn
// strongest strand of each edge is at least minRatio times wider than the
// weakest, at least 2x as opaque, it is the argmax, and strands are ordered
// as their weights.
func TestStrandStylesVisibleAtAnySpread(t *testing.T) {
	const minRatio = 3.0 // width of the strongest op's strand over the weakest's
	rng := rand.New(rand.NewPCG(1, 2))
	for _, spread := range []float64{1e-1, 1e-3, 1e-5, 1e-8, 1e-12} {
		for trial := range 50 {
			// A softmax row near uniform: 1/8 + spread·noise, renormalised.
			w := make([]float64, 8)
			sum := 0.0
			for k := range w {
				w[k] = 1.0/8 + spread*(rng.Float64()-0.5)
				sum += w[k]
			}
			for k := range w {
				w[k] /= sum
			}
			lo, hi := extremes(w)
			if w[lo] == w[hi] {
				continue // the noise vanished in float64 (spread 1e-12 can do that): covered below
			}
			s := StrandStyles(w)
			require.Len(t, s, 8)
			assert.GreaterOrEqual(t, s[hi].Width/s[lo].Width, minRatio, "spread %g trial %d: %v", spread, trial, w)
			assert.GreaterOrEqual(t, s[hi].Opacity/s[lo].Opacity, 2.0, "spread %g trial %d", spread, trial)
			for k := range w {
				assert.Equal(t, k == hi, s[k].Strongest, "spread %g trial %d op %d: strongest", spread, trial, k)
				for j := range w {
					if w[k] > w[j] {
						assert.Greater(t, s[k].Width, s[j].Width, "spread %g: op %d (%g) vs %d (%g)", spread, k, w[k], j, w[j])
					}
				}
			}
		}
	}
}

// Rows as the events carry them (5 decimals): the first α step of a real
// search moves weights by ~1e-5; two ops that differ by one unit of the last
// decimal are already drawn apart.
func TestStrandStylesRoundedRow(t *testing.T) {
	w := []float64{0.125, 0.12501, 0.125, 0.12499, 0.125, 0.125, 0.125, 0.125}
	s := StrandStyles(w)
	assert.True(t, s[1].Strongest)
	assert.InDelta(t, 1, s[1].Width, 1e-12)
	assert.InDelta(t, StrandMinWidth, s[3].Width, 1e-12)
	assert.InDelta(t, (StrandMinWidth+1)/2, s[0].Width, 1e-9, "1/8 is halfway between the edge's min and max")
}

// Before the first α step (all weights equal) no op is emphasised and every
// strand is drawn alike.
func TestStrandStylesUniform(t *testing.T) {
	s := StrandStyles([]float64{0.125, 0.125, 0.125, 0.125})
	for _, x := range s {
		assert.False(t, x.Strongest)
		assert.Equal(t, s[0], x)
	}
	assert.Empty(t, StrandStyles(nil))
	assert.False(t, math.IsNaN(StrandStyles([]float64{1})[0].Width))
}

// extremes returns the indices of w's smallest and largest values (the first of ties).
func extremes(w []float64) (lo, hi int) {
	for k := range w {
		if w[k] < w[lo] {
			lo = k
		}
		if w[k] > w[hi] {
			hi = k
		}
	}
	return lo, hi
}
