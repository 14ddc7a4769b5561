package random_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/search/random"
	"github.com/nasplayground/nas/core/search/sample"
)

type constReward struct{}

func (constReward) Evaluate([]int) (float64, error) { return 1, nil }

func TestDeterministicValidUniform(t *testing.T) {
	space := sample.DARTSMicroSpace([]string{"a", "b", "c"}, 4)
	trace := func(seed uint64) ([]string, []int) {
		s := random.New(space, constReward{}, 3000, seed)
		var tr []string
		counts := make([]int, 5) // choices of the first reduce node-5 input (5 options)
		for !s.Done() {
			ev, err := s.Step()
			require.NoError(t, err)
			require.NoError(t, space.Valid(ev.Choices))
			tr = append(tr, fmt.Sprint(ev.Choices))
			counts[ev.Choices[28]]++
		}
		return tr, counts
	}
	a, counts := trace(1)
	b, _ := trace(1)
	c, _ := trace(2)
	assert.Equal(t, a, b)
	assert.NotEqual(t, a, c)
	for _, n := range counts { // 600 expected each; 5σ ≈ 110
		assert.InDelta(t, 600, n, 110)
	}
	s := random.New(space, constReward{}, 3, 1)
	snap := s.Snapshot()
	assert.True(t, snap.Running)
	assert.Equal(t, "random", snap.Method)
}
