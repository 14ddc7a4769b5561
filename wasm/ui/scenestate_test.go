package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/wasm/protocol"
)

func startOf(scene string, seed uint64) protocol.Command {
	p := protocol.DefaultParams()
	p.Scene, p.Seed = scene, seed
	return p.StartCommand()
}

// The DARTS scene left at step 40 comes back with its run when the
// settings still ask for it, at whatever rate, and starts anew when a
// setting of the run changed while it was away.
func TestSceneStateKeeps(t *testing.T) {
	st := SceneState{Run: startOf("darts", 1), Started: true}
	st.Model.Step = 40
	fast := startOf("darts", 1)
	fast.Rate = 100
	assert.True(t, st.Keeps(fast), "the rate is not part of the run")
	assert.False(t, st.Keeps(startOf("darts", 2)), "another seed")
	order := startOf("darts", 1)
	order.Order = 2
	assert.False(t, st.Keeps(order), "another order")
	lec := startOf("lecture", 1)
	assert.False(t, st.Keeps(lec), "the lecture's run is its own")
	assert.False(t, (&SceneState{Run: startOf("darts", 1)}).Keeps(startOf("darts", 1)), "never started")
	assert.False(t, (&SceneState{Started: true}).Keeps(startOf("darts", 1)), "no run (replay, a lecture step without DARTS, after reset)")
}

// While RL is on screen, the DARTS run's last snapshot (the events it
// stepped before the pause) folds into the DARTS model: coming back, its
// curves have no gap; a snapshot of a run reset before the switch is
// dropped.
func TestSceneStateFoldsWhileAway(t *testing.T) {
	var st SceneState
	for _, m := range []protocol.Message{snap(1, 1), snap(2, 2), snap(3, 3)} {
		st.Fold(m)
	}
	pause := snap(5, 4, 5)
	st.Fold(pause)
	assert.Equal(t, 5, st.Model.Step)
	require.Len(t, st.Model.TrainLoss.All(), 5)

	st.Guard.Restart(st.Model.Step) // reset, then the page left the scene
	st.Model.Reset()
	st.Fold(snap(6, 6))
	assert.Zero(t, st.Model.Events, "a late snapshot of the reset run")
	st.Fold(snap(1, 1))
	assert.Equal(t, 1, st.Model.Events)
}

func TestStoppedByItself(t *testing.T) {
	stopped := protocol.Message{Type: protocol.MsgSnapshot, Step: 9}
	running := stopped
	running.Running = true
	done := stopped
	done.Done = true
	tests := []struct {
		name            string
		m               protocol.Message
		paused, waiting bool
		want            bool
	}{
		{"the run stopped", stopped, false, false, true},
		{"it runs", running, false, false, false},
		{"done shows as done", done, false, false, false},
		{"already paused", stopped, true, false, false},
		{"a snapshot older than the page's resume", stopped, false, true, false},
		{"before the first step", protocol.Message{Type: protocol.MsgSnapshot}, false, false, false},
		{"an error is no snapshot", protocol.Message{Type: protocol.MsgError, Step: 9}, false, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, StoppedByItself(tc.m, tc.paused, tc.waiting))
		})
	}
}

// TestCurrentKeepsAStaleStopFromPausing replays what the page got in a
// TestSceneSwitchKeepsSearch run that hung: DARTS → RL → DARTS within one
// DARTS step of the engine. Back on DARTS the page had sent commands 1…6
// (pause, start keep, resume for RL; the same for DARTS); the engine then
// posted the step it was in (running, seq 0), the first switch's pause and
// park (stopped, seq 1 and 2), the RL ones (scene rl), and DARTS running
// again (seq 6). Taking every snapshot as current, the page ended its
// waiting on the old "running" and paused itself on the next "stopped";
// with Current it waits for seq 6 and never pauses.
func TestCurrentKeepsAStaleStopFromPausing(t *testing.T) {
	snap := func(running bool, seq int64) protocol.Message {
		return protocol.Message{Type: protocol.MsgSnapshot, Scene: "darts", Step: 40, Running: running, Seq: seq}
	}
	got := []protocol.Message{snap(true, 0), snap(false, 1), snap(false, 2), snap(true, 6), snap(true, 6)}
	const sent = 6
	play := func(current func(protocol.Message) bool) (paused, waiting bool) {
		waiting = true // the page resumed DARTS on coming back
		for _, m := range got {
			cur := current(m)
			if cur && m.Running {
				waiting = false
			}
			if cur && StoppedByItself(m, paused, waiting) {
				paused = true
			}
		}
		return paused, waiting
	}
	paused, waiting := play(func(m protocol.Message) bool { return Current(m, sent) })
	assert.False(t, paused, "a stopped snapshot from before the switch paused the page")
	assert.False(t, waiting, "the running snapshot after the resume ends the wait")
	paused, _ = play(func(protocol.Message) bool { return true })
	assert.True(t, paused, "without Current the stale snapshots pause the page (the hang)")

	assert.True(t, Current(protocol.Message{Type: protocol.MsgError}, sent), "errors count whenever they come")
	assert.False(t, Current(snap(true, 5), sent))
	assert.True(t, Current(snap(true, 7), sent))
}
