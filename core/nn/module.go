package nn

import (
	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/tensor"
)

// Ctx is what a module's forward pass needs besides its input: the tape, the
// mode (training uses batch statistics, dropout and drop-path) and the RNG
// for stochastic layers.
type Ctx struct {
	Tape     *autograd.Tape
	Training bool
	RNG      *tensor.RNG
	// MACs, when non-nil, accumulates the multiply-accumulates per image of
	// every Conv and Dense layer run (for `--dry-run` reports).
	MACs *int64
}

// Module is a layer or block with parameters.
type Module interface {
	Forward(ctx *Ctx, x *autograd.Var) *autograd.Var
	// Params returns the trainable weights (α excluded), in a fixed order.
	Params() []*autograd.Var
	// Buffers returns non-trainable state saved in checkpoints (BN running stats).
	Buffers() []*tensor.Tensor
}

// Seq runs modules in order.
type Seq []Module

// Forward applies each module in turn.
func (s Seq) Forward(ctx *Ctx, x *autograd.Var) *autograd.Var {
	for _, m := range s {
		x = m.Forward(ctx, x)
	}
	return x
}

// Params concatenates the modules' parameters.
func (s Seq) Params() []*autograd.Var {
	var ps []*autograd.Var
	for _, m := range s {
		ps = append(ps, m.Params()...)
	}
	return ps
}

// Buffers concatenates the modules' buffers.
func (s Seq) Buffers() []*tensor.Tensor {
	var bs []*tensor.Tensor
	for _, m := range s {
		bs = append(bs, m.Buffers()...)
	}
	return bs
}

// CountParams returns the number of scalar weights in ps.
func CountParams(ps []*autograd.Var) int {
	n := 0
	for _, p := range ps {
		n += p.Value.Len()
	}
	return n
}

// Conv is a 2-D convolution layer with PyTorch's default init.
type Conv struct {
	W, B *autograd.Var
	Opts ConvOpts
}

// NewConv returns a conv layer c→f with a kh×kw kernel (bias optional),
// weights Kaiming-uniform(a=√5) as torch.nn.Conv2d initialises them.
func NewConv(rng *tensor.RNG, c, f, kh, kw int, o ConvOpts, bias bool) *Conv {
	o = o.norm()
	w := tensor.New(f, c/o.Groups, kh, kw)
	fanIn := c / o.Groups * kh * kw
	rng.KaimingUniform(w, fanIn)
	cv := &Conv{W: autograd.Param(w, "conv.w"), Opts: o}
	if bias {
		b := tensor.New(f)
		rng.BiasUniform(b, fanIn)
		cv.B = autograd.Param(b, "conv.b")
	}
	return cv
}

// Forward applies the convolution.
func (m *Conv) Forward(ctx *Ctx, x *autograd.Var) *autograd.Var {
	y := Conv2D(ctx.Tape, x, m.W, m.B, m.Opts)
	if ctx.MACs != nil {
		*ctx.MACs += int64(y.Dim(1)*y.Dim(2)*y.Dim(3)) * int64(m.W.Dim(1)*m.W.Dim(2)*m.W.Dim(3))
	}
	return y
}

// Params returns W (and B).
func (m *Conv) Params() []*autograd.Var {
	if m.B != nil {
		return []*autograd.Var{m.W, m.B}
	}
	return []*autograd.Var{m.W}
}

// Buffers returns nothing.
func (m *Conv) Buffers() []*tensor.Tensor { return nil }

// BN is a batch-norm layer; Gamma/Beta are nil when affine is off.
type BN struct {
	Gamma, Beta *autograd.Var
	Stats       *BNStats
}

// NewBN returns batch norm over c channels (γ=1, β=0 when affine).
func NewBN(c int, affine bool) *BN {
	m := &BN{Stats: NewBNStats(c)}
	if affine {
		g := tensor.New(c)
		g.Fill(1)
		m.Gamma, m.Beta = autograd.Param(g, "bn.gamma"), autograd.Param(tensor.New(c), "bn.beta")
	}
	return m
}

// Forward normalises with batch statistics in training, running ones otherwise.
func (m *BN) Forward(ctx *Ctx, x *autograd.Var) *autograd.Var {
	return BatchNorm(ctx.Tape, x, m.Gamma, m.Beta, m.Stats, ctx.Training)
}

// Params returns γ, β when affine.
func (m *BN) Params() []*autograd.Var {
	if m.Gamma == nil {
		return nil
	}
	return []*autograd.Var{m.Gamma, m.Beta}
}

// Buffers returns the running mean and variance.
func (m *BN) Buffers() []*tensor.Tensor { return []*tensor.Tensor{m.Stats.Mean, m.Stats.Var} }

// Relu is ReLU as a module.
type Relu struct{}

// Forward applies max(0, x).
func (Relu) Forward(ctx *Ctx, x *autograd.Var) *autograd.Var { return ReLU(ctx.Tape, x) }

// Params returns nothing.
func (Relu) Params() []*autograd.Var { return nil }

// Buffers returns nothing.
func (Relu) Buffers() []*tensor.Tensor { return nil }

// Dense is a linear layer with PyTorch's default init.
type Dense struct{ W, B *autograd.Var }

// NewDense returns a linear layer c→f (weights and bias U(±1/√c)).
func NewDense(rng *tensor.RNG, c, f int) *Dense {
	w, b := tensor.New(f, c), tensor.New(f)
	rng.KaimingUniform(w, c)
	rng.BiasUniform(b, c)
	return &Dense{W: autograd.Param(w, "linear.w"), B: autograd.Param(b, "linear.b")}
}

// Forward applies x·wᵀ + b.
func (m *Dense) Forward(ctx *Ctx, x *autograd.Var) *autograd.Var {
	if ctx.MACs != nil {
		*ctx.MACs += int64(m.W.Value.Len())
	}
	return Linear(ctx.Tape, x, m.W, m.B)
}

// Params returns W, B.
func (m *Dense) Params() []*autograd.Var { return []*autograd.Var{m.W, m.B} }

// Buffers returns nothing.
func (m *Dense) Buffers() []*tensor.Tensor { return nil }
