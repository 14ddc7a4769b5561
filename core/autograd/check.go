package autograd

import (
	"fmt"
	"math"

	"github.com/nasplayground/nas/core/tensor"
)

// GradCheck is the result of CheckGrad: the largest error
// |a−n| / max(1, |a|+|n|) between analytic (a) and numerical (n) gradients,
// and where it occurred.
type GradCheck struct {
	MaxErr    float64
	Where     string
	Analytic  float64
	Numerical float64
}

func (g GradCheck) String() string {
	return fmt.Sprintf("max err %.3g at %s (analytic %.6g, numerical %.6g)", g.MaxErr, g.Where, g.Analytic, g.Numerical)
}

// CheckGrad compares the gradients that backward computes for every element of
// every Var in wrt with central differences (in float64) of the scalar
// L = Σ_i r_i·y_i, where y = f(tape) and r is a fixed random projection
// (seed). f must build its graph from scratch on the tape it is given and be
// deterministic (fixed dropout masks). eps ≈ 1e-3 suits float32 ops.
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
	var res GradCheck
	for i, v := range wrt {
		for j := range v.Value.Data {
			orig := v.Value.Data[j]
			v.Value.Data[j] = orig + float32(eps)
			lp := loss()
			v.Value.Data[j] = orig - float32(eps)
			lm := loss()
			v.Value.Data[j] = orig
			// the step actually taken in float32
			h := float64(orig+float32(eps)) - float64(orig-float32(eps))
			n := (lp - lm) / h
			a := analytic[i][j]
			e := math.Abs(a-n) / math.Max(1, math.Abs(a)+math.Abs(n))
			if e > res.MaxErr || res.Where == "" {
				res = GradCheck{MaxErr: e, Where: fmt.Sprintf("%s[%d]", name(v, i), j), Analytic: a, Numerical: n}
			}
		}
	}
	return res
}

func name(v *Var, i int) string {
	if v.Name != "" {
		return v.Name
	}
	return fmt.Sprintf("wrt%d", i)
}
