package model

import (
	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/nn"
)

// forward runs module m on x, as one of nn's fused units where m is a chain
// they cover (ReLU → [depthwise] → 1×1 → BN(affine=False), possibly twice
// as in SepConv; pooling → BN(affine=False); FactorizedReduce with
// BN(affine=False)): the same arithmetic, about a third of the activations
// kept for backward. MAC counting (ctx.MACs) and any other module run m as
// is.
func forward(ctx *nn.Ctx, m nn.Module, x *autograd.Var) *autograd.Var {
	if fuse && ctx.MACs == nil {
		if y, ok := fusedForward(ctx, m, x); ok {
			return y
		}
	}
	return m.Forward(ctx, x)
}

// fuse switches the fused units on (tests compare against the chains).
var fuse = true

func fusedForward(ctx *nn.Ctx, m nn.Module, x *autograd.Var) (*autograd.Var, bool) {
	if fr, ok := m.(*nn.FactorizedReduce); ok {
		// the chain's Concat needs both phases the same size: even H, W
		if fr.Norm.Gamma != nil || fr.Conv1.B != nil || fr.Conv2.B != nil || x.Dim(2)%2 != 0 || x.Dim(3)%2 != 0 {
			return nil, false
		}
		return nn.ReLUFactorizedReduceBN(ctx.Tape, x, fr.Conv1.W, fr.Conv2.W, fr.Norm.Stats, ctx.Training), true
	}
	s, ok := m.(nn.Seq)
	if !ok {
		return nil, false
	}
	if len(s) == 2 {
		p, ok1 := s[0].(nn.Pool)
		bn, ok2 := s[1].(*nn.BN)
		if !ok1 || !ok2 || bn.Gamma != nil || (!p.Max && p.CountIncludePad) {
			return nil, false
		}
		return nn.PoolBN(ctx.Tape, x, p.Max, p.K, p.Stride, p.Pad, bn.Stats, ctx.Training), true
	}
	// check the whole chain before running any of it
	var units [][]nn.Module
	for rest := s; len(rest) > 0; {
		n := sepUnitLen(rest)
		if n == 0 {
			return nil, false
		}
		units, rest = append(units, rest[:n]), rest[n:]
	}
	for _, u := range units {
		var dw *nn.Conv
		if len(u) == 4 {
			dw = u[1].(*nn.Conv)
		}
		pw, bn := u[len(u)-2].(*nn.Conv), u[len(u)-1].(*nn.BN)
		var wdw *autograd.Var
		var o nn.ConvOpts
		if dw != nil {
			wdw, o = dw.W, dw.Opts
		}
		x = nn.ReLUSepBN(ctx.Tape, x, wdw, pw.W, o, bn.Stats, ctx.Training)
	}
	return x, true
}

// sepUnitLen returns the length of the fusable unit at the start of s:
// 4 for [ReLU, depthwise conv, 1×1 conv, BN], 3 for [ReLU, 1×1 conv, BN]
// (convolutions without bias, 1×1 with stride 1, BN without affine), 0 if
// s starts with neither.
func sepUnitLen(s nn.Seq) int {
	if len(s) < 3 {
		return 0
	}
	if _, ok := s[0].(nn.Relu); !ok {
		return 0
	}
	n := 3
	if dw, ok := s[1].(*nn.Conv); ok && len(s) >= 4 && isDepthwise(dw) {
		n = 4
	}
	pw, ok := s[n-2].(*nn.Conv)
	if !ok || !isPointwise1x1(pw) {
		return 0
	}
	if bn, ok := s[n-1].(*nn.BN); !ok || bn.Gamma != nil {
		return 0
	}
	return n
}

func isDepthwise(c *nn.Conv) bool {
	o := c.Opts
	return c.B == nil && c.W.Dim(1) == 1 && o.Groups == c.W.Dim(0) && o.Groups > 1
}

func isPointwise1x1(c *nn.Conv) bool {
	o := c.Opts
	return c.B == nil && c.W.Dim(2) == 1 && c.W.Dim(3) == 1 && o.Groups == 1 &&
		o.SH == 1 && o.SW == 1 && o.PH == 0 && o.PW == 0
}
