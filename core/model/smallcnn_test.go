package model_test

import (
	"testing"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/tensor"
	"github.com/stretchr/testify/require"
)

// TestSmallCNNPoolReLUOrder checks that Forward (pool, then ReLU) gives the
// same logits and the same weight gradients, bit for bit, as the reference
// order conv → ReLU → pool (ConvNetJS, small_cnn_torch.py).
func TestSmallCNNPoolReLUOrder(t *testing.T) {
	rng := tensor.NewRNG(3)
	m := model.NewSmallCNN(rng)
	x := tensor.New(4, 3, 32, 32)
	rng.Normal(x, 0, 1)
	y := []int32{1, 7, 3, 0}
	reference := func(ctx *nn.Ctx, v *autograd.Var) *autograd.Var {
		for _, c := range m.Convs {
			v = nn.MaxPool2D(ctx.Tape, nn.ReLU(ctx.Tape, c.Forward(ctx, v)), 2, 2, 0)
		}
		return m.FC.Forward(ctx, v)
	}
	run := func(fwd func(*nn.Ctx, *autograd.Var) *autograd.Var) ([]float32, [][]float32) {
		tp := autograd.NewTape()
		autograd.ZeroGrads(m.Params())
		logits := fwd(&nn.Ctx{Tape: tp, Training: true}, autograd.Const(x))
		out := append([]float32(nil), logits.Value.Data...)
		tp.Backward(nn.CrossEntropy(tp, logits, y))
		var grads [][]float32
		for _, p := range m.Params() {
			grads = append(grads, append([]float32(nil), p.Grad.Data...))
		}
		return out, grads
	}
	gotY, gotG := run(m.Forward)
	wantY, wantG := run(reference)
	require.Equal(t, wantY, gotY)
	require.Equal(t, wantG, gotG)
}

// BenchmarkSmallCNNStep is one SGD training step of the ConvNetJS demo net
// on a batch of 32 (shared/bench/small_cnn_torch.py's workload), on the
// workers nn is configured with.
func BenchmarkSmallCNNStep(b *testing.B) {
	rng := tensor.NewRNG(0)
	m := model.NewSmallCNN(rng)
	opt := optim.NewSGD(m.Params(), 0.01, 0.9, 0, false)
	x := tensor.New(32, 3, 32, 32)
	rng.Normal(x, 0, 1)
	y := make([]int32, 32)
	for i := range y {
		y[i] = int32(rng.IntN(10))
	}
	tp := autograd.NewTape()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l := nn.CrossEntropy(tp, m.Forward(&nn.Ctx{Tape: tp, Training: true}, autograd.Const(x)), y)
		autograd.ZeroGrads(m.Params())
		tp.Backward(l)
		opt.Step()
		tp.Reset()
	}
	b.ReportMetric(float64(32*b.N)/b.Elapsed().Seconds(), "img/s")
}
