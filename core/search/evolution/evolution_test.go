package evolution_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/search/evolution"
	"github.com/nasplayground/nas/core/search/sample"
)

var ops = []string{"none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3"}

// sumReward rewards the sum of the choices.
type sumReward struct{}

func (sumReward) Evaluate(c []int) (float64, error) {
	s := 0
	for _, v := range c {
		s += v
	}
	return float64(s), nil
}

func TestRemovesOldest(t *testing.T) {
	space := sample.DARTSMicroSpace(ops, 3)
	cfg := evolution.Config{Population: 10, SampleSize: 3, Samples: 60, Seed: 1}
	s, err := evolution.New(space, sumReward{}, cfg)
	require.NoError(t, err)
	for !s.Done() {
		before := s.Population()
		ev, err := s.Step()
		require.NoError(t, err)
		require.NoError(t, space.Valid(ev.Choices))
		pop := s.Population()
		var born int
		if _, err := fmt.Sscanf(ev.Message, "mutated parent born at step %d", &born); err == nil {
			found := false
			for _, ind := range before { // the parent was in the population before the step
				if ind.Born == born {
					found = true
					diff := 0
					for d := range ind.Choices {
						if ind.Choices[d] != ev.Choices[d] {
							diff++
						}
					}
					assert.Equal(t, 1, diff, "child differs from its parent in one decision")
				}
			}
			assert.True(t, found, "parent born at %d in the population", born)
		}
		n := min(ev.Step, 10)
		require.Len(t, pop, n)
		for i, ind := range pop { // the last n children, oldest first: aging, not fitness, removes
			assert.Equal(t, ev.Step-n+1+i, ind.Born)
		}
		assert.Equal(t, ev.Choices, pop[n-1].Choices)
		if ev.Step > 10 { // a child is one mutation away from some individual of the previous population
			assert.Contains(t, ev.Message, "mutated")
		}
	}
	// Selection pressure: a uniform architecture scores 36 on average here
	// (inputs 2·(0.5+1+1.5), ops 6·2, per cell), the optimum 72.
	var mean float64
	for _, ind := range s.Population() {
		mean += ind.Reward / 10
	}
	assert.Greater(t, mean, 45.0)
}

func TestDeterministic(t *testing.T) {
	space := sample.DARTSMicroSpace(ops, 4)
	trace := func() []string {
		s, err := evolution.New(space, sumReward{}, evolution.DefaultConfig(300, 5))
		require.NoError(t, err)
		var tr []string
		for !s.Done() {
			ev, err := s.Step()
			require.NoError(t, err)
			tr = append(tr, fmt.Sprint(ev.Choices))
		}
		return tr
	}
	assert.Equal(t, trace(), trace())
}

func TestConfigErrors(t *testing.T) {
	_, err := evolution.New(sample.DARTSMicroSpace(ops, 4), sumReward{}, evolution.Config{Population: 5, SampleSize: 6})
	assert.Error(t, err)
}
