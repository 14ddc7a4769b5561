package autograd

import (
	"fmt"
	"math"

	"github.com/nasplayground/nas/core/tensor"
)

// GradCheck is the result of CheckGrad: the largest relative errors between
// analytic (a) and numerical (n) gradients, and where they occurred.
//
//	element: |a−n| / max(|a|, |n|, floor),  floor = max(0.2·max|n| of the leaf, 0.05·max|n| of all leaves)
//	norm:    ‖a−n‖ / max(‖n‖, 0.05·max|n| of all leaves·√len), per leaf
//
// A backward off by a factor 1.01 has NormErr ≈ 0.01 whatever the size of its
// gradient relative to the others' (as long as it is above 5% of the largest);
// the element measure sees a local error (one index, one border) of a few per
// cent. The floors only shield gradients that are tiny next to the largest,
// where float32 rounding in the numerical derivative dominates.
type GradCheck struct {
	MaxErr              float64 // element measure
	Where               string
	Analytic, Numerical float64
	NormErr             float64 // norm measure of the worst leaf
	NormWhere           string
}

func (g GradCheck) String() string {
	return fmt.Sprintf("max err %.3g at %s (analytic %.6g, numerical %.6g), norm err %.3g at %s",
		g.MaxErr, g.Where, g.Analytic, g.Numerical, g.NormErr, g.NormWhere)
}

// CheckGrad compares the gradients that backward computes for every element of
// every Var in wrt with a numerical derivative (in float64) of the scalar
// L = Σ_i r_i·y_i, where y = f(tape) and r is a fixed random projection
// (seed). f must build its graph from scratch on the tape it is given and be
// deterministic (fixed dropout masks).
//
// The numerical derivative is the Richardson extrapolation of two central
// differences, n = (4·D(h/2) − D(h))/3 with h = eps, whose truncation error is
// O(h⁴) instead of O(h²): h can then be large enough (eps ≈ 5e-3) that the
// float32 rounding of the forward, ≈ 1e-7·|y|/h per difference, stays far
// below 1% of the gradient, while a smooth op's curvature costs nothing. The
// steps are the ones actually taken in float32. Inputs must stay more than
// eps away from kinks (ReLU at 0, max-pool ties).
func CheckGrad(f func(tp *Tape) *Var, wrt []*Var, eps float64, seed uint64) GradCheck {
	tp := NewTape()
	y := f(tp)
	r := tensor.New(y.Value.Shape...)
	tensor.NewRNG(seed).Uniform(r, -1, 1)
	for _, v := range wrt {
		v.ZeroGrad()
	}
	tp.BackwardWith(y, r)
	analytic := make([][]float64, len(wrt))
	for i, v := range wrt {
		analytic[i] = make([]float64, v.Value.Len())
		if v.Grad != nil {
			for j, g := range v.Grad.Data {
				analytic[i][j] = float64(g)
			}
		}
	}
	loss := func() float64 {
		tp := NewTape()
		tp.SetNoGrad(true)
		y := f(tp)
		var s float64
		for i, v := range y.Value.Data {
			s += float64(v) * float64(r.Data[i])
		}
		return s
	}
	// central difference of L in element j of d with step h (the float32 one)
	central := func(d []float32, j int, h float64) float64 {
		orig := d[j]
		d[j] = orig + float32(h)
		lp := loss()
		d[j] = orig - float32(h)
		lm := loss()
		d[j] = orig
		return (lp - lm) / (float64(orig+float32(h)) - float64(orig-float32(h)))
	}
	num := make([][]float64, len(wrt))
	big := make([]float64, len(wrt)) // max |n| per leaf
	var all float64                  // and over all leaves
	for i, v := range wrt {
		num[i] = make([]float64, v.Value.Len())
		for j := range v.Value.Data {
			num[i][j] = (4*central(v.Value.Data, j, eps/2) - central(v.Value.Data, j, eps)) / 3
			big[i] = math.Max(big[i], math.Abs(num[i][j]))
		}
		all = math.Max(all, big[i])
	}
	var res GradCheck
	for i, v := range wrt {
		floor := math.Max(0.2*big[i], 0.05*all)
		var dd, nn float64
		for j, n := range num[i] {
			a := analytic[i][j]
			dd += (a - n) * (a - n)
			nn += n * n
			e := math.Abs(a-n) / math.Max(floor, math.Max(math.Abs(a), math.Abs(n)))
			if e > res.MaxErr || res.Where == "" {
				res.MaxErr, res.Where, res.Analytic, res.Numerical = e, fmt.Sprintf("%s[%d]", name(v, i), j), a, n
			}
		}
		if e := math.Sqrt(dd) / math.Max(math.Sqrt(nn), 0.05*all*math.Sqrt(float64(len(num[i])))); e > res.NormErr || res.NormWhere == "" {
			res.NormErr, res.NormWhere = e, name(v, i)
		}
	}
	if all == 0 { // no gradient at all: any analytic one is wrong
		for i, v := range wrt {
			for j, a := range analytic[i] {
				if a != 0 {
					return GradCheck{MaxErr: math.Inf(1), Where: fmt.Sprintf("%s[%d]", name(v, i), j), Analytic: a,
						NormErr: math.Inf(1), NormWhere: name(v, i)}
				}
			}
		}
		res.MaxErr, res.NormErr = 0, 0
	}
	return res
}

func name(v *Var, i int) string {
	if v.Name != "" {
		return v.Name
	}
	return fmt.Sprintf("wrt%d", i)
}
