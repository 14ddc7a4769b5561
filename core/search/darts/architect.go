package darts

import (
	"math"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/optim"
)

// LossFn records the loss of one fixed batch on tp and returns it (scalar).
type LossFn func(tp *autograd.Tape) *autograd.Var

// Architect updates α. It owns nothing of the network but the two lists of
// leaves it is given (unlike the reference, it never reaches into the model).
type Architect struct {
	Weights []*autograd.Var // w
	Alphas  []*autograd.Var // α
	Opt     *optim.Adam     // on Alphas: lr 3e-4, betas (0.5, 0.999), wd 1e-3
	// WeightMomentum and WeightDecay are the weight optimiser's, used to unroll
	// one SGD step exactly as it would be taken (architect.py _compute_unrolled_model).
	WeightMomentum, WeightDecay float64
	// AlphasOnly freezes w during the first-order α backward (dL/dw is not
	// needed there); the reference computes it and throws it away.
	AlphasOnly bool
	// GradNorm is ‖dα‖ of the last step. A step whose loss or GradNorm is NaN
	// or ±Inf is not applied: α and Adam's moments keep their values.
	GradNorm float64

	theta, grads [][]float32 // scratch: saved w, and a copy of ∇w
}

func setRequires(vs []*autograd.Var, on bool) {
	for _, v := range vs {
		v.SetRequiresGrad(on)
	}
}

// gradOf runs loss on a fresh recording, backpropagates into the leaves that
// require gradients (after zeroing them) and returns the loss value.
func gradOf(tp *autograd.Tape, loss LossFn, leaves []*autograd.Var) (float64, *autograd.Var) {
	autograd.ZeroGrads(leaves)
	tp.Reset()
	l := loss(tp)
	tp.Backward(l)
	return float64(l.Value.Data[0]), l
}

// StepFirstOrder takes one Adam step on α with ∇α L_val(w, α) (DARTS eq. 6
// with ξ = 0). It returns the validation loss before the step.
func (a *Architect) StepFirstOrder(tp *autograd.Tape, val LossFn) float64 {
	if a.AlphasOnly {
		setRequires(a.Weights, false)
		defer setRequires(a.Weights, true)
	}
	v, _ := gradOf(tp, val, a.Alphas)
	a.step(v)
	return v
}

// step applies Adam to α unless the loss or the α gradient is not finite.
func (a *Architect) step(loss float64) {
	a.GradNorm = optim.GradNorm(a.Alphas)
	if finite(loss) && finite(a.GradNorm) {
		a.Opt.Step()
	}
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// StepSecondOrder takes one Adam step on α with the unrolled gradient
//
//	∇α L_val(w′, α) − ξ·∇²_{α,w} L_train(w, α)·∇w′ L_val(w′, α),
//	w′ = w − ξ·(μ·m + ∇w L_train(w, α) + λ·w)
//
// (DARTS eq. 7 with the reference's momentum-aware unrolled step), where ξ is
// the weight learning rate eta, m the weight optimiser's momentum buffers
// (nil before its first step), and the Hessian-vector product is the finite
// difference of eq. 8 with ε = 0.01/‖∇w′ L_val‖. It returns L_val(w′, α).
func (a *Architect) StepSecondOrder(tp *autograd.Tape, train, val LossFn, eta float64, momentum [][]float32) float64 {
	a.ensureScratch()
	for i, w := range a.Weights {
		copy(a.theta[i], w.Value.Data)
	}
	// ∇w L_train(w, α), α frozen.
	setRequires(a.Alphas, false)
	gradOf(tp, train, a.Weights)
	setRequires(a.Alphas, true)
	a.unroll(a.theta, eta, momentum)
	// dα = ∇α L_val(w′, α); v = ∇w′ L_val(w′, α)
	autograd.ZeroGrads(a.Alphas)
	lval, _ := gradOf(tp, val, a.Weights)
	for i, w := range a.Weights {
		copy(a.grads[i], w.Grad.Data)
	}
	dalpha := make([][]float32, len(a.Alphas))
	for i, al := range a.Alphas {
		dalpha[i] = append([]float32(nil), al.Grad.Data...)
	}
	// restore w = θ, then dα −= η·H·v
	for i, w := range a.Weights {
		copy(w.Value.Data, a.theta[i])
	}
	hv := a.HessianVectorProduct(tp, train, a.grads, 1e-2)
	for i, al := range a.Alphas {
		for j := range al.Grad.Data {
			al.Grad.Data[j] = dalpha[i][j] - float32(eta)*hv[i][j]
		}
	}
	a.step(lval)
	return lval
}

// unroll sets w′ = θ − η(μ·m + g + λθ), g the weights' gradients.
func (a *Architect) unroll(theta [][]float32, eta float64, momentum [][]float32) {
	for i, w := range a.Weights {
		d := w.Value.Data
		g := w.Grad.Data
		for j := range d {
			step := float64(g[j]) + a.WeightDecay*float64(theta[i][j])
			if momentum != nil && momentum[i] != nil {
				step += a.WeightMomentum * float64(momentum[i][j])
			}
			d[j] = float32(float64(theta[i][j]) - eta*step)
		}
	}
}

// HessianVectorProduct approximates ∇²_{α,w} L_train(w, α)·v by central
// differences (DARTS eq. 8):
//
//	(∇α L(w + ε v, α) − ∇α L(w − ε v, α)) / 2ε,   ε = r / ‖v‖
//
// leaving w unchanged. v has one slice per weight.
func (a *Architect) HessianVectorProduct(tp *autograd.Tape, train LossFn, v [][]float32, r float64) [][]float32 {
	var n2 float64
	for _, vi := range v {
		n2 += optim.SumSq(vi)
	}
	eps := r / math.Sqrt(n2)
	shift := func(s float64) {
		for i, w := range a.Weights {
			optim.Axpy(float32(s), v[i], w.Value.Data)
		}
	}
	setRequires(a.Weights, false)
	defer setRequires(a.Weights, true)
	shift(eps)
	gradOf(tp, train, a.Alphas)
	gp := make([][]float32, len(a.Alphas))
	for i, al := range a.Alphas {
		gp[i] = append([]float32(nil), al.Grad.Data...)
	}
	shift(-2 * eps)
	gradOf(tp, train, a.Alphas)
	shift(eps)
	for i, al := range a.Alphas {
		for j, g := range al.Grad.Data {
			gp[i][j] = float32((float64(gp[i][j]) - float64(g)) / (2 * eps))
		}
	}
	return gp
}

func (a *Architect) ensureScratch() {
	if a.theta != nil {
		return
	}
	a.theta = make([][]float32, len(a.Weights))
	a.grads = make([][]float32, len(a.Weights))
	for i, w := range a.Weights {
		a.theta[i] = make([]float32, w.Value.Len())
		a.grads[i] = make([]float32, w.Value.Len())
	}
}
