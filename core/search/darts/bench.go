package darts

import (
	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/tensor"
)

// Bench is the timed work of shared/bench/darts_search_step.py on one
// supernet with random resident data: WeightStep = forward, cross-entropy,
// backward, clip 5, SGD(0.025, 0.9, 3e-4) step; ArchStep = forward on the
// val batch, backward, Adam(3e-4, (0.5, 0.999), 1e-3) on α.
type Bench struct {
	Net   *model.SearchNet
	x, xv *tensor.Tensor
	y, yv []int32
	sgd   *optim.SGD
	arch  *Architect
	tape  *autograd.Tape
}

// NewBench builds the supernet (C, layers) for size×size images and batch.
// alphasOnly freezes w during the α backward (`--arch-grads alphas-only`).
func NewBench(c, layers, batch, size, classes int, alphasOnly bool, seed uint64) (*Bench, error) {
	cfg := model.DefaultSearchConfig()
	cfg.C, cfg.Layers, cfg.Classes = c, layers, classes
	rng := tensor.NewRNG(seed)
	net, err := model.NewSearchNet(cfg, rng)
	if err != nil {
		return nil, err
	}
	b := &Bench{Net: net, x: tensor.New(batch, 3, size, size), xv: tensor.New(batch, 3, size, size),
		y: make([]int32, batch), yv: make([]int32, batch), tape: autograd.NewTape()}
	rng.Normal(b.x, 0, 1)
	rng.Normal(b.xv, 0, 1)
	for i := range b.y {
		b.y[i], b.yv[i] = int32(rng.IntN(classes)), int32(rng.IntN(classes))
	}
	b.sgd = optim.NewSGD(net.Weights(), 0.025, 0.9, 3e-4, false)
	b.arch = &Architect{Weights: net.Weights(), Alphas: net.Alphas(), AlphasOnly: alphasOnly,
		Opt: optim.NewAdam(net.Alphas(), 3e-4, 0.5, 0.999, 1e-8, 1e-3)}
	return b, nil
}

func (b *Bench) loss(x *tensor.Tensor, y []int32) LossFn {
	return func(tp *autograd.Tape) *autograd.Var {
		return nn.CrossEntropy(tp, b.Net.Forward(&nn.Ctx{Tape: tp, Training: true}, autograd.Const(x)), y)
	}
}

// WeightStep runs one weight step and returns its loss.
func (b *Bench) WeightStep() float64 {
	l, _ := gradOf(b.tape, b.loss(b.x, b.y), b.Net.Weights())
	optim.ClipGradNorm(b.Net.Weights(), 5)
	b.sgd.Step()
	b.tape.Reset()
	return l
}

// ArchStep runs one first-order architecture step and returns its loss.
func (b *Bench) ArchStep() float64 {
	l := b.arch.StepFirstOrder(b.tape, b.loss(b.xv, b.yv))
	b.tape.Reset()
	return l
}
