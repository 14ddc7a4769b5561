package pnas_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/nb201"
	"github.com/nasplayground/nas/core/search/pnas"
	"github.com/nasplayground/nas/core/search/random"
)

// TestNB201BeatsRandom runs PNAS and random search with the same budget and
// seeds on the NB201 table: PNAS's mean best accuracy is not lower, and its
// surrogate ranks held-out cells better than chance.
func TestNB201BeatsRandom(t *testing.T) {
	tab, err := nb201.Load()
	require.NoError(t, err)
	eval := nb201.Evaluator{Table: tab, Dataset: "cifar10"}
	const samples = 100
	repeats := 20
	if testing.Short() {
		repeats = 4
	}
	var bestP, bestR, tau float64
	for r := range repeats {
		seed := uint64(1 + r)
		p, err := pnas.New(pnas.NB201{}, eval, pnas.DefaultConfig(samples, seed))
		require.NoError(t, err)
		for !p.Done() {
			_, err := p.Step()
			require.NoError(t, err)
		}
		require.Equal(t, samples, p.Snapshot().Step)
		bestP += p.Best
		tr, n := p.Tau()
		require.Greater(t, n, 50)
		tau += tr
		rs := random.New(nb201.Space{}, eval, samples, seed)
		for !rs.Done() {
			_, err := rs.Step()
			require.NoError(t, err)
		}
		bestR += rs.Best
	}
	bestP, bestR, tau = bestP/float64(repeats), bestR/float64(repeats), tau/float64(repeats)
	t.Logf("pnas %.3f random %.3f τ %.3f", bestP, bestR, tau)
	assert.GreaterOrEqual(t, bestP, bestR)
	assert.Greater(t, tau, 0.2)
}

// TestResume: a search saved after 37 samples and restored into a fresh
// searcher ends with the same events as an uninterrupted one.
func TestResume(t *testing.T) {
	tab, err := nb201.Load()
	require.NoError(t, err)
	eval := nb201.Evaluator{Table: tab, Dataset: "cifar100"}
	cfg := pnas.DefaultConfig(60, 9)
	run := func(s *pnas.Searcher) (archs []string, preds []float64) {
		for !s.Done() {
			ev, err := s.Step()
			require.NoError(t, err)
			archs, preds = append(archs, ev.Arch), append(preds, ev.Predicted)
		}
		return
	}
	whole, err := pnas.New(pnas.NB201{}, eval, cfg)
	require.NoError(t, err)
	wantA, wantP := run(whole)

	first, err := pnas.New(pnas.NB201{}, eval, cfg)
	require.NoError(t, err)
	var gotA []string
	var gotP []float64
	for range 37 {
		ev, err := first.Step()
		require.NoError(t, err)
		gotA, gotP = append(gotA, ev.Arch), append(gotP, ev.Predicted)
	}
	b, err := first.MarshalBinary()
	require.NoError(t, err)
	second, err := pnas.New(pnas.NB201{}, eval, cfg)
	require.NoError(t, err)
	require.NoError(t, second.UnmarshalBinary(b))
	a, p := run(second)
	assert.Equal(t, wantA, append(gotA, a...))
	assert.Equal(t, wantP, append(gotP, p...))
	assert.Equal(t, whole.Best, second.Best)
	wt, _ := whole.Tau()
	st, _ := second.Tau()
	assert.Equal(t, wt, st)
}
