package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/search"
)

// The "one edge over time" plot: every α event adds a point per op to the
// edge's series, at the event's step, in both cells; weight events add none.
func TestModelAlphaSeries(t *testing.T) {
	row := func(p float64) []float64 { return []float64{p, 1 - p} }
	var m Model
	m.Fold(search.Event{Kind: search.KindStep, Step: 1, Phase: search.PhaseWeights, TrainLoss: 2})
	for s := 1; s <= 3; s++ {
		p := 0.5 + 0.1*float64(s)
		m.Fold(search.Event{Kind: search.KindStep, Step: s, Phase: search.PhaseAlpha,
			AlphaNormal: [][]float64{row(p), row(0.5)}, AlphaReduce: [][]float64{row(1 - p), row(0.5)}})
	}
	require.Len(t, m.AlphaSeries[0], 2)
	require.Len(t, m.AlphaSeries[0][0], 2)
	assert.Equal(t, []Point{{1, 0.6}, {2, 0.7}, {3, 0.8}}, roundPts(m.AlphaSeries[0][0][0].All()))
	assert.Equal(t, []Point{{1, 0.4}, {2, 0.3}, {3, 0.2}}, roundPts(m.AlphaSeries[0][0][1].All()))
	assert.Equal(t, []Point{{1, 0.4}, {2, 0.3}, {3, 0.2}}, roundPts(m.AlphaSeries[1][0][0].All()))
	assert.Len(t, m.AlphaSeries[1][1][1].All(), 3)
	m.Reset()
	assert.Nil(t, m.AlphaSeries[0], "Reset clears the history")
}

func roundPts(ps []Point) []Point {
	for i := range ps {
		ps[i].Y = float64(int(ps[i].Y*1e9+0.5)) / 1e9
	}
	return ps
}
