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

// A derived cell of 3 nodes (?nodes=3) is drawn with 3 node circles, not the
// paper's 4 (a stray, unconnected node 3 was drawn).
func TestDerivedCellNodesFollowEdges(t *testing.T) {
	var edges []ui.GenoEdge
	for n := range 3 {
		edges = append(edges, ui.GenoEdge{Node: n, Input: 0, Op: "sep_conv_3x3"}, ui.GenoEdge{Node: n, Input: 1, Op: "skip_connect"})
	}
	sizes := make([]ui.Point, len(edges))
	for i := range sizes {
		sizes[i] = ui.Point{X: 40, Y: 20}
	}
	d := ui.LayoutDerivedCell(ui.Rect{W: 400, H: 200}, 20, edges, sizes, nil)
	assert.Len(t, d.Nodes, 2+3+1, "c_{k-2}, c_{k-1}, nodes 0..2, c_k")
}
