package ui_test

import (
	"image"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/nasplayground/nas/wasm/ui"
)

// A frame is drawn when something it shows changed, and at least every
// RedrawEvery; otherwise it is skipped.
func TestRedraw(t *testing.T) {
	var r ui.Redraw
	t0 := time.Unix(1000, 0)
	b := image.Rect(0, 0, 1280, 720)
	assert.True(t, r.Needed(t0, b, 5, 5, false), "the first frame")
	assert.False(t, r.Needed(t0.Add(16*time.Millisecond), b, 5, 5, false), "nothing changed")
	r.Dirty = true
	assert.True(t, r.Needed(t0.Add(33*time.Millisecond), b, 5, 5, false), "a snapshot arrived")
	assert.False(t, r.Dirty, "drawing clears Dirty")
	assert.False(t, r.Needed(t0.Add(50*time.Millisecond), b, 5, 5, false))
	assert.True(t, r.Needed(t0.Add(66*time.Millisecond), b, 6, 5, false), "the pointer moved (hover)")
	assert.True(t, r.Needed(t0.Add(83*time.Millisecond), image.Rect(0, 0, 1920, 1080), 6, 5, false), "resized")
	assert.False(t, r.Needed(t0.Add(100*time.Millisecond), image.Rect(0, 0, 1920, 1080), 6, 5, false))
	assert.True(t, r.Needed(t0.Add(100*time.Millisecond), image.Rect(0, 0, 1920, 1080), 6, 5, true), "the audit draws every frame")
	assert.False(t, r.Needed(t0.Add(100*time.Millisecond+ui.RedrawEvery-time.Millisecond), image.Rect(0, 0, 1920, 1080), 6, 5, false))
	assert.True(t, r.Needed(t0.Add(100*time.Millisecond+ui.RedrawEvery), image.Rect(0, 0, 1920, 1080), 6, 5, false), "RedrawEvery passed")
	assert.Equal(t, 6, r.Drawn)
	assert.Equal(t, 4, r.Skipped)
}

func TestCellSteps(t *testing.T) {
	for steps := 1; steps <= 6; steps++ {
		assert.Equal(t, steps, ui.CellSteps(len(ui.CellEdges(steps))), "steps %d", steps)
	}
	for _, n := range []int{0, 1, 3, 4, 6, 13, 15} {
		assert.Zero(t, ui.CellSteps(n), "%d edges", n)
	}
}
