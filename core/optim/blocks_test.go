package optim_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/tensor"
)

// bigParams returns parameters whose sizes straddle the optimisers' blocks
// (several blocks, pieces of one parameter in two blocks, an empty and a
// gradient-less parameter), with gradients for the given step.
func bigParams(step int) []*autograd.Var {
	var ps []*autograd.Var
	for k, n := range []int{70000, 5, 0, 40000, 16384, 3} {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(math.Cos(float64(k*131 + i)))
		}
		p := autograd.Param(tensor.FromData(v, n), "p")
		if k != 4 {
			p.Grad = tensor.New(n)
		}
		ps = append(ps, p)
	}
	setGrads(ps, step)
	return ps
}

func setGrads(ps []*autograd.Var, step int) {
	for k, p := range ps {
		if p.Grad == nil {
			continue
		}
		for i := range p.Grad.Data {
			p.Grad.Data[i] = float32(math.Sin(float64(7*step+3*k+i+1))) * 3
		}
	}
}

// TestParallelStepsMatchSerial: SGD, Adam and clipping spread over the kernel
// workers give bit for bit what one worker gives, over several steps.
func TestParallelStepsMatchSerial(t *testing.T) {
	defer nn.SetThreads(nn.Threads())
	run := func(threads int) (sgd, adam [][]float32, norms []float64) {
		nn.SetThreads(threads)
		ps, pa := bigParams(0), bigParams(0)
		so := optim.NewSGD(ps, 0.1, 0.9, 3e-4, false)
		ao := optim.NewAdam(pa, 3e-4, 0.5, 0.999, 1e-8, 1e-3)
		for step := 0; step < 3; step++ {
			setGrads(ps, step)
			setGrads(pa, step)
			norms = append(norms, optim.ClipGradNorm(ps, 5), optim.GradNorm(pa))
			so.Step()
			ao.Step()
		}
		return snapshot(ps), snapshot(pa), norms
	}
	s1, a1, n1 := run(1)
	for _, th := range []int{2, 3, 8} {
		s, a, n := run(th)
		require.Equal(t, s1, s, "SGD at %d threads", th)
		require.Equal(t, a1, a, "Adam at %d threads", th)
		require.Equal(t, n1, n, "norms at %d threads", th)
	}
	// the blocked norm against a plain float64 sum
	ps := bigParams(1)
	var ss float64
	for _, p := range ps {
		if p.Grad != nil {
			for _, g := range p.Grad.Data {
				ss += float64(g) * float64(g)
			}
		}
	}
	require.InDelta(t, math.Sqrt(ss), optim.GradNorm(ps), 1e-9*math.Sqrt(ss))
}
