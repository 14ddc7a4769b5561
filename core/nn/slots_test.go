package nn_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// TestWeightGradSlotsReused: with fewer images than kernel slots, the weight
// gradients of ReLUSepBN, Conv2D and a depthwise Conv2D come out as with one
// worker even when the tape hands the per-slot accumulators back dirty (a
// larger batch filled every slot first).
func TestWeightGradSlotsReused(t *testing.T) {
	defer nn.SetThreads(nn.Threads())
	const c, f, h, w = 4, 6, 8, 8
	rng := tensor.NewRNG(7)
	wdw := param(uniform(rng, -1, 1, c, 1, 3, 3), "wdw")
	wpw := param(uniform(rng, -1, 1, f, c, 1, 1), "wpw")
	wc := param(uniform(rng, -1, 1, f, c, 3, 3), "wc")
	big := uniform(rng, -1, 1, 40, c, h, w)
	small := uniform(rng, -1, 1, 3, c, h, w)
	loss := func(tp *autograd.Tape, xt *tensor.Tensor) {
		x := autograd.Const(xt)
		st := nn.NewBNStats(f)
		a := nn.ReLUSepBN(tp, x, wdw, wpw, nn.Square(1, 1, 1, c), st, true)
		b := nn.Conv2D(tp, x, wc, nil, nn.Square(1, 1, 1, 1))
		d := nn.Conv2D(tp, x, wdw, nil, nn.Square(1, 1, 1, c))
		y := nn.Add(tp, a, b, nn.Conv2D(tp, d, wpw, nil, nn.ConvOpts{}))
		tp.BackwardWith(y, y.Value.Clone())
	}
	grads := func() [][]float32 {
		var out [][]float32
		for _, p := range []*autograd.Var{wdw, wpw, wc} {
			out = append(out, append([]float32(nil), p.Grad.Data...))
			p.ZeroGrad()
		}
		return out
	}
	nn.SetThreads(1)
	tp := autograd.NewTape()
	loss(tp, small)
	want := grads()
	nn.SetThreads(8)
	tp = autograd.NewTape()
	loss(tp, big)
	tp.Reset()
	grads()
	loss(tp, small)
	got := grads()
	for k := range want {
		for i := range want[k] {
			require.InDelta(t, want[k][i], got[k][i], float64(1e-4*(1+abs32(want[k][i]))), "param %d element %d", k, i)
		}
	}
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}
