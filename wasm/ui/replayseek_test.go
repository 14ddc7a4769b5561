package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/nasplayground/nas/core/search"
)

// Scrubbing back and forth gives the same model as playing to that point.
func TestReplaySeekFoldsLikePlaying(t *testing.T) {
	var evs []search.Event
	for i := 1; i <= 50; i++ {
		evs = append(evs, search.Event{Kind: search.KindStep, Step: i, TrainLoss: 3 - float64(i)/50, TrainAcc: 0.1})
	}
	want := func(n int) Model {
		var m Model
		for _, ev := range evs[:n] {
			m.Fold(ev)
		}
		return m
	}
	r := Replay{Events: evs}
	var m Model
	for _, n := range []int{30, 10, 49, 0, 50, 60, -3} {
		reset, fold := r.SeekTo(n)
		if reset {
			m.Reset()
		}
		for _, ev := range fold {
			m.Fold(ev)
		}
		c := max(0, min(n, len(evs)))
		assert.Equal(t, c, r.Pos(), "seek %d", n)
		w := want(c)
		assert.Equal(t, w.TrainLoss.All(), m.TrainLoss.All(), "seek %d", n)
		assert.Equal(t, w.Step, m.Step, "seek %d", n)
	}
	assert.Equal(t, 25, r.SeekFraction(0.5))
	assert.Equal(t, 50, r.SeekFraction(2))
}
