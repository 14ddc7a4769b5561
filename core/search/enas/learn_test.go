package enas_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/search/enas"
	"github.com/nasplayground/nas/core/search/rl"
	"github.com/nasplayground/nas/core/search/sample"
)

// targetOp is a toy reward on the ENAS micro space: the fraction of the
// cell's op decisions (decision d with d%4 ≥ 2) that pick op `want`. Its
// optimum is known and the controller starts near uniform (P = 1/len(ops)).
type targetOp struct {
	space sample.Space
	want  int
}

func (r targetOp) Evaluate(c []int) (float64, error) {
	var hit, n float64
	for d, v := range c {
		if d%4 >= 2 {
			n++
			if v == r.want {
				hit++
			}
		}
	}
	return hit / n, nil
}

// meanP is the mean probability of op want over the op decisions.
func meanP(probs [][]float64, want int) float64 {
	var s, n float64
	for d, p := range probs {
		if d%4 >= 2 {
			s += p[want]
			n++
		}
	}
	return s / n
}

// The ENAS controller, on the space and with the settings of an ENAS search
// (enas.DefaultConfig, the space of its shared supernet), learns to pick the
// op a toy reward pays for: from P ≈ 1/7 to over 0.5 in 300 samples, and the
// reward it collects rises accordingly. Only the learning rate is raised
// (5e-3 instead of 3.5e-4) so the toy converges in a unit test's budget; the
// update, baseline and entropy bonus are ENAS's.
func TestControllerLearnsToyReward(t *testing.T) {
	s := newTiny(t, 1)
	space := s.Shared.Space
	ops := space.ChoiceLabels(2)
	want := slices.Index(ops, "sep_conv_3x3")
	require.GreaterOrEqual(t, want, 0, "ops %v", ops)

	cfg := enas.DefaultConfig(300, 3).RL
	cfg.LR = 5e-3
	r := rl.New(space, targetOp{space, want}, cfg)
	var first, last []float64
	var p0, p float64
	for i := 0; !r.Done(); i++ {
		ev, err := r.Step()
		require.NoError(t, err)
		if i == 0 {
			p0 = meanP(ev.Probs, want)
		}
		p = meanP(ev.Probs, want)
		if i < 50 {
			first = append(first, ev.Reward)
		}
		if i >= 250 {
			last = append(last, ev.Reward)
		}
	}
	t.Logf("P(%s) %.3f → %.3f; mean reward of the first 50 samples %.3f, of the last 50 %.3f",
		ops[want], p0, p, mean(first), mean(last))
	assert.InDelta(t, 1/float64(len(ops)), p0, 0.05, "starts near uniform")
	assert.Greater(t, p, 0.5)
	assert.Greater(t, mean(last), mean(first)+0.3)
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}
