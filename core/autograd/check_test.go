package autograd_test

import (
	"math"
	"testing"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/tensor"
	"github.com/stretchr/testify/assert"
)

// cube returns x³ with a backward scaled by k (k = 1 is right): a smooth op
// whose central difference has an O(h²) truncation error, so the check's
// Richardson step is what keeps the honest error small.
func cube(tp *autograd.Tape, x *autograd.Var, k float32) *autograd.Var {
	y := tp.Alloc(x.Shape()...)
	for i, v := range x.Data() {
		y.Data[i] = v * v * v
	}
	return tp.Record("cube", y, func(dy *tensor.Tensor) {
		for i, d := range dy.Data {
			v := x.Data()[i]
			x.GradBuf().Data[i] += k * 3 * v * v * d
		}
	}, x)
}

// The checker sees a 1% error: the norm measure of a backward scaled by 1.01
// is 0.01 (to float32 rounding), that of the right one ~1e-5; an error in one
// element only shows in the element measure.
func TestCheckGradSeesOnePercent(t *testing.T) {
	x := autograd.Param(tensor.FromData([]float32{0.5, -1, 2, 1.5, -0.7, 0.3}, 6), "x")
	check := func(k float32) autograd.GradCheck {
		return autograd.CheckGrad(func(tp *autograd.Tape) *autograd.Var { return cube(tp, x, k) }, []*autograd.Var{x}, 1e-2, 1)
	}
	good := check(1)
	assert.Less(t, good.NormErr, 1e-4, good.String())
	assert.Less(t, good.MaxErr, 1e-4, good.String())
	bad := check(1.01)
	assert.InDelta(t, 0.01, bad.NormErr, 2e-4, bad.String())     // a = 1.01·n: ‖a−n‖/‖n‖ = 0.01
	assert.InDelta(t, 0.01/1.01, bad.MaxErr, 2e-4, bad.String()) // |a−n|/|a| at the largest element

	// one wrong element (the 4th) off by 2%
	one := autograd.CheckGrad(func(tp *autograd.Tape) *autograd.Var {
		y := cube(tp, x, 1)
		return tp.Record("bump", y.Value.Clone(), func(dy *tensor.Tensor) {
			g := y.GradBuf().Data
			for i, d := range dy.Data {
				g[i] += d
			}
			g[3] += 0.02 * dy.Data[3]
		}, y)
	}, []*autograd.Var{x}, 1e-2, 1)
	assert.Equal(t, "x[3]", one.Where, one.String())
	assert.InDelta(t, 0.02/1.02, one.MaxErr, 3e-4, one.String())
}

// No gradient anywhere: zero errors when the backward agrees, an infinite one
// when it invents a gradient.
func TestCheckGradZero(t *testing.T) {
	x := autograd.Param(tensor.FromData([]float32{1, 2}, 2), "x")
	flat := func(k float32) autograd.GradCheck {
		return autograd.CheckGrad(func(tp *autograd.Tape) *autograd.Var {
			y := tp.Alloc(2)
			y.Data[0], y.Data[1] = 7, 7
			return tp.Record("flat", y, func(dy *tensor.Tensor) {
				x.GradBuf().Data[0] += k * dy.Data[0]
			}, x)
		}, []*autograd.Var{x}, 1e-2, 1)
	}
	ok := flat(0)
	assert.Zero(t, ok.MaxErr, ok.String())
	assert.Zero(t, ok.NormErr, ok.String())
	bad := flat(1)
	assert.True(t, math.IsInf(bad.MaxErr, 1), bad.String())
}
