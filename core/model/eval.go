package model

import (
	"fmt"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// EvalConfig sizes NetworkCIFAR (DARTS evaluation: C=36, 20 layers, auxiliary
// head with loss weight 0.4, drop path 0.2).
type EvalConfig struct {
	C, Layers, Classes, InChannels int
	Auxiliary                      bool
	Genotype                       genotype.Genotype
}

// EvalNet is NetworkCIFAR of quark0/darts cnn/model.py: a stack of cells
// built from a genotype, reductions at layers/3 and 2·layers/3, an optional
// auxiliary head after cell 2·layers/3, and drop path on non-identity ops.
type EvalNet struct {
	Cfg        EvalConfig
	Stem       nn.Seq
	Cells      []*EvalCell
	AuxHead    nn.Seq // nil without auxiliary; input 8×8 at 32×32 images
	Classifier *nn.Dense
	// DropPath is the drop-path probability of the current epoch (the trainer
	// ramps it linearly: drop_path_prob · epoch / epochs).
	DropPath float64
}

// EvalCell is one genotype cell: two ops per node, each on a chosen input.
type EvalCell struct {
	Reduction  bool
	Pre0, Pre1 nn.Module
	Ops        []nn.Module
	Inputs     []int
	Identity   []bool // op is skip_connect with stride 1 (drop path skips it)
	Concat     []int
}

// NewEvalNet builds NetworkCIFAR for cfg.Genotype.
func NewEvalNet(cfg EvalConfig, rng *tensor.RNG) (*EvalNet, error) {
	if err := cfg.Genotype.Validate(); err != nil {
		return nil, err
	}
	if cfg.C <= 0 || cfg.Layers < 3 {
		return nil, fmt.Errorf("model: bad eval config C=%d layers=%d (need C>0, layers>=3)", cfg.C, cfg.Layers)
	}
	net := &EvalNet{Cfg: cfg}
	cCurr := 3 * cfg.C
	net.Stem = nn.Seq{nn.NewConv(rng, cfg.InChannels, cCurr, 3, 3, nn.Square(1, 1, 1, 1), false), nn.NewBN(cCurr, true)}
	cpp, cp, cCurr := cCurr, cCurr, cfg.C
	reductionPrev := false
	cAux := 0
	for i := 0; i < cfg.Layers; i++ {
		red := IsReduction(i, cfg.Layers)
		if red {
			cCurr *= 2
		}
		cell, err := newEvalCell(rng, cfg.Genotype, cpp, cp, cCurr, red, reductionPrev)
		if err != nil {
			return nil, err
		}
		net.Cells = append(net.Cells, cell)
		reductionPrev = red
		cpp, cp = cp, len(cell.Concat)*cCurr
		if i == 2*cfg.Layers/3 {
			cAux = cp
		}
	}
	if cfg.Auxiliary {
		// AuxiliaryHeadCIFAR: input 8×8 → avg pool 5/3 → 2×2 → 1×1 conv 128 → BN → ReLU
		// → 2×2 conv 768 → BN → ReLU → linear.
		net.AuxHead = nn.Seq{
			nn.Relu{},
			nn.Pool{K: 5, Stride: 3, Pad: 0},
			nn.NewConv(rng, cAux, 128, 1, 1, nn.ConvOpts{}, false),
			nn.NewBN(128, true),
			nn.Relu{},
			nn.NewConv(rng, 128, 768, 2, 2, nn.ConvOpts{}, false),
			nn.NewBN(768, true),
			nn.Relu{},
			nn.NewDense(rng, 768, cfg.Classes),
		}
	}
	net.Classifier = nn.NewDense(rng, cp, cfg.Classes)
	return net, nil
}

func newEvalCell(rng *tensor.RNG, g genotype.Genotype, cpp, cp, c int, red, redPrev bool) (*EvalCell, error) {
	cell := &EvalCell{Reduction: red}
	if redPrev {
		cell.Pre0 = nn.NewFactorizedReduce(rng, cpp, c, true)
	} else {
		cell.Pre0 = nn.ReLUConvBN(rng, cpp, c, 1, 1, 0, true)
	}
	cell.Pre1 = nn.ReLUConvBN(rng, cp, c, 1, 1, 0, true)
	edges, concat := g.Normal, g.NormalConcat
	if red {
		edges, concat = g.Reduce, g.ReduceConcat
	}
	cell.Concat = append([]int(nil), concat...)
	for _, e := range edges {
		stride := 1
		if red && e.Input < 2 {
			stride = 2
		}
		op, err := NewOp(rng, e.Op, c, stride, true)
		if err != nil {
			return nil, err
		}
		cell.Ops = append(cell.Ops, op)
		cell.Inputs = append(cell.Inputs, e.Input)
		_, id := op.(nn.Identity)
		cell.Identity = append(cell.Identity, id)
	}
	return cell, nil
}

// Forward computes concat(states[concat]) of the cell.
func (c *EvalCell) Forward(ctx *nn.Ctx, s0, s1 *autograd.Var, dropPath float64) *autograd.Var {
	tp := ctx.Tape
	states := []*autograd.Var{c.Pre0.Forward(ctx, s0), c.Pre1.Forward(ctx, s1)}
	for i := 0; i < len(c.Ops)/2; i++ {
		var hs [2]*autograd.Var
		for k := 0; k < 2; k++ {
			j := 2*i + k
			h := c.Ops[j].Forward(ctx, states[c.Inputs[j]])
			if !c.Identity[j] {
				h = nn.DropPath(tp, h, dropPath, ctx.RNG, ctx.Training)
			}
			hs[k] = h
		}
		states = append(states, nn.Add(tp, hs[0], hs[1]))
	}
	out := make([]*autograd.Var, len(c.Concat))
	for i, k := range c.Concat {
		out[i] = states[k]
	}
	return nn.Concat(tp, out...)
}

// Params returns the cell's weights in a fixed order.
func (c *EvalCell) Params() []*autograd.Var {
	ps := append(c.Pre0.Params(), c.Pre1.Params()...)
	for _, op := range c.Ops {
		ps = append(ps, op.Params()...)
	}
	return ps
}

// Buffers returns the cell's BN statistics in a fixed order.
func (c *EvalCell) Buffers() []*tensor.Tensor {
	bs := append(c.Pre0.Buffers(), c.Pre1.Buffers()...)
	for _, op := range c.Ops {
		bs = append(bs, op.Buffers()...)
	}
	return bs
}

// Forward returns the logits and, when training with the auxiliary head, the
// auxiliary logits (nil otherwise).
func (n *EvalNet) Forward(ctx *nn.Ctx, x *autograd.Var) (logits, aux *autograd.Var) {
	s0 := n.Stem.Forward(ctx, x)
	s1 := s0
	for i, cell := range n.Cells {
		s0, s1 = s1, cell.Forward(ctx, s0, s1, n.DropPath)
		if i == 2*n.Cfg.Layers/3 && n.AuxHead != nil && ctx.Training {
			aux = n.AuxHead.Forward(ctx, s1)
		}
	}
	return n.Classifier.Forward(ctx, nn.GlobalAvgPool(ctx.Tape, s1)), aux
}

// Logits is Forward without the auxiliary output (for MACs and evaluation).
func (n *EvalNet) Logits(ctx *nn.Ctx, x *autograd.Var) *autograd.Var {
	l, _ := n.Forward(ctx, x)
	return l
}

// Params returns every weight except the auxiliary head's (the count the
// paper reports).
func (n *EvalNet) Params() []*autograd.Var {
	ps := n.Stem.Params()
	for _, c := range n.Cells {
		ps = append(ps, c.Params()...)
	}
	return append(ps, n.Classifier.Params()...)
}

// AllParams returns Params plus the auxiliary head's weights.
func (n *EvalNet) AllParams() []*autograd.Var {
	ps := n.Params()
	if n.AuxHead != nil {
		ps = append(ps, n.AuxHead.Params()...)
	}
	return ps
}

// Buffers returns all BN running statistics in a fixed order.
func (n *EvalNet) Buffers() []*tensor.Tensor {
	bs := n.Stem.Buffers()
	for _, c := range n.Cells {
		bs = append(bs, c.Buffers()...)
	}
	if n.AuxHead != nil {
		bs = append(bs, n.AuxHead.Buffers()...)
	}
	return bs
}
