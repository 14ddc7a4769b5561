package enas_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/search"
	"github.com/nasplayground/nas/core/search/enas"
)

// noise returns n random 3×8×8 images with random labels of 3 classes.
func noise(n int) *data.Dataset {
	rng := rand.New(rand.NewPCG(5, 5))
	d := &data.Dataset{Name: "noise", N: n, C: 3, H: 8, W: 8, Pixels: make([]uint8, n*192), Labels: make([]uint8, n),
		Classes: []string{"a", "b", "c"}}
	for i := range d.Pixels {
		d.Pixels[i] = uint8(rng.IntN(256))
	}
	for i := range d.Labels {
		d.Labels[i] = uint8(rng.IntN(3))
	}
	return d
}

func newTiny(t *testing.T, samples int) *enas.Searcher {
	cfg := enas.DefaultConfig(samples, 3)
	cfg.Child.C, cfg.Child.Layers, cfg.Child.Batch = 4, 3, 8
	s, err := enas.New(cfg, noise(48))
	require.NoError(t, err)
	return s
}

func run(t *testing.T, s *enas.Searcher, k int) []search.Event {
	var evs []search.Event
	for range k {
		ev, err := s.Step()
		require.NoError(t, err)
		evs = append(evs, ev)
	}
	return evs
}

func TestStepEvents(t *testing.T) {
	s := newTiny(t, 3)
	evs := run(t, s, 3)
	assert.True(t, s.Done())
	for i, ev := range evs {
		assert.Equal(t, search.KindSample, ev.Kind)
		assert.Equal(t, enas.Method, ev.Method)
		assert.Equal(t, "darts", ev.Space)
		assert.Equal(t, i+1, ev.Step)
		assert.Len(t, ev.Choices, 32)
		assert.Contains(t, ev.Arch, "Genotype(normal=[")
		assert.Equal(t, ev.ValAcc, ev.Reward, "the reward is the validation-minibatch accuracy")
		assert.Equal(t, 16, ev.Images) // one training and one validation minibatch of 8
		assert.Greater(t, ev.TrainLoss, 0.0)
		assert.Len(t, ev.Probs, 32)
	}
	// lr anneals by cosine over the 3 samples: 0.025, 0.025·(1+cos(π/3))/2, ...
	assert.InDelta(t, 0.025, evs[0].LR, 1e-12)
	assert.InDelta(t, 0.01875, evs[1].LR, 1e-12)
	snap := s.Snapshot()
	assert.Equal(t, enas.Method, snap.Method)
	assert.Equal(t, evs[2], snap.Last)
	assert.Equal(t, evs, snap.History)
}

// TestDeterministicResume: the same seed gives the same trace, and a
// searcher restored from a checkpoint after 2 steps takes the same third
// step as the uninterrupted one.
func TestDeterministicResume(t *testing.T) {
	a := run(t, newTiny(t, 3), 3)
	s := newTiny(t, 3)
	b := run(t, s, 2)
	st, err := s.MarshalBinary()
	require.NoError(t, err)
	r := newTiny(t, 3)
	require.NoError(t, r.UnmarshalBinary(st))
	b = append(b, run(t, r, 1)...)
	require.Len(t, b, 3)
	for i := range a {
		assert.Equal(t, a[i].Choices, b[i].Choices, "step %d", i+1)
		assert.Equal(t, a[i].Reward, b[i].Reward, "step %d", i+1)
		assert.Equal(t, a[i].TrainLoss, b[i].TrainLoss, "step %d", i+1)
		assert.Equal(t, a[i].Step, b[i].Step)
	}
	assert.Error(t, r.UnmarshalBinary([]byte("junk")))
}
