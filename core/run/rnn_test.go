package run_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/rnn"
	"github.com/nasplayground/nas/core/run"
)

// TestDriveRNN drives the registered recurrent-cell search to its end on a
// toy text in the PTB layout and checks its answer is a recurrent genotype.
func TestDriveRNN(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, rnn.WriteToyPTB(dir))
	cfg := run.DefaultConfig()
	cfg.Method, cfg.Space = rnn.Method, run.SpaceRNN
	cfg.RNN = rnn.DefaultRunConfig(dir)
	cfg.RNN.Hidden, cfg.RNN.Nodes, cfg.RNN.Iters, cfg.RNN.EvalEvery = 8, 3, 4, 2
	cfg.RNN.Train.Batch, cfg.RNN.Train.BPTT = 4, 5
	r, err := run.New(cfg, run.Data{})
	require.NoError(t, err)
	assert.Equal(t, 4, r.Total())
	o, err := run.Drive(context.Background(), r, run.Hooks{})
	require.NoError(t, err)
	assert.Equal(t, run.Finished, o.Stop)
	assert.Equal(t, 4, r.Iterations())
	g, err := genotype.ParseRecurrent(r.Genotype())
	require.NoError(t, err)
	assert.Len(t, g.Nodes, 3)
	assert.Contains(t, run.MethodsOn(run.SpaceRNN), rnn.Method)
}
