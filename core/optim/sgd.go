package optim

import (
	"fmt"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/tensor"
)

// SGD is stochastic gradient descent with momentum, Nesterov momentum and L2
// weight decay, as torch.optim.SGD (dampening 0, maximize false). DARTS trains
// the weights with lr 0.025 (cosine to 0.001), momentum 0.9, weight decay 3e-4.
type SGD struct {
	LR, Momentum, WeightDecay float64
	Nesterov                  bool

	params []*autograd.Var
	bufs   [][]float32 // momentum buffer per param; nil until its first step
}

// NewSGD returns an SGD optimiser over params. Like torch, it panics on a
// negative lr, momentum or weight decay, and on Nesterov without momentum.
func NewSGD(params []*autograd.Var, lr, momentum, wd float64, nesterov bool) *SGD {
	switch {
	case lr < 0 || momentum < 0 || wd < 0:
		panic(fmt.Sprintf("optim.NewSGD: lr %g, momentum %g, weight decay %g: want all >= 0", lr, momentum, wd))
	case nesterov && momentum <= 0:
		panic(fmt.Sprintf("optim.NewSGD: nesterov needs momentum > 0, got %g", momentum))
	}
	return &SGD{LR: lr, Momentum: momentum, WeightDecay: wd, Nesterov: nesterov,
		params: params, bufs: make([][]float32, len(params))}
}

// Params returns the parameters the optimiser updates, in order.
func (o *SGD) Params() []*autograd.Var { return o.params }

// SetLR sets the learning rate for the following steps (for a schedule).
func (o *SGD) SetLR(lr float64) { o.LR = lr }

// ZeroGrad clears the gradients of every parameter.
func (o *SGD) ZeroGrad() { autograd.ZeroGrads(o.params) }

// Step updates every parameter that has a gradient; parameters whose Grad is
// nil are skipped and keep their buffers. Per element, in float32:
//
//	g := grad[i] + wd*w[i]            // if wd != 0
//	b[i] = μ*b[i] + g; g = b[i]       // if μ != 0; b starts at 0, so step 1 gives b = g as torch's clone
//	g = g + μ*b[i]                    // instead of g = b[i] when Nesterov
//	w[i] = w[i] + (-lr)*g
//
// Each `x + α*y` (torch's add with alpha) is rounded once, as torch's CPU
// kernels compute it with a fused multiply-add (see fma32); μ*b[i] is rounded
// on its own, as torch's separate mul_. Buffers are allocated on a parameter's
// first step; later steps do not allocate.
func (o *SGD) Step() {
	lr, mu, wd := -float32(o.LR), float32(o.Momentum), float32(o.WeightDecay)
	for k, p := range o.params {
		if p.Grad == nil {
			continue
		}
		checkGrad("optim.SGD.Step", k, p)
		if mu != 0 && o.bufs[k] == nil {
			o.bufs[k] = make([]float32, len(p.Value.Data))
		}
	}
	total, nb := numBlocks(o.params)
	if !parallelBlocks(nb) {
		for k := range o.params {
			o.update(k, 0, len(o.params[k].Value.Data), lr, mu, wd)
		}
		return
	}
	spreadBlocks(o.params, total, nb, func(_, k, lo, hi int) { o.update(k, lo, hi, lr, mu, wd) })
}

// update applies Step's rule to elements [lo, hi) of parameter k.
func (o *SGD) update(k, lo, hi int, lr, mu, wd float32) {
	p := o.params[k]
	if p.Grad == nil {
		return
	}
	w, dw := p.Value.Data[lo:hi], p.Grad.Data[lo:hi]
	var b []float32
	if mu != 0 {
		b = o.bufs[k][lo:hi]
	}
	for i := range w {
		g := dw[i]
		if wd != 0 {
			g = fma32(wd, w[i], g)
		}
		if mu != 0 {
			b[i] = float32(mu*b[i]) + g
			if o.Nesterov {
				g = fma32(mu, b[i], g)
			} else {
				g = b[i]
			}
		}
		w[i] = fma32(lr, g, w[i])
	}
}

// SGDState is the checkpointable state of an SGD optimiser: the momentum
// buffer of each parameter in order (nil or empty before its first step).
type SGDState struct {
	Buffers [][]float32 `json:"buffers"`
}

// MomentumBuffers returns the live momentum buffer of each parameter (nil before
// its first step), for reading only: the DARTS architect unrolls the next
// weight step with it. Use State for a copy.
func (o *SGD) MomentumBuffers() [][]float32 { return o.bufs }

// State returns a deep copy of the optimiser's state.
func (o *SGD) State() SGDState {
	return SGDState{Buffers: cloneBufs(o.bufs)}
}

// SetState replaces the optimiser's state with a copy of s. It returns an error
// if s has a different number of buffers than there are parameters, or a
// buffer whose size differs from its parameter's.
func (o *SGD) SetState(s SGDState) error {
	bufs, err := loadBufs("SGD", "buffer", s.Buffers, o.params)
	if err != nil {
		return err
	}
	o.bufs = bufs
	return nil
}

// fma32 returns a*b + c with one rounding to float32, which is how torch's
// CPU kernels evaluate `c + alpha*b` (vec::fmadd in the vector path, FMA
// contraction in the scalar tail). The float64 product of two float32 values is
// exact, so only the sum rounds, then the float32 conversion; that double
// rounding differs from a true fmaf only when the float64 sum lands exactly
// halfway between two float32 values. Every step is IEEE float64, so native and
// wasm agree bit for bit.
func fma32(a, b, c float32) float32 { return float32(float64(a)*float64(b) + float64(c)) }

// checkGrad panics with a *tensor.ShapeError unless p's gradient has as many
// elements as its value. It is called once per parameter per step and does not
// allocate when the sizes agree.
func checkGrad(op string, k int, p *autograd.Var) {
	if len(p.Grad.Data) != len(p.Value.Data) {
		panic(&tensor.ShapeError{Op: op, Arg: fmt.Sprintf("param %d (%s) grad", k, p.Name),
			Got: p.Grad.Shape, Want: fmt.Sprint(p.Value.Shape)})
	}
}

// cloneBufs deep-copies per-parameter buffers, keeping nil entries nil.
func cloneBufs(bufs [][]float32) [][]float32 {
	out := make([][]float32, len(bufs))
	for k, b := range bufs {
		if b != nil {
			out[k] = append([]float32(nil), b...)
		}
	}
	return out
}

// loadBufs validates and deep-copies checkpointed buffers against params. An
// empty entry means "not allocated yet" (gob and JSON may turn nil into empty).
func loadBufs(opt, what string, bufs [][]float32, params []*autograd.Var) ([][]float32, error) {
	if len(bufs) != len(params) {
		return nil, fmt.Errorf("optim: %s state has %d %ss, want %d (one per param)", opt, len(bufs), what, len(params))
	}
	out := make([][]float32, len(bufs))
	for k, b := range bufs {
		if len(b) == 0 {
			continue
		}
		if n := len(params[k].Value.Data); len(b) != n {
			return nil, fmt.Errorf("optim: %s state %s %d (param %q) has %d values, want %d", opt, what, k, params[k].Name, len(b), n)
		}
		out[k] = append([]float32(nil), b...)
	}
	return out, nil
}
