package model_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// The search network with its fused units computes what the module chains
// compute: the same logits, weight and α gradients and running statistics,
// through a normal and a reduction cell (every DARTS op, strides 1 and 2),
// with one kernel worker (the units one after the other) and with two (a
// step's ops side by side, autograd.Tape.Fork: the same bits whichever worker
// took which op).
func TestSearchNetFusedMatchesChains(t *testing.T) {
	defer model.SetFusion(true)
	defer nn.SetThreads(nn.Threads())
	cfg := model.DefaultSearchConfig()
	cfg.C, cfg.Layers = 4, 3
	rng := tensor.NewRNG(1)
	x := tensor.New(3, 3, 8, 8)
	rng.Uniform(x, -1, 1)
	labels := []int32{1, 7, 3}
	type result struct {
		logits []float32
		grads  [][]float32
		stats  [][]float32
	}
	run := func(fused bool, threads int) result {
		model.SetFusion(fused)
		nn.SetThreads(threads)
		net, err := model.NewSearchNet(cfg, tensor.NewRNG(2))
		require.NoError(t, err)
		tp := autograd.NewTape()
		ctx := &nn.Ctx{Tape: tp, Training: true, RNG: tensor.NewRNG(3)}
		logits := net.Forward(ctx, autograd.Const(x))
		loss := nn.CrossEntropy(tp, logits, labels)
		tp.Backward(loss)
		var r result
		r.logits = append(r.logits, logits.Value.Data...)
		for _, p := range append(net.Weights(), net.Alphas()...) {
			require.NotNil(t, p.Grad, p.Name)
			r.grads = append(r.grads, append([]float32(nil), p.Grad.Data...))
		}
		for _, b := range net.Buffers() {
			r.stats = append(r.stats, append([]float32(nil), b.Data...))
		}
		return r
	}
	want := run(false, 1)
	near := func(a, b []float32, what string, i int) {
		require.Len(t, b, len(a))
		for j := range a {
			d := float64(a[j] - b[j])
			require.LessOrEqual(t, d*d, 1e-8*max(1, float64(a[j]*a[j])), "%s %d[%d]: chains %g, fused %g", what, i, j, a[j], b[j])
		}
	}
	for _, threads := range []int{1, 2} {
		got := run(true, threads)
		near(want.logits, got.logits, "logits", 0)
		for i := range want.grads {
			near(want.grads[i], got.grads[i], "grad", i)
		}
		for i := range want.stats {
			near(want.stats[i], got.stats[i], "buffer", i)
		}
		if threads == 2 {
			require.Equal(t, got, run(true, 2), "a second run with 2 workers")
		}
	}
}
