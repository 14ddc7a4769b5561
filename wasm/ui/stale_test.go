package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/wasm/protocol"
)

func snap(step int, evSteps ...int) protocol.Message {
	m := protocol.Message{Type: protocol.MsgSnapshot, Step: step}
	for _, s := range evSteps {
		m.Events = append(m.Events, search.Event{Kind: search.KindStep, Step: s, TrainLoss: 1})
	}
	return m
}

// After a reset at step 40, the old run's in-flight snapshots (steps 40-41)
// are dropped, the new run's first one (step 1) is folded and so is
// everything after it; the model's curves never hold a point of the old run.
func TestStaleGuardDropsOldRun(t *testing.T) {
	var g StaleGuard
	var m Model
	for _, msg := range []protocol.Message{snap(39, 38, 39), snap(40, 40)} {
		if g.Accept(msg) {
			m.Apply(msg)
		}
	}
	g.Restart(m.Step)
	m.Reset()
	for _, msg := range []protocol.Message{snap(41, 41), snap(40), snap(2, 1, 2), snap(3, 3), snap(45, 45)} {
		if g.Accept(msg) {
			m.Apply(msg)
		}
	}
	xs := []float64{}
	for _, p := range m.TrainLoss.All() {
		xs = append(xs, p.X)
	}
	assert.Equal(t, []float64{1, 2, 3, 45}, xs)
	assert.True(t, g.Accept(protocol.Message{Type: protocol.MsgError}), "errors always pass")
}

// A restart before any step has nothing stale to drop.
func TestStaleGuardFromZero(t *testing.T) {
	var g StaleGuard
	g.Restart(0)
	assert.True(t, g.Accept(snap(5, 5)))
}

// Reset at step 18 clears the model and the next frame starts the new run
// (a second Restart, at step 0): the old run's snapshots still in flight
// (steps 18-19) are dropped, so the new curve starts at the new run's first
// step (the page showed a curve starting at step 18, e2e
// TestSceneSwitchKeepsSearch).
func TestStaleGuardResetThenStart(t *testing.T) {
	var g StaleGuard
	var m Model
	m.Apply(snap(17, 17))
	m.Apply(snap(18, 18))
	g.Restart(m.Step) // reset
	m.Reset()
	g.Restart(m.Step) // start, a frame later
	m.Reset()
	for _, msg := range []protocol.Message{snap(19, 19), snap(1, 1), snap(2, 2)} {
		if g.Accept(msg) {
			m.Apply(msg)
		}
	}
	pts := m.TrainLoss.All()
	if assert.Len(t, pts, 2) {
		assert.Equal(t, 1.0, pts[0].X)
	}
}
