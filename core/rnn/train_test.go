package rnn_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/rnn"
	"github.com/nasplayground/nas/core/tensor"
)

// toyText is a stream with learnable structure: word k is followed by k+1
// (mod V) most of the time.
func toyText(n, v int, seed uint64) []int32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	ids := make([]int32, n)
	for i := 1; i < n; i++ {
		ids[i] = (ids[i-1] + 1) % int32(v)
		if rng.IntN(10) == 0 {
			ids[i] = int32(rng.IntN(v))
		}
	}
	return ids
}

// TestTrainLowersPerplexity trains the fixed DARTS_RNN_V2 cell and the search
// cell on the toy text: held-out perplexity drops well below the uniform V.
func TestTrainLowersPerplexity(t *testing.T) {
	const v = 12
	ids, held := toyText(3000, v, 1), toyText(600, v, 2)
	g := genotype.DARTS_RNN_V2.Clone()
	for _, tc := range []struct {
		name string
		g    *genotype.Recurrent
	}{{"DARTS_RNN_V2", &g}, {"search", nil}} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := rnn.New(rnn.Config{Vocab: v, Hidden: 16, Steps: 4}, tc.g, tensor.NewRNG(3))
			require.NoError(t, err)
			cfg := rnn.DefaultTrainConfig()
			cfg.Batch, cfg.BPTT = 8, 10
			tr, err := rnn.NewTrainer(m, cfg, ids)
			require.NoError(t, err)
			before := tr.Perplexity(held, 4)
			assert.InDelta(t, v, before, 1, "untrained: about uniform")
			for range 200 {
				_, err := tr.Step()
				require.NoError(t, err)
			}
			after := tr.Perplexity(held, 4)
			t.Logf("perplexity %.2f → %.2f", before, after)
			assert.Less(t, after, before/2)
			assert.False(t, math.IsNaN(after))
			if m.Alpha != nil {
				r, err := m.Derive()
				require.NoError(t, err)
				assert.NoError(t, r.Validate())
			}
		})
	}
}
