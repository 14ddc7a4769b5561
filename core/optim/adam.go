package optim

import (
	"fmt"
	"math"

	"github.com/nasplayground/nas/core/autograd"
)

// Adam is torch.optim.Adam as of PyTorch 1.13 (amsgrad false): L2 weight decay
// added to the gradient (not AdamW) and bias corrections with each parameter's
// own step count t. The DARTS architect uses lr 3e-4, betas (0.5, 0.999),
// eps 1e-8, weight decay 1e-3 on the α.
type Adam struct {
	LR, Beta1, Beta2, Eps, WeightDecay float64

	params []*autograd.Var
	steps  []int64      // t per param: steps taken with a gradient
	m, v   [][]float32  // exp_avg, exp_avg_sq per param; nil until its first step
	coef   [][2]float32 // this step's √bc2 and −lr/bc1 per param
}

// NewAdam returns an Adam optimiser over params. Like torch, it panics on a
// negative lr, eps or weight decay, or a beta outside [0, 1).
func NewAdam(params []*autograd.Var, lr, beta1, beta2, eps, wd float64) *Adam {
	if lr < 0 || eps < 0 || wd < 0 || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 {
		panic(fmt.Sprintf("optim.NewAdam: lr %g, betas (%g, %g), eps %g, weight decay %g: want lr, eps, wd >= 0 and betas in [0, 1)",
			lr, beta1, beta2, eps, wd))
	}
	return &Adam{LR: lr, Beta1: beta1, Beta2: beta2, Eps: eps, WeightDecay: wd, params: params,
		steps: make([]int64, len(params)), m: make([][]float32, len(params)), v: make([][]float32, len(params))}
}

// Params returns the parameters the optimiser updates, in order.
func (o *Adam) Params() []*autograd.Var { return o.params }

// SetLR sets the learning rate for the following steps.
func (o *Adam) SetLR(lr float64) { o.LR = lr }

// ZeroGrad clears the gradients of every parameter.
func (o *Adam) ZeroGrad() { autograd.ZeroGrads(o.params) }

// Step updates every parameter that has a gradient; parameters whose Grad is
// nil are skipped and their t does not advance. With t incremented first, the
// scalars in float64 as torch computes them in Python,
//
//	bc1 = 1 - β1^t;  bc2 = 1 - β2^t;  stepSize = lr/bc1
//
// and per element in float32 (torch 1.13 _single_tensor_adam):
//
//	g := grad[i] + wd*w[i]                      // if wd != 0
//	m[i] = β1*m[i] + (1-β1)*g
//	v[i] = β2*v[i] + (1-β2)*g*g
//	denom := sqrt(v[i])/sqrt(bc2) + eps
//	w[i] = w[i] + (-stepSize)*m[i]/denom
//
// Rounding follows torch's CPU kernels: wd*w[i], (1-β1)*g and ((1-β2)*g)*g are
// fused into their additions (fma32), β1*m[i] and β2*v[i] are rounded on their
// own (mul_), and the update is ((-stepSize)*m[i])/denom (addcdiv). Buffers are
// allocated on a parameter's first step; later steps do not allocate.
func (o *Adam) Step() {
	if o.coef == nil {
		o.coef = make([][2]float32, len(o.params))
	}
	for k, p := range o.params {
		if p.Grad == nil {
			continue
		}
		checkGrad("optim.Adam.Step", k, p)
		if o.m[k] == nil {
			o.m[k] = make([]float32, len(p.Value.Data))
			o.v[k] = make([]float32, len(p.Value.Data))
		}
		o.steps[k]++
		t := float64(o.steps[k])
		bc1 := 1 - math.Pow(o.Beta1, t)
		o.coef[k] = [2]float32{float32(math.Sqrt(1 - math.Pow(o.Beta2, t))), float32(-o.LR / bc1)}
	}
	total, nb := numBlocks(o.params)
	if !parallelBlocks(nb) {
		for k := range o.params {
			o.update(k, 0, len(o.params[k].Value.Data))
		}
		return
	}
	spreadBlocks(o.params, total, nb, func(_, k, lo, hi int) { o.update(k, lo, hi) })
}

// update applies Step's rule to elements [lo, hi) of parameter k, with the
// bias corrections Step computed for it.
func (o *Adam) update(k, lo, hi int) {
	p := o.params[k]
	if p.Grad == nil {
		return
	}
	b1, b2 := float32(o.Beta1), float32(o.Beta2)
	c1, c2 := float32(1-o.Beta1), float32(1-o.Beta2)
	eps, wd := float32(o.Eps), float32(o.WeightDecay)
	bc2Sqrt, negStep := o.coef[k][0], o.coef[k][1]
	w, dw := p.Value.Data[lo:hi], p.Grad.Data[lo:hi]
	m, v := o.m[k][lo:hi], o.v[k][lo:hi]
	for i := range w {
		g := dw[i]
		if wd != 0 {
			g = fma32(wd, w[i], g)
		}
		m[i] = fma32(c1, g, float32(b1*m[i]))
		v[i] = fma32(float32(c2*g), g, float32(b2*v[i]))
		denom := float32(sqrt32(v[i])/bc2Sqrt) + eps
		w[i] += float32(negStep*m[i]) / denom
	}
}

// sqrt32 is the correctly rounded float32 square root (rounding the float64
// root to float32 is exact for sqrt).
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

// AdamState is the checkpointable state of an Adam optimiser, per parameter in
// order: the step count t, exp_avg (m) and exp_avg_sq (v); m and v are nil or
// empty before the parameter's first step.
type AdamState struct {
	Steps    []int64     `json:"steps"`
	ExpAvg   [][]float32 `json:"exp_avg"`
	ExpAvgSq [][]float32 `json:"exp_avg_sq"`
}

// State returns a deep copy of the optimiser's state.
func (o *Adam) State() AdamState {
	return AdamState{Steps: append([]int64(nil), o.steps...), ExpAvg: cloneBufs(o.m), ExpAvgSq: cloneBufs(o.v)}
}

// SetState replaces the optimiser's state with a copy of s. It returns an error
// naming the param index if s has a different number of entries than there are
// parameters, a buffer of the wrong size, or a step count without buffers.
func (o *Adam) SetState(s AdamState) error {
	if len(s.Steps) != len(o.params) {
		return fmt.Errorf("optim: Adam state has %d steps, want %d (one per param)", len(s.Steps), len(o.params))
	}
	m, err := loadBufs("Adam", "exp_avg", s.ExpAvg, o.params)
	if err != nil {
		return err
	}
	v, err := loadBufs("Adam", "exp_avg_sq", s.ExpAvgSq, o.params)
	if err != nil {
		return err
	}
	for k, t := range s.Steps {
		if t < 0 || (t > 0) != (m[k] != nil) || (m[k] != nil) != (v[k] != nil) {
			return fmt.Errorf("optim: Adam state param %d (%q): step %d with exp_avg of %d and exp_avg_sq of %d values, want step 0 and none or step > 0 and both",
				k, o.params[k].Name, t, len(s.ExpAvg[k]), len(s.ExpAvgSq[k]))
		}
	}
	o.steps, o.m, o.v = append([]int64(nil), s.Steps...), m, v
	return nil
}
