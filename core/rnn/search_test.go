package rnn_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/rnn"
	"github.com/nasplayground/nas/core/search"
)

// TestSearcherResume: a search saved after 3 steps and restored into a new
// Searcher gives the same losses, perplexity and genotype as one run of 6.
func TestSearcherResume(t *testing.T) {
	for _, g := range []string{"", "DARTS_RNN_V1"} {
		t.Run("genotype="+g, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, rnn.WriteToyPTB(dir))
			cfg := rnn.DefaultRunConfig(dir)
			cfg.Genotype, cfg.Hidden, cfg.Nodes, cfg.Iters, cfg.EvalEvery, cfg.EvalTokens = g, 8, 3, 6, 3, 0
			cfg.Train.Batch, cfg.Train.BPTT = 4, 5
			run := func(s *rnn.Searcher, n int) (evs []search.Event) {
				for range n {
					ev, err := s.Step()
					require.NoError(t, err)
					ev.Elapsed, ev.StepSeconds = 0, 0
					evs = append(evs, ev)
				}
				return evs
			}
			whole, err := rnn.NewSearcher(cfg)
			require.NoError(t, err)
			want := run(whole, 6)
			assert.True(t, whole.Done())
			assert.Equal(t, search.KindEpoch, want[2].Kind)
			assert.Equal(t, search.KindEpoch, want[5].Kind)
			assert.NotEmpty(t, want[5].Genotype)

			first, err := rnn.NewSearcher(cfg)
			require.NoError(t, err)
			got := run(first, 3)
			b, err := first.MarshalBinary()
			require.NoError(t, err)
			second, err := rnn.NewSearcher(cfg)
			require.NoError(t, err)
			require.NoError(t, second.UnmarshalBinary(b))
			got = append(got, run(second, 3)...)
			assert.Equal(t, want, got)
		})
	}
}
