package darts

import (
	"testing"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/tensor"
)

// benchStep mirrors shared/bench/darts_search_step.py: random resident data,
// (a) weight step = forward, cross-entropy, backward, clip 5, SGD momentum;
// (b) first-order DARTS iteration = Adam α step on a val batch, then (a).
func benchStep(b *testing.B, c, layers, batch, size int, iteration bool) {
	cfg := model.DefaultSearchConfig()
	cfg.C, cfg.Layers = c, layers
	rng := tensor.NewRNG(0)
	net, err := model.NewSearchNet(cfg, rng)
	if err != nil {
		b.Fatal(err)
	}
	x, xv := tensor.New(batch, 3, size, size), tensor.New(batch, 3, size, size)
	rng.Normal(x, 0, 1)
	rng.Normal(xv, 0, 1)
	y, yv := make([]int32, batch), make([]int32, batch)
	for i := range y {
		y[i], yv[i] = int32(rng.IntN(10)), int32(rng.IntN(10))
	}
	sgd := optim.NewSGD(net.Weights(), 0.025, 0.9, 3e-4, false)
	arch := &Architect{Weights: net.Weights(), Alphas: net.Alphas(), AlphasOnly: true,
		Opt: optim.NewAdam(net.Alphas(), 3e-4, 0.5, 0.999, 1e-8, 1e-3)}
	tp := autograd.NewTape()
	loss := func(x *tensor.Tensor, y []int32) LossFn {
		return func(tp *autograd.Tape) *autograd.Var {
			return nn.CrossEntropy(tp, net.Forward(&nn.Ctx{Tape: tp, Training: true}, autograd.Const(x)), y)
		}
	}
	step := func() {
		if iteration {
			arch.StepFirstOrder(tp, loss(xv, yv))
		}
		gradOf(tp, loss(x, y), net.Weights())
		optim.ClipGradNorm(net.Weights(), 5)
		sgd.Step()
		tp.Reset()
	}
	step()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		step()
	}
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "images/s")
}

func BenchmarkDartsWeightStepBrowser(b *testing.B) { benchStep(b, 8, 5, 32, 16, false) }
func BenchmarkDartsIterationBrowser(b *testing.B)  { benchStep(b, 8, 5, 32, 16, true) }
func BenchmarkDartsWeightStep(b *testing.B)        { benchStep(b, 16, 8, 64, 32, false) }
func BenchmarkDartsIteration(b *testing.B)         { benchStep(b, 16, 8, 64, 32, true) }
