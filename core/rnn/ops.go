package rnn

import (
	"fmt"
	"math"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// Embedding returns the rows of w picked by ids.
//
//	w: (V, D)  ids: N values in [0, V)  →  y: (N, D),  y[n] = w[ids[n]]
func Embedding(tp *autograd.Tape, w *autograd.Var, ids []int32) *autograd.Var {
	tensor.MustRank("rnn.Embedding", "w", w.Shape(), 2, "[V D]")
	v, d := w.Dim(0), w.Dim(1)
	y := tp.Alloc(len(ids), d)
	for n, id := range ids {
		if id < 0 || int(id) >= v {
			panic(fmt.Sprintf("rnn.Embedding: id %d of row %d outside [0, %d)", id, n, v))
		}
		copy(y.Data[n*d:(n+1)*d], w.Data()[int(id)*d:(int(id)+1)*d])
	}
	return tp.Record("Embedding", y, func(dy *tensor.Tensor) {
		// forward: y[n] = w[ids[n]]  →  dw[ids[n]] += dy[n]
		dw := w.GradBuf().Data
		for n, id := range ids {
			row := dw[int(id)*d : (int(id)+1)*d]
			for k, g := range dy.Data[n*d : (n+1)*d] {
				row[k] += g
			}
		}
	}, w)
}

// act applies a recurrent activation to one value.
func act(a genotype.Activation, x float32) float32 {
	switch a {
	case genotype.Tanh:
		return float32(math.Tanh(float64(x)))
	case genotype.ReLU:
		return max(x, 0)
	case genotype.Sigmoid:
		return sigmoid(x)
	}
	return x // identity
}

// dact is the derivative of act at the pre-activation x, from x and y = act(x).
func dact(a genotype.Activation, x, y float32) float32 {
	switch a {
	case genotype.Tanh:
		return 1 - y*y
	case genotype.ReLU:
		if x > 0 {
			return 1
		}
		return 0
	case genotype.Sigmoid:
		return y * (1 - y)
	}
	return 1
}

func sigmoid(x float32) float32 { return float32(1 / (1 + math.Exp(-float64(x)))) }

// Highway is the DARTS recurrent node: from the previous state s and its
// projection ch = [c̃, h̃] (the two halves of s·W), the gate c = σ(c̃) mixes
// the activation of h̃ into s.
//
//	s: (N, H)  ch: (N, 2H)  →  y = s + c ⊙ (f(h̃) − s),  c = σ(c̃)
func Highway(tp *autograd.Tape, s, ch *autograd.Var, f genotype.Activation) *autograd.Var {
	n, h := s.Dim(0), s.Dim(1)
	tensor.MustShape("rnn.Highway", "ch", ch.Shape(), n, 2*h)
	y := tp.Alloc(n, h)
	c := tp.Alloc(n, h)  // gate, kept for backward
	fh := tp.Alloc(n, h) // f(h̃), kept for backward
	sd, chd := s.Data(), ch.Data()
	for i := range n {
		for k := range h {
			j := i*h + k
			c.Data[j] = sigmoid(chd[i*2*h+k])
			fh.Data[j] = act(f, chd[i*2*h+h+k])
			y.Data[j] = sd[j] + c.Data[j]*(fh.Data[j]-sd[j])
		}
	}
	return tp.Record("Highway", y, func(dy *tensor.Tensor) {
		// forward: y = s + c·(f(h̃) − s), c = σ(c̃)
		if s.RequiresGrad() {
			ds := s.GradBuf().Data
			for j, g := range dy.Data {
				ds[j] += g * (1 - c.Data[j]) // ds += dy·(1 − c)
			}
		}
		if ch.RequiresGrad() {
			dch := ch.GradBuf().Data
			for i := range n {
				for k := range h {
					j, g := i*h+k, dy.Data[i*h+k]
					cj := c.Data[j]
					dch[i*2*h+k] += g * (fh.Data[j] - sd[j]) * cj * (1 - cj)       // dc̃ += dy·(f(h̃) − s)·c(1 − c)
					dch[i*2*h+h+k] += g * cj * dact(f, chd[i*2*h+h+k], fh.Data[j]) // dh̃ += dy·c·f'(h̃)
				}
			}
		}
	}, s, ch)
}

// Mean returns the elementwise mean of tensors of one shape.
//
//	y = (1/K) Σ_k xs[k]
func Mean(tp *autograd.Tape, xs ...*autograd.Var) *autograd.Var {
	y := tp.AllocZero(xs[0].Shape()...)
	inv := 1 / float32(len(xs))
	for i, x := range xs {
		tensor.Mustf(tensor.SameShape(x.Shape(), xs[0].Shape()), "rnn.Mean", "xs", x.Shape(), "%v (shape of xs[0], xs[%d])", xs[0].Shape(), i)
		for j, v := range x.Data() {
			y.Data[j] += inv * v
		}
	}
	return tp.Record("Mean", y, func(dy *tensor.Tensor) {
		// forward: y = (1/K) Σ x_k  →  dx_k += dy/K
		for _, x := range xs {
			if x.RequiresGrad() {
				dx := x.GradBuf().Data
				for j, g := range dy.Data {
					dx[j] += inv * g
				}
			}
		}
	}, xs...)
}

// bn2 is batch norm without affine parameters over the rows of x (N, H), the
// search cell's nn.BatchNorm1d(nhid, affine=False): nn.BatchNorm on x viewed
// as (N, H, 1, 1).
func bn2(tp *autograd.Tape, x *autograd.Var, st *nn.BNStats, training bool) *autograd.Var {
	n, h := x.Dim(0), x.Dim(1)
	return view(tp, nn.BatchNorm(tp, view(tp, x, n, h, 1, 1), nil, nil, st, training), n, h)
}

// view returns x with a new shape of equal size, sharing its data.
func view(tp *autograd.Tape, x *autograd.Var, shape ...int) *autograd.Var {
	return tp.Record("View", x.Value.Reshape(shape...), func(dy *tensor.Tensor) {
		// forward: y = x reshaped  →  dx += dy
		dx := x.GradBuf().Data
		for j, g := range dy.Data {
			dx[j] += g
		}
	}, x)
}
