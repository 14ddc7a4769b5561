package rl_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/search/rl"
	"github.com/nasplayground/nas/core/search/sample"
)

// bandit is a one-decision space with two arms.
type bandit struct{}

func (bandit) Name() string                { return "bandit" }
func (bandit) Decisions() []int            { return []int{2} }
func (b bandit) Valid(c []int) error       { return sample.CheckRange(b, c) }
func (bandit) Describe(c []int) string     { return fmt.Sprint("arm ", c[0]) }
func (bandit) DecisionLabels() []string    { return []string{"arm"} }
func (bandit) ChoiceLabels(d int) []string { return []string{"bad", "good"} }

// armReward pays 1 for arm 1 and 0 for arm 0, plus uniform noise in ±0.25.
type armReward struct{ rng *rand.Rand }

func (a armReward) Evaluate(c []int) (float64, error) {
	return float64(c[0]) + 0.5*(a.rng.Float64()-0.5), nil
}

func TestBanditMovesToBetterArm(t *testing.T) {
	cases := []struct {
		name      string
		lr        float64
		wantP     float64 // P(good arm) after 300 steps, from 0.5
		wantPulls float64 // good-arm pulls among the last 100
	}{
		{"lr 1e-2", 1e-2, 0.95, 90},
		{"default lr 3.5e-4", 0, 0.7, 65},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := rl.DefaultConfig(300, 1)
			cfg.Controller.Hidden = 16
			if tc.lr > 0 {
				cfg.LR = tc.lr
			}
			s := rl.New(bandit{}, armReward{rand.New(rand.NewPCG(9, 9))}, cfg)
			ev, err := s.Step()
			require.NoError(t, err)
			assert.InDelta(t, 0.5, ev.Probs[0][1], 0.1, "initial P(good arm)")
			var pulls []float64
			for !s.Done() {
				ev, err = s.Step()
				require.NoError(t, err)
				pulls = append(pulls, float64(ev.Choices[0]))
			}
			assert.Greater(t, ev.Probs[0][1], tc.wantP, "P(good arm) after 300 steps")
			var good float64
			for _, c := range pulls[len(pulls)-100:] {
				good += c
			}
			assert.Greater(t, good, tc.wantPulls, "good arm pulls in the last 100")
		})
	}
}

type nb201Like struct{}

func (nb201Like) Name() string              { return "toy" }
func (nb201Like) Decisions() []int          { return []int{5, 5, 5, 5, 5, 5} }
func (s nb201Like) Valid(c []int) error     { return sample.CheckRange(s, c) }
func (nb201Like) Describe(c []int) string   { return fmt.Sprint(c) }
func (nb201Like) DecisionLabels() []string  { return make([]string, 6) }
func (nb201Like) ChoiceLabels(int) []string { return make([]string, 5) }

// sumReward rewards the sum of the choices (optimum: all 4).
type sumReward struct{}

func (sumReward) Evaluate(c []int) (float64, error) {
	s := 0
	for _, v := range c {
		s += v
	}
	return float64(s), nil
}

func run(t *testing.T, s *rl.Searcher, n int) []string {
	var trace []string
	for range n {
		ev, err := s.Step()
		require.NoError(t, err)
		trace = append(trace, fmt.Sprint(ev.Choices, ev.Reward, ev.Baseline, ev.LogProb))
	}
	return trace
}

func TestDeterministicAndResumable(t *testing.T) {
	cfg := rl.DefaultConfig(40, 7)
	cfg.Controller.Hidden = 12
	a := run(t, rl.New(nb201Like{}, sumReward{}, cfg), 40)
	b := run(t, rl.New(nb201Like{}, sumReward{}, cfg), 40)
	assert.Equal(t, a, b)

	// Save after 15 steps, restore into a fresh searcher, continue.
	s := rl.New(nb201Like{}, sumReward{}, cfg)
	run(t, s, 15)
	data, err := s.MarshalBinary()
	require.NoError(t, err)
	r := rl.New(nb201Like{}, sumReward{}, rl.DefaultConfig(40, 99))
	require.NoError(t, r.UnmarshalBinary(data))
	assert.Equal(t, a[15:], run(t, r, 25))
	assert.True(t, r.Done())
	assert.Error(t, rl.New(bandit{}, sumReward{}, cfg).UnmarshalBinary(data))
}

func TestSamplesValidOnMicroSpace(t *testing.T) {
	ops := []string{"none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"}
	space := sample.DARTSMicroSpace(ops, 4)
	cfg := rl.DefaultConfig(50, 3)
	cfg.Controller.Hidden = 16
	s := rl.New(space, sumReward{}, cfg)
	for !s.Done() {
		ev, err := s.Step()
		require.NoError(t, err)
		require.NoError(t, space.Valid(ev.Choices))
		require.Len(t, ev.Probs, 32)
	}
}
