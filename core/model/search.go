package model

import (
	"fmt"
	"slices"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// SearchConfig sizes the DARTS search supernet (defaults: C=16, 8 layers,
// 4 steps, multiplier 4, stem multiplier 3, 10 classes, 3 input channels).
type SearchConfig struct {
	C, Layers, Steps, Multiplier, StemMultiplier int
	Classes, InChannels                          int
	Ops                                          []genotype.Primitive
}

// DefaultSearchConfig returns the DARTS CIFAR-10 search configuration.
func DefaultSearchConfig() SearchConfig {
	return SearchConfig{C: 16, Layers: 8, Steps: 4, Multiplier: 4, StemMultiplier: 3, Classes: 10, InChannels: 3, Ops: genotype.DARTSOps}
}

// IsReduction reports whether cell i of a network with `layers` cells is a
// reduction cell (at layers/3 and 2·layers/3, as the reference places them).
func IsReduction(i, layers int) bool { return i == layers/3 || i == 2*layers/3 }

// SearchNet is the DARTS supernet: every edge of every cell is a mixed op
// Σ_k softmax(α)_k·op_k(x); α_normal and α_reduce (edges × ops) are shared by
// all normal and all reduction cells respectively.
type SearchNet struct {
	Cfg         SearchConfig
	Stem        nn.Seq
	Cells       []*SearchCell
	Classifier  *nn.Dense
	AlphaNormal *autograd.Var // (edges, ops), raw α
	AlphaReduce *autograd.Var

	weights []*autograd.Var // Weights, built once
}

// SearchCell is one cell of the supernet: preprocessing of its two inputs and
// one mixed op per edge (edges in genotype.EdgeIndex order).
type SearchCell struct {
	Reduction      bool
	Pre0, Pre1     nn.Module
	Edges          [][]nn.Module // [edge][op]; nil entry for `none`
	steps, outMult int

	prims []genotype.Primitive // the op set, Edges' second index
	order [][]edgeOp           // per step: the ops forwardForked runs, costliest first
}

// NewSearchNet builds the supernet with weights initialised from rng and α
// drawn from 1e-3·N(0, 1) (model_search.py _initialize_alphas).
func NewSearchNet(cfg SearchConfig, rng *tensor.RNG) (*SearchNet, error) {
	if cfg.C <= 0 || cfg.Layers <= 0 || cfg.Steps <= 0 || cfg.Multiplier <= 0 || cfg.Multiplier > cfg.Steps {
		return nil, fmt.Errorf("model: bad search config C=%d layers=%d steps=%d multiplier=%d", cfg.C, cfg.Layers, cfg.Steps, cfg.Multiplier)
	}
	if len(cfg.Ops) == 0 || cfg.Ops[0] != genotype.None {
		return nil, fmt.Errorf("model: the op set must start with none (got %v)", cfg.Ops)
	}
	cCurr := cfg.StemMultiplier * cfg.C
	net := &SearchNet{Cfg: cfg}
	net.Stem = nn.Seq{nn.NewConv(rng, cfg.InChannels, cCurr, 3, 3, nn.Square(1, 1, 1, 1), false), nn.NewBN(cCurr, true)}
	cpp, cp, cCurr := cCurr, cCurr, cfg.C
	reductionPrev := false
	for i := 0; i < cfg.Layers; i++ {
		red := IsReduction(i, cfg.Layers)
		if red {
			cCurr *= 2
		}
		cell, err := newSearchCell(rng, cfg, cpp, cp, cCurr, red, reductionPrev)
		if err != nil {
			return nil, err
		}
		net.Cells = append(net.Cells, cell)
		reductionPrev = red
		cpp, cp = cp, cfg.Multiplier*cCurr
	}
	net.Classifier = nn.NewDense(rng, cp, cfg.Classes)
	e := genotype.EdgeCount(cfg.Steps)
	an, ar := tensor.New(e, len(cfg.Ops)), tensor.New(e, len(cfg.Ops))
	rng.Normal(an, 0, 1e-3)
	rng.Normal(ar, 0, 1e-3)
	net.AlphaNormal, net.AlphaReduce = autograd.Param(an, "alpha_normal"), autograd.Param(ar, "alpha_reduce")
	return net, nil
}

func newSearchCell(rng *tensor.RNG, cfg SearchConfig, cpp, cp, c int, red, redPrev bool) (*SearchCell, error) {
	cell := &SearchCell{Reduction: red, steps: cfg.Steps, outMult: cfg.Multiplier, prims: cfg.Ops}
	if redPrev {
		cell.Pre0 = nn.NewFactorizedReduce(rng, cpp, c, false)
	} else {
		cell.Pre0 = nn.ReLUConvBN(rng, cpp, c, 1, 1, 0, false)
	}
	cell.Pre1 = nn.ReLUConvBN(rng, cp, c, 1, 1, 0, false)
	for i := 0; i < cfg.Steps; i++ {
		for j := 0; j < 2+i; j++ {
			stride := 1
			if red && j < 2 {
				stride = 2
			}
			ops := make([]nn.Module, len(cfg.Ops))
			for k, p := range cfg.Ops {
				if p == genotype.None {
					continue // zero: contributes nothing to the sum nor to dα
				}
				op, err := NewOp(rng, p, c, stride, false)
				if err != nil {
					return nil, err
				}
				if isPool(p) {
					op = nn.Seq{op, nn.NewBN(c, false)}
				}
				ops[k] = op
			}
			cell.Edges = append(cell.Edges, ops)
		}
	}
	return cell, nil
}

// afterReLU returns the part of m that follows a leading ReLU, if m starts
// with one, so a cell can rectify each state once for all the ops reading it.
func afterReLU(m nn.Module) (func(ctx *nn.Ctx, r *autograd.Var) *autograd.Var, bool) {
	switch v := m.(type) {
	case nn.Seq:
		if _, ok := v[0].(nn.Relu); ok {
			return v[1:].Forward, true
		}
	case *nn.FactorizedReduce:
		return v.ForwardReLU, true
	}
	return nil, false
}

// Forward computes the cell output concat(states[-multiplier:]) from inputs
// s0, s1 with op weights w = softmax(α) (edges × ops).
func (c *SearchCell) Forward(ctx *nn.Ctx, s0, s1, w *autograd.Var) *autograd.Var {
	if fuse && ctx.MACs == nil {
		return c.forwardForked(ctx, s0, s1, w)
	}
	tp := ctx.Tape
	states := []*autograd.Var{forward(ctx, c.Pre0, s0), forward(ctx, c.Pre1, s1)}
	relu := make([]*autograd.Var, 0, 2+c.steps)
	e := 0
	for i := 0; i < c.steps; i++ {
		for len(relu) < len(states) {
			relu = append(relu, nil)
		}
		var terms []*autograd.Var
		var edgeOuts [][]*autograd.Var
		var rows []int
		for j, h := range states {
			outs := make([]*autograd.Var, len(c.Edges[e]))
			for k, op := range c.Edges[e] {
				if op == nil {
					continue
				}
				if fuse && ctx.MACs == nil {
					if y, ok := fusedForward(ctx, op, h); ok {
						outs[k] = y
						continue
					}
				}
				if tail, ok := afterReLU(op); ok {
					if relu[j] == nil {
						relu[j] = nn.ReLU(tp, h)
					}
					outs[k] = tail(ctx, relu[j])
				} else {
					outs[k] = op.Forward(ctx, h)
				}
			}
			if fuse {
				edgeOuts, rows = append(edgeOuts, outs), append(rows, e)
			} else {
				terms = append(terms, nn.WeightedSum(tp, w, e, outs))
			}
			e++
		}
		if fuse {
			states = append(states, nn.MixedNode(tp, w, rows, edgeOuts))
		} else {
			states = append(states, nn.Add(tp, terms...))
		}
	}
	return nn.Concat(tp, states[len(states)-c.outMult:]...)
}

// Params returns the cell's weights in a fixed order.
func (c *SearchCell) Params() []*autograd.Var {
	ps := append(c.Pre0.Params(), c.Pre1.Params()...)
	for _, ops := range c.Edges {
		for _, op := range ops {
			if op != nil {
				ps = append(ps, op.Params()...)
			}
		}
	}
	return ps
}

// Buffers returns the cell's BN running statistics in a fixed order.
func (c *SearchCell) Buffers() []*tensor.Tensor {
	bs := append(c.Pre0.Buffers(), c.Pre1.Buffers()...)
	for _, ops := range c.Edges {
		for _, op := range ops {
			if op != nil {
				bs = append(bs, op.Buffers()...)
			}
		}
	}
	return bs
}

// Forward returns the logits (N, classes) for images x (N, 3, H, W).
func (n *SearchNet) Forward(ctx *nn.Ctx, x *autograd.Var) *autograd.Var {
	tp := ctx.Tape
	wn := nn.Softmax(tp, n.AlphaNormal)
	wr := nn.Softmax(tp, n.AlphaReduce)
	s0 := n.Stem.Forward(ctx, x)
	s1 := s0
	for _, cell := range n.Cells {
		w := wn
		if cell.Reduction {
			w = wr
		}
		s0, s1 = s1, cell.Forward(ctx, s0, s1, w)
	}
	return n.Classifier.Forward(ctx, nn.GlobalAvgPool(tp, s1))
}

// Weights returns every trainable weight (α excluded) in a fixed order.
// The slice is built once and shared: do not modify it.
func (n *SearchNet) Weights() []*autograd.Var {
	if n.weights == nil {
		ps := n.Stem.Params()
		for _, c := range n.Cells {
			ps = append(ps, c.Params()...)
		}
		n.weights = slices.Clip(append(ps, n.Classifier.Params()...)) // appends copy
	}
	return n.weights
}

// Alphas returns α_normal and α_reduce.
func (n *SearchNet) Alphas() []*autograd.Var { return []*autograd.Var{n.AlphaNormal, n.AlphaReduce} }

// Buffers returns the BN running statistics in a fixed order.
func (n *SearchNet) Buffers() []*tensor.Tensor {
	bs := n.Stem.Buffers()
	for _, c := range n.Cells {
		bs = append(bs, c.Buffers()...)
	}
	return bs
}

// OpWeights returns softmax(α) of both cell types as float64 rows.
func (n *SearchNet) OpWeights() (normal, reduce [][]float64) {
	return genotype.Softmax(rows(n.AlphaNormal.Value)), genotype.Softmax(rows(n.AlphaReduce.Value))
}

// Genotype derives the discrete cell from the current α (model_search.py genotype()).
func (n *SearchNet) Genotype() (genotype.Genotype, error) {
	wn, wr := n.OpWeights()
	return genotype.Derive(wn, wr, n.Cfg.Ops, n.Cfg.Steps)
}

func rows(t *tensor.Tensor) [][]float64 {
	r, k := t.Dim(0), t.Dim(1)
	out := make([][]float64, r)
	for i := range out {
		out[i] = make([]float64, k)
		for j := range out[i] {
			out[i][j] = float64(t.Data[i*k+j])
		}
	}
	return out
}

// MACs returns the multiply-accumulates of every conv and linear layer for one
// image of size h×w (a forward pass of one image without recording).
func MACs(forward func(ctx *nn.Ctx, x *autograd.Var) *autograd.Var, inC, h, w int) int64 {
	var macs int64
	tp := autograd.NewTape()
	tp.SetNoGrad(true)
	ctx := &nn.Ctx{Tape: tp, Training: false, RNG: tensor.NewRNG(0), MACs: &macs}
	forward(ctx, autograd.Const(tensor.New(1, inC, h, w)))
	return macs
}

// PathEdge is one chosen input of a node with its chosen op (an index into
// the supernet's op set), as a sampling controller picks it.
type PathEdge struct{ Input, Op int }

// ForwardPath evaluates one discrete architecture inside the supernet, with
// the supernet's weights (ENAS weight sharing): node i of a cell sums
// op(input) over its chosen edges, and α is not used. normal and reduce hold
// the chosen edges per node (normal[i] = the edges into node i).
func (n *SearchNet) ForwardPath(ctx *nn.Ctx, x *autograd.Var, normal, reduce [][]PathEdge) *autograd.Var {
	s0 := n.Stem.Forward(ctx, x)
	s1 := s0
	for _, cell := range n.Cells {
		p := normal
		if cell.Reduction {
			p = reduce
		}
		s0, s1 = s1, cell.ForwardPath(ctx, s0, s1, p)
	}
	return n.Classifier.Forward(ctx, nn.GlobalAvgPool(ctx.Tape, s1))
}

// ForwardPath computes the cell with only the chosen edges and ops.
func (c *SearchCell) ForwardPath(ctx *nn.Ctx, s0, s1 *autograd.Var, path [][]PathEdge) *autograd.Var {
	states := []*autograd.Var{forward(ctx, c.Pre0, s0), forward(ctx, c.Pre1, s1)}
	for i := 0; i < c.steps; i++ {
		var terms []*autograd.Var
		for _, pe := range path[i] {
			op := c.Edges[genotype.EdgeIndex(i, pe.Input)][pe.Op]
			if op == nil { // none
				continue
			}
			terms = append(terms, forward(ctx, op, states[pe.Input]))
		}
		if len(terms) == 0 {
			h := states[path[i][0].Input]
			terms = append(terms, nn.Zero(ctx.Tape, h, strideOf(c, path[i][0].Input)))
		}
		states = append(states, nn.Add(ctx.Tape, terms...))
	}
	return nn.Concat(ctx.Tape, states[len(states)-c.outMult:]...)
}

func strideOf(c *SearchCell, input int) int {
	if c.Reduction && input < 2 {
		return 2
	}
	return 1
}
