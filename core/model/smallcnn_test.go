package model_test

import (
	"testing"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/tensor"
)

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
