package darts

import (
	"math"
	"testing"

	"github.com/nasplayground/nas/core/internal/kernels"
	"github.com/nasplayground/nas/core/search"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tinyConfig() Config {
	cfg := DefaultConfig()
	cfg.C, cfg.Layers, cfg.Batch, cfg.Epochs = 4, 3, 16, 3
	cfg.LR, cfg.LRMin, cfg.ArchLR = 0.05, 0.01, 3e-3
	cfg.Augment = false
	cfg.Seed = 11
	return cfg
}

func run(t *testing.T, s *Search, steps int) []search.Event {
	var evs []search.Event
	for i := 0; i < steps && !s.Done(); i++ {
		ev, err := s.Step()
		require.NoError(t, err)
		evs = append(evs, ev)
	}
	return evs
}

func TestSearchLearnsAndAlternates(t *testing.T) {
	cfg := tinyConfig()
	cfg.Epochs = 4
	s, err := New(cfg, synthetic(128, 8, 2))
	require.NoError(t, err)
	evs := run(t, s, 1000)
	require.True(t, s.Done())
	var epochs []search.Event
	for i, ev := range evs {
		if ev.Kind == search.KindEpoch {
			epochs = append(epochs, ev)
			continue
		}
		if i > 0 && evs[i-1].Kind == search.KindStep {
			assert.NotEqual(t, evs[i-1].Phase, ev.Phase, "halves alternate")
		}
		if ev.Phase == search.PhaseAlpha {
			require.Len(t, ev.AlphaNormal, 14)
			require.Len(t, ev.AlphaNormal[0], 8)
			assert.NotEmpty(t, ev.Genotype)
		}
	}
	require.Len(t, epochs, 4)
	// 64 training images / batch 16 = 4 iterations = 8 halves per epoch + 1 evaluation
	assert.Len(t, evs, 4*9)
	assert.Less(t, epochs[3].TrainLoss, epochs[0].TrainLoss, "training loss falls")
	assert.Greater(t, epochs[3].ValAcc, 0.5, "well above chance (0.25) on the easy problem")
}

func TestSearchDeterministic(t *testing.T) {
	trace := func() ([]float64, string) {
		s, err := New(tinyConfig(), synthetic(64, 8, 2))
		require.NoError(t, err)
		var losses []float64
		for _, ev := range run(t, s, 9) {
			losses = append(losses, ev.TrainLoss+ev.ValLoss)
		}
		g, err := s.Genotype()
		require.NoError(t, err)
		return losses, g.String()
	}
	l1, g1 := trace()
	l2, g2 := trace()
	assert.Equal(t, l1, l2)
	assert.Equal(t, g1, g2)
}

// A resumed single-threaded search gives the same α and genotype as an
// uninterrupted one, whether stopped between iterations or between halves.
func TestResumeEqualsUninterrupted(t *testing.T) {
	defer kernels.SetWorkers(kernels.Workers())
	kernels.SetWorkers(1)
	for _, stopAt := range []int{4, 7} { // between iterations; between the halves of one
		cfg := tinyConfig()
		cfg.Threads, cfg.Epochs = 1, 2
		ds := synthetic(64, 8, 2)
		full, err := New(cfg, ds)
		require.NoError(t, err)
		run(t, full, 1000)

		part, err := New(cfg, ds)
		require.NoError(t, err)
		run(t, part, stopAt)
		b, err := part.MarshalBinary()
		require.NoError(t, err)
		resumed, err := New(cfg, ds)
		require.NoError(t, err)
		require.NoError(t, resumed.UnmarshalBinary(b))
		run(t, resumed, 1000)

		assert.Equal(t, full.Net.AlphaNormal.Value.Data, resumed.Net.AlphaNormal.Value.Data, "stop at %d", stopAt)
		assert.Equal(t, full.Net.AlphaReduce.Value.Data, resumed.Net.AlphaReduce.Value.Data)
		g1, _ := full.Genotype()
		g2, _ := resumed.Genotype()
		assert.Equal(t, g1.String(), g2.String())
		assert.Len(t, resumed.Snapshot().Epochs, 2)
	}
}

func TestSecondOrderRuns(t *testing.T) {
	cfg := tinyConfig()
	cfg.Order = 2
	s, err := New(cfg, synthetic(64, 8, 2))
	require.NoError(t, err)
	evs := run(t, s, 4)
	assert.Equal(t, search.PhaseAlpha, evs[0].Phase)
	assert.Greater(t, evs[0].ValLoss, 0.0)
}

func TestBadCheckpoint(t *testing.T) {
	s, err := New(tinyConfig(), synthetic(64, 8, 2))
	require.NoError(t, err)
	assert.ErrorContains(t, s.UnmarshalBinary([]byte("hello")), "darts state does not decode")
	b, err := s.MarshalBinary()
	require.NoError(t, err)
	assert.Error(t, s.UnmarshalBinary(b[:len(b)/2]))
	other, err := New(func() Config { c := tinyConfig(); c.C = 6; return c }(), synthetic(64, 8, 2))
	require.NoError(t, err)
	assert.ErrorContains(t, other.UnmarshalBinary(b), "values, want")
	s.Net.AlphaNormal.Value.Data[3] = float32(math.Inf(1))
	_, err = s.MarshalBinary()
	var nf *search.NonFiniteError
	assert.ErrorAs(t, err, &nf, "a non-finite state is not saved")
}

func TestConfigErrors(t *testing.T) {
	for _, mut := range []func(*Config){
		func(c *Config) { c.C = 3 },
		func(c *Config) { c.Order = 3 },
		func(c *Config) { c.Ops = "foo" },
		func(c *Config) { c.TrainPortion = 1 },
	} {
		cfg := tinyConfig()
		mut(&cfg)
		_, err := New(cfg, synthetic(8, 8, 1))
		assert.Error(t, err)
	}
}
