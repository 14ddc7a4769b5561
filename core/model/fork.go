package model

import (
	"cmp"
	"slices"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/nn"
)

// edgeOp is one op of one edge of a step: input state j, op k.
type edgeOp struct{ j, k int }

// forwardForked is Forward with the fused units, a step's ops side by side:
// every op of every edge into a node is a branch of the step's fork
// (autograd.Tape.Fork), the costliest first, so that the workers run whole
// ops rather than pieces of each (12-30 ops per node with DARTS's op set;
// Fork runs them one after the other where that is too few for the workers).
// The node's weighted sum (nn.MixedNode) reads the branches' outputs after
// the fork. Identity ops (skip_connect at stride 1) are the state itself and
// no branch. The result is the serial Forward's up to the order of the sums
// into a state's gradient.
func (c *SearchCell) forwardForked(ctx *nn.Ctx, s0, s1, w *autograd.Var) *autograd.Var {
	tp := ctx.Tape
	states := []*autograd.Var{forward(ctx, c.Pre0, s0), forward(ctx, c.Pre1, s1)}
	e := 0
	for i := 0; i < c.steps; i++ {
		edges := c.Edges[e : e+len(states)]
		outs := make([][]*autograd.Var, len(edges))
		rows := make([]int, len(edges))
		for j := range edges {
			outs[j], rows[j] = make([]*autograd.Var, len(edges[j])), e+j
			for k, op := range edges[j] {
				if _, ok := op.(nn.Identity); ok {
					outs[j][k] = states[j]
				}
			}
		}
		tasks := c.tasks(i, edges)
		tp.Fork(len(tasks), func(t int, b *autograd.Branch) {
			j, k := tasks[t].j, tasks[t].k
			bctx, h := branchCtx(ctx, b), b.Input(states[j])
			op := edges[j][k]
			if y, ok := fusedForward(bctx, op, h); ok {
				outs[j][k] = y
			} else if tail, ok := afterReLU(op); ok {
				outs[j][k] = tail(bctx, nn.ReLU(b.Tape, h))
			} else {
				outs[j][k] = op.Forward(bctx, h)
			}
		})
		states = append(states, nn.MixedNode(tp, w, rows, outs))
		e += len(edges)
	}
	return nn.Concat(tp, states[len(states)-c.outMult:]...)
}

func branchCtx(ctx *nn.Ctx, b *autograd.Branch) *nn.Ctx {
	if b.Tape == ctx.Tape {
		return ctx
	}
	bc := *ctx
	bc.Tape = b.Tape
	return &bc
}

// tasks returns the ops of step i's edges that run as branches, the
// costliest first (ties in edge and op order), kept per step.
func (c *SearchCell) tasks(i int, edges [][]nn.Module) []edgeOp {
	if c.order == nil {
		c.order = make([][]edgeOp, c.steps)
	}
	if c.order[i] != nil {
		return c.order[i]
	}
	var ts []edgeOp
	for j, ops := range edges {
		for k, op := range ops {
			if _, id := op.(nn.Identity); op != nil && !id {
				ts = append(ts, edgeOp{j, k})
			}
		}
	}
	cost := func(t edgeOp) int { return opCost(c.prims[t.k], c.Reduction && t.j < 2) }
	slices.SortStableFunc(ts, func(a, b edgeOp) int { return cmp.Compare(cost(b), cost(a)) })
	c.order[i] = ts
	return ts
}

// opCost ranks primitives by the time one op of a step takes, forward and
// backward, relative to a stride-1 sep_conv_5x5 on the same output (100),
// for the order in which a fork's workers take them: the costliest first,
// so that the last ops taken are short and the workers finish together.
// DARTS's ops are measured (each branch timed at 2 workers on the default
// search config, 2 iterations; stride 1 within a few points alike at
// 32×32/16, 16×16/32 and 8×8/64 channels, stride 2 averaged over the two
// reduction cells): a max pool costs more than a dil_conv_5x5, and a strided
// skip_connect (FactorizedReduce) about a strided sep_conv_3x3. Ranked by
// multiply-adds, as before, the unfused FactorizedReduce (then 2.3 strided
// sep_conv_5x5) came last of a reduction cell's step and left the other
// worker idle. The max-pool entries were timed before 2d453c3, when a max
// pool's backward recomputed its argmax: it now costs less than they say
// (not re-timed; the fork still ran 1.85× over 1 worker, BENCHMARKS.md round
// 15). The other primitives are ranked by multiply-adds of their
// convolutions with C taken as 16 (a BN pass taken as 8), on about the same
// scale.
func opCost(p genotype.Primitive, strided bool) int {
	if strided {
		switch p {
		case genotype.SkipConnect:
			return 122
		case genotype.SepConv5x5:
			return 133
		case genotype.SepConv3x3:
			return 107
		case genotype.DilConv5x5:
			return 84
		case genotype.MaxPool3x3:
			return 74
		case genotype.DilConv3x3:
			return 70
		case genotype.AvgPool3x3:
			return 63
		}
	}
	switch p {
	case genotype.SepConv5x5:
		return 100
	case genotype.SepConv3x3:
		return 76
	case genotype.MaxPool3x3:
		return 57
	case genotype.DilConv5x5:
		return 50
	case genotype.DilConv3x3:
		return 39
	case genotype.AvgPool3x3:
		return 31
	}
	const c, bn = 16, 8
	unit := func(k int) int { return k*k + c + bn } // ReLU, depthwise k×k, 1×1, BN
	switch p {
	case genotype.SepConv7x7:
		return 2 * unit(7)
	case genotype.Conv7x1_1x7:
		return 2*7*c + bn
	case genotype.Conv3x1_1x3:
		return 2*3*c + bn
	case genotype.Conv1x1:
		return c + bn
	case genotype.Conv3x3:
		return 9*c + bn
	case genotype.MaxPool5x5:
		return 25 + bn
	case genotype.MaxPool7x7:
		return 49 + bn
	}
	return 0
}
