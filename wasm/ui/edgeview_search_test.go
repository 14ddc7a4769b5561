package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/darts"
	"github.com/nasplayground/nas/core/tensor"
)

// TestStrandStylesAfterFirstAlphaSteps holds the cell view to visibility on
// the α of a real search: a DARTS search at the paper's α learning rate
// (3e-4), after each of its first three α steps, when every softmax(α) row
// of the event (5 decimals, as the page gets it) is within ~1e-4 of 1/8. On
// every edge of both cells whose row is not exactly uniform, the drawn
// strand of the strongest op is at least minRatio times as wide as the
// weakest's and it alone is marked strongest.
func TestStrandStylesAfterFirstAlphaSteps(t *testing.T) {
	const minRatio = 3.0
	cfg := darts.DefaultConfig()
	cfg.C, cfg.Layers, cfg.Batch, cfg.Epochs = 4, 3, 8, 1
	cfg.Augment, cfg.Seed = false, 5
	require.Equal(t, 3e-4, cfg.ArchLR, "the paper's α learning rate")
	s, err := darts.New(cfg, quadrants(64, 8))
	require.NoError(t, err)
	alphaSteps := 0
	for alphaSteps < 3 {
		ev, err := s.Step()
		require.NoError(t, err)
		if ev.Phase != search.PhaseAlpha {
			continue
		}
		alphaSteps++
		spread, checked := 0.0, 0
		for _, rows := range [][][]float64{ev.AlphaNormal, ev.AlphaReduce} {
			require.NotEmpty(t, rows)
			for e, w := range rows {
				lo, hi := extremes(w)
				spread = max(spread, w[hi]-w[lo])
				if w[hi] == w[lo] {
					continue
				}
				checked++
				st := StrandStyles(w)
				assert.GreaterOrEqual(t, st[hi].Width/st[lo].Width, minRatio, "α step %d edge %d: %v", alphaSteps, e, w)
				assert.True(t, st[hi].Strongest, "α step %d edge %d", alphaSteps, e)
			}
		}
		assert.Less(t, spread, 1e-3, "α step %d: softmax(α) still near uniform (the case the view must make visible)", alphaSteps)
		assert.Positive(t, checked, "α step %d: some edge moved", alphaSteps)
		t.Logf("α step %d: largest spread of a row %.5f, %d edges checked", alphaSteps, spread, checked)
	}
}

// quadrants is a small labelled image set: the class is the bright quadrant.
func quadrants(n, size int) *data.Dataset {
	rng := tensor.NewRNG(3)
	ds := &data.Dataset{Name: "quadrants", N: n, C: 3, H: size, W: size, Pixels: make([]uint8, n*3*size*size),
		Labels: make([]uint8, n), Classes: []string{"tl", "tr", "bl", "br"}}
	for i := range n {
		c := i % 4
		ds.Labels[i] = uint8(c)
		for ch := range 3 {
			for y := range size {
				for x := range size {
					v := 40 + rng.IntN(40)
					if (y < size/2) == (c < 2) && (x < size/2) == (c%2 == 0) {
						v += 150
					}
					ds.Pixels[((i*3+ch)*size+y)*size+x] = uint8(v)
				}
			}
		}
	}
	return ds
}
