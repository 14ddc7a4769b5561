package nn

import (
	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/tensor"
)

// The composite blocks of quark0/darts cnn/operations.py, in its ReLU-Conv-BN
// order. affine=false is the search network's setting.

// ReLUConvBN returns ReLU → conv k×k (no bias) → BN.
func ReLUConvBN(rng *tensor.RNG, c, f, k, stride, pad int, affine bool) Seq {
	return Seq{Relu{}, NewConv(rng, c, f, k, k, Square(stride, pad, 1, 1), false), NewBN(f, affine)}
}

// DilConv returns ReLU → depthwise k×k (stride, pad, dilation) → pointwise
// 1×1 c→f → BN.
func DilConv(rng *tensor.RNG, c, f, k, stride, pad, dil int, affine bool) Seq {
	return Seq{
		Relu{},
		NewConv(rng, c, c, k, k, Square(stride, pad, dil, c), false),
		NewConv(rng, c, f, 1, 1, ConvOpts{}, false),
		NewBN(f, affine),
	}
}

// SepConv returns DilConv(c→c, stride) then DilConv(c→f, stride 1), both with
// dilation 1: DARTS applies the separable convolution twice.
func SepConv(rng *tensor.RNG, c, f, k, stride, pad int, affine bool) Seq {
	return append(DilConv(rng, c, c, k, stride, pad, 1, affine), DilConv(rng, c, f, k, 1, pad, 1, affine)...)
}

// ConvPair returns ReLU → conv 1×k (stride (1,s)) → conv k×1 (stride (s,1)) →
// BN: the reference's conv_7x1_1x7 and its 3×3 analogue.
func ConvPair(rng *tensor.RNG, c, k, stride int, affine bool) Seq {
	p := k / 2
	return Seq{
		Relu{},
		NewConv(rng, c, c, 1, k, ConvOpts{SH: 1, SW: stride, PW: p}, false),
		NewConv(rng, c, c, k, 1, ConvOpts{SH: stride, SW: 1, PH: p}, false),
		NewBN(c, affine),
	}
}

// FactorizedReduce halves the resolution without losing pixels: ReLU, then two
// 1×1 stride-2 convolutions to f/2 channels each, the second on x shifted by
// one pixel (x[:, :, 1:, 1:]), concatenated and batch-normalised.
type FactorizedReduce struct {
	Conv1, Conv2 *Conv
	Norm         *BN
}

// NewFactorizedReduce returns FactorizedReduce c→f (f even).
func NewFactorizedReduce(rng *tensor.RNG, c, f int, affine bool) *FactorizedReduce {
	if f%2 != 0 {
		panic(&tensor.ShapeError{Op: "nn.FactorizedReduce", Arg: "f", Got: []int{f}, Want: "an even channel count"})
	}
	o := Square(2, 0, 1, 1)
	return &FactorizedReduce{
		Conv1: NewConv(rng, c, f/2, 1, 1, o, false),
		Conv2: NewConv(rng, c, f/2, 1, 1, o, false),
		Norm:  NewBN(f, affine),
	}
}

// Forward computes BN(concat(conv1(relu x), conv2(relu x[1:, 1:]))).
func (m *FactorizedReduce) Forward(ctx *Ctx, x *autograd.Var) *autograd.Var {
	return m.ForwardReLU(ctx, ReLU(ctx.Tape, x))
}

// ForwardReLU is Forward on an input already passed through ReLU (so a
// search cell can rectify a state once for all the ops that read it).
func (m *FactorizedReduce) ForwardReLU(ctx *Ctx, r *autograd.Var) *autograd.Var {
	a := m.Conv1.Forward(ctx, r)
	b := m.Conv2.Forward(ctx, Crop(ctx.Tape, r, 1, 1))
	return m.Norm.Forward(ctx, Concat(ctx.Tape, a, b))
}

// Params returns both convolutions' weights and the BN's affine parameters.
func (m *FactorizedReduce) Params() []*autograd.Var {
	return append(append(m.Conv1.Params(), m.Conv2.Params()...), m.Norm.Params()...)
}

// Buffers returns the BN running statistics.
func (m *FactorizedReduce) Buffers() []*tensor.Tensor { return m.Norm.Buffers() }

// Pool is a pooling layer as a module (max or average, count_include_pad=False).
type Pool struct {
	Max             bool
	K, Stride, Pad  int
	CountIncludePad bool
}

// Forward applies the pooling.
func (m Pool) Forward(ctx *Ctx, x *autograd.Var) *autograd.Var {
	if m.Max {
		return MaxPool2D(ctx.Tape, x, m.K, m.Stride, m.Pad)
	}
	return AvgPool2D(ctx.Tape, x, m.K, m.Stride, m.Pad, m.CountIncludePad)
}

// Params returns nothing.
func (Pool) Params() []*autograd.Var { return nil }

// Buffers returns nothing.
func (Pool) Buffers() []*tensor.Tensor { return nil }

// Identity passes x through.
type Identity struct{}

// Forward returns x.
func (Identity) Forward(_ *Ctx, x *autograd.Var) *autograd.Var { return x }

// Params returns nothing.
func (Identity) Params() []*autograd.Var { return nil }

// Buffers returns nothing.
func (Identity) Buffers() []*tensor.Tensor { return nil }

// ZeroOp is DARTS' `none`: zeros of the (strided) output shape.
type ZeroOp struct{ Stride int }

// Forward returns zeros shaped like x[:, :, ::s, ::s].
func (m ZeroOp) Forward(ctx *Ctx, x *autograd.Var) *autograd.Var { return Zero(ctx.Tape, x, m.Stride) }

// Params returns nothing.
func (ZeroOp) Params() []*autograd.Var { return nil }

// Buffers returns nothing.
func (ZeroOp) Buffers() []*tensor.Tensor { return nil }
