package model

import (
	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// SmallCNN is the network of Karpathy's ConvNetJS CIFAR-10 demo (the page's
// peer and shared/bench/small_cnn_torch.py): 32×32×3 → [conv 5×5 (pad 2,
// bias) → ReLU → max pool 2/2] with 16, 20, 20 filters → linear 320 → 10.
// 22,466 parameters, 3.92 M MACs per image forward.
type SmallCNN struct {
	Convs [3]*nn.Conv
	FC    *nn.Dense
}

// NewSmallCNN builds the network with PyTorch's default initialisation.
func NewSmallCNN(rng *tensor.RNG) *SmallCNN {
	m := &SmallCNN{}
	in := 3
	for i, f := range []int{16, 20, 20} {
		m.Convs[i] = nn.NewConv(rng, in, f, 5, 5, nn.Square(1, 2, 1, 1), true)
		in = f
	}
	m.FC = nn.NewDense(rng, 320, 10)
	return m
}

// Forward returns logits (N, 10) for x (N, 3, 32, 32).
//
// Each stage runs max pool before ReLU: max commutes with the non-decreasing
// ReLU, so ReLU(pool(x)) = pool(ReLU(x)) and the gradients are the same
// (TestSmallCNNPoolReLUOrder), with ReLU on a quarter of the values.
func (m *SmallCNN) Forward(ctx *nn.Ctx, x *autograd.Var) *autograd.Var {
	for _, c := range m.Convs {
		x = nn.ReLU(ctx.Tape, nn.MaxPool2D(ctx.Tape, c.Forward(ctx, x), 2, 2, 0))
	}
	return m.FC.Forward(ctx, x)
}

// Params returns all weights.
func (m *SmallCNN) Params() []*autograd.Var {
	var ps []*autograd.Var
	for _, c := range m.Convs {
		ps = append(ps, c.Params()...)
	}
	return append(ps, m.FC.Params()...)
}
