package run_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/run"
	"github.com/nasplayground/nas/core/search"
)

// An OnEvent returning run.StopRun ends the run at that event without error,
// with the reason and a checkpoint holding that state (so the front end
// still writes its answer and a resume starts there).
func TestDriveStopRun(t *testing.T) {
	cfg := compareConfig(20, 1)
	cfg.Method, cfg.Sampling.Methods = "random", nil
	r, err := run.New(cfg, run.Data{})
	require.NoError(t, err)
	ck := filepath.Join(t.TempDir(), "checkpoint.bin")
	var last search.Event
	o, err := run.Drive(context.Background(), r, run.Hooks{Checkpoint: ck, OnEvent: func(ev search.Event, _ run.Progress) error {
		last = ev
		if ev.Step == 7 {
			return run.StopRun{Reason: "enough"}
		}
		return nil
	}})
	require.NoError(t, err)
	assert.Equal(t, run.Stopped, o.Stop)
	assert.Equal(t, "enough", o.Reason)
	assert.Equal(t, 7, o.Iterations)
	assert.True(t, o.Saved)
	assert.False(t, r.Done())
	c, err := run.Load(ck)
	require.NoError(t, err)
	back, err := run.Resume(c, c.Config, run.Data{}, false)
	require.NoError(t, err)
	assert.Equal(t, 7, back.Iterations())
	o, err = run.Drive(context.Background(), back, run.Hooks{})
	require.NoError(t, err)
	assert.Equal(t, run.Finished, o.Stop)
	assert.Equal(t, 13, o.Iterations, "the rest of the 20 samples")
	assert.Equal(t, 7, last.Step)
}
