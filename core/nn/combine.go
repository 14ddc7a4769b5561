package nn

import (
	"fmt"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/internal/kernels"
	"github.com/nasplayground/nas/core/tensor"
)

// Concat joins 4-D tensors along the channel dimension.
//
//	xs[i]: (N, C_i, H, W)  →  y: (N, Σ C_i, H, W)
func Concat(tp *autograd.Tape, xs ...*autograd.Var) *autograd.Var {
	n, h, w := xs[0].Dim(0), xs[0].Dim(2), xs[0].Dim(3)
	ct := 0
	for i, x := range xs {
		tensor.MustShape("nn.Concat", fmt.Sprintf("xs[%d]", i), x.Shape(), n, tensor.Any, h, w)
		ct += x.Dim(1)
	}
	hw := h * w
	y := tp.Alloc(n, ct, h, w)
	kernels.Parallel(n, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			off := 0
			for _, x := range xs {
				c := x.Dim(1)
				copy(y.Data[(i*ct+off)*hw:(i*ct+off+c)*hw], x.Data()[i*c*hw:(i+1)*c*hw])
				off += c
			}
		}
	})
	return tp.Record("Concat", y, func(dy *tensor.Tensor) {
		// forward: y = [x_0 | x_1 | …] on C  →  dx_i += dy[:, off_i:off_i+C_i]
		dxs := make([][]float32, len(xs))
		for j, x := range xs {
			if x.RequiresGrad() {
				dxs[j] = x.GradBuf().Data
			}
		}
		kernels.Parallel(n, func(_, lo, hi int) {
			off := 0
			for j, x := range xs {
				c := x.Dim(1)
				if dxs[j] != nil {
					for i := lo; i < hi; i++ {
						kernels.Add(dy.Data[(i*ct+off)*hw:(i*ct+off+c)*hw], dxs[j][i*c*hw:(i+1)*c*hw])
					}
				}
				off += c
			}
		})
	}, xs...)
}

// Add returns the elementwise sum of tensors of one shape.
//
//	y = Σ_i xs[i]
func Add(tp *autograd.Tape, xs ...*autograd.Var) *autograd.Var {
	y := tp.Alloc(xs[0].Shape()...)
	for i, x := range xs[1:] {
		tensor.Mustf(tensor.SameShape(x.Shape(), xs[0].Shape()), "nn.Add", fmt.Sprintf("xs[%d]", i+1), x.Shape(), "%v (shape of xs[0])", xs[0].Shape())
	}
	nel := len(y.Data)
	kernels.Parallel(nel/chunk+1, func(_, lo, hi int) {
		a, b := span(lo, hi, nel)
		copy(y.Data[a:b], xs[0].Data()[a:b])
		for _, x := range xs[1:] {
			kernels.Add(x.Data()[a:b], y.Data[a:b])
		}
	})
	return tp.Record("Add", y, func(dy *tensor.Tensor) {
		// forward: y = Σ x_i  →  dx_i += dy
		var dxs [][]float32
		for _, x := range xs {
			if x.RequiresGrad() {
				dxs = append(dxs, x.GradBuf().Data)
			}
		}
		kernels.Parallel(nel/chunk+1, func(_, lo, hi int) {
			a, b := span(lo, hi, nel)
			for _, dx := range dxs {
				kernels.Add(dy.Data[a:b], dx[a:b])
			}
		})
	}, xs...)
}

// WeightedSum is the DARTS mixed op's combination: the sum of xs weighted by
// row `row` of w (typically softmax(α)), gradients flowing to both.
// Nil entries of xs are zero tensors (the `none` op) and are skipped: their
// term and their weight's gradient ⟨dy, 0⟩ are both zero.
//
//	w: (R, K)  xs: K tensors of one shape  →  y = Σ_k w[row][k] · xs[k]
func WeightedSum(tp *autograd.Tape, w *autograd.Var, row int, xs []*autograd.Var) *autograd.Var {
	tensor.MustShape("nn.WeightedSum", "w", w.Shape(), tensor.Any, len(xs))
	idx := make([]int, len(xs))
	for j := range idx {
		idx[j] = row*len(xs) + j
	}
	return weightedTerms(tp, "nn.WeightedSum", w, idx, xs, false)
}

// MixedNode is a DARTS cell node: the sum over its incoming edges of their
// mixed ops, y = Σ_e Σ_k w[rows[e]][k] · xss[e][k], as one op (the edges'
// mixed-op outputs are never stored). It equals nn.Add of one WeightedSum per
// edge up to rounding. Its output is transient (autograd.RecordTransient):
// read it only in ops recorded after it, not after Backward.
//
//	w: (R, K)  xss: per edge K tensors (nil for `none`) of one shape
func MixedNode(tp *autograd.Tape, w *autograd.Var, rows []int, xss [][]*autograd.Var) *autograd.Var {
	tensor.Mustf(len(rows) == len(xss), "nn.MixedNode", "rows", []int{len(rows)}, "one row per edge (%d edges)", len(xss))
	var idx []int
	var xs []*autograd.Var
	for e, row := range rows {
		tensor.MustShape("nn.MixedNode", "w", w.Shape(), tensor.Any, len(xss[e]))
		for j, x := range xss[e] {
			idx = append(idx, row*len(xss[e])+j)
			xs = append(xs, x)
		}
	}
	return weightedTerms(tp, "nn.MixedNode", w, idx, xs, true)
}

// weightedTerms returns y = Σ_j w.Data[idx[j]] · xs[j] (nil terms skipped):
// dw[idx[j]] += ⟨dy, xs[j]⟩, dxs[j] += w[idx[j]]·dy. A transient one hands
// a scalable term w_j·dy as dy itself (AliasGrad) and leaves ⟨dy, x_j⟩ to
// the term's backward (AddGradDotTo): the fused units ending in BatchNorm
// sum dy·x̂ per channel anyway, and a node's dots were 3% of a DARTS step.
// Only a term with a dw entry of its own: ops of a fork put side by side.
func weightedTerms(tp *autograd.Tape, op string, w *autograd.Var, idx []int, xs []*autograd.Var, transient bool) *autograd.Var {
	k := len(xs)
	var shape []int
	for _, x := range xs {
		if x != nil {
			if shape == nil {
				shape = x.Shape()
			}
			tensor.Mustf(tensor.SameShape(x.Shape(), shape), op, "xs", x.Shape(), "%v (all terms alike)", shape)
		}
	}
	wv := make([]float32, k)
	for j, i := range idx {
		wv[j] = w.Data()[i]
	}
	y := tp.Alloc(shape...)
	if shape == nil { // every term is `none`
		y = tp.AllocZero(shape...)
	}
	nel := len(y.Data)
	kernels.Parallel(nel/chunk+1, func(_, lo, hi int) {
		a, b := span(lo, hi, nel)
		dst := y.Data[a:b]
		first := true      // dst holds nothing yet
		var held []float32 // a term waiting for a second: two per pass over dst
		var hw float32
		hold := false
		for j, x := range xs {
			if x == nil {
				continue
			}
			if !hold {
				held, hw, hold = x.Data()[a:b], wv[j], true
				continue
			}
			if first {
				kernels.Affine2(dst, held, x.Data()[a:b], hw, wv[j], 0)
				first = false
			} else {
				kernels.AddAffine2(dst, held, x.Data()[a:b], hw, wv[j], 0)
			}
			hold = false
		}
		if hold {
			if first { // 0 + w·x, as an Axpy into zeros would round it
				kernels.Affine(dst, held, hw, 0)
			} else {
				kernels.Axpy(hw, held, dst)
			}
		}
	})
	inputs := append([]*autograd.Var{w}, xs...)
	record := tp.Record
	if transient {
		record = tp.RecordTransient
	}
	var self *autograd.Var
	self = record(op[len("nn."):], y, func(dy *tensor.Tensor) {
		// forward: y = Σ_j w_j·x_j  →  dw_j += ⟨dy, x_j⟩,  dx_j += w_j·dy
		var dw []float32
		if w.RequiresGrad() {
			dw = w.GradBuf().Data
		}
		shared := make([]bool, k) // terms whose dw entry another term feeds too
		for a := range idx {
			for b := a + 1; b < k; b++ {
				if idx[a] == idx[b] {
					shared[a], shared[b] = true, true
				}
			}
		}
		var dxs []*tensor.Tensor // GradBuf allocates: call it before going parallel
		put := make([]bool, k)   // ⟨dy, x_j⟩ comes from x_j's backward
		for j, x := range xs {
			var g *tensor.Tensor
			if x != nil && x.RequiresGrad() {
				if transient && x.AliasGrad(dy, wv[j]) {
					self.KeepGrad() // x reads w_j·dy from dy itself
					put[j] = dw != nil && !shared[j] && x.AddGradDotTo(&dw[idx[j]])
				} else {
					g = x.GradBuf()
				}
			}
			dxs = append(dxs, g)
		}
		slots := kernels.Slots()
		part := make([]float32, slots*k) // per-slot partial ⟨dy, x_j⟩, summed in slot order
		kernels.Parallel(nel/chunk+1, func(s, lo, hi int) {
			a, b := span(lo, hi, nel)
			for j, x := range xs {
				if x == nil {
					continue
				}
				if dw != nil && !put[j] {
					part[s*k+j] = kernels.Dot(dy.Data[a:b], x.Data()[a:b])
				}
				if dxs[j] != nil {
					kernels.Axpy(wv[j], dy.Data[a:b], dxs[j].Data[a:b])
				}
			}
		})
		if dw != nil {
			for s := 0; s < slots; s++ {
				for j, i := range idx {
					dw[i] += part[s*k+j]
				}
			}
		}
	}, inputs...)
	return self
}

// Zero returns zeros shaped like x[:, :, ::s, ::s] (the `none` op; no
// gradient flows to x, as x·0 has none worth computing).
func Zero(tp *autograd.Tape, x *autograd.Var, stride int) *autograd.Var {
	n, c, h, w := x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3)
	y := tp.AllocZero(n, c, (h+stride-1)/stride, (w+stride-1)/stride)
	return autograd.Const(y)
}

// Crop returns x[:, :, top:, left:] (FactorizedReduce's one-pixel shift).
//
//	x: (N, C, H, W)  →  y: (N, C, H−top, W−left)
func Crop(tp *autograd.Tape, x *autograd.Var, top, left int) *autograd.Var {
	n, c, h, w := x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3)
	oh, ow := h-top, w-left
	y := tp.Alloc(n, c, oh, ow)
	kernels.Parallel(n, func(_, lo, hi int) {
		for p := lo * c; p < hi*c; p++ {
			for r := 0; r < oh; r++ {
				copy(y.Data[(p*oh+r)*ow:(p*oh+r+1)*ow], x.Data()[(p*h+r+top)*w+left:(p*h+r+top)*w+w])
			}
		}
	})
	return tp.Record("Crop", y, func(dy *tensor.Tensor) {
		// forward: y = x[top:, left:]  →  dx[top:, left:] += dy
		dx := x.GradBuf().Data
		kernels.Parallel(n, func(_, lo, hi int) {
			for p := lo * c; p < hi*c; p++ {
				for r := 0; r < oh; r++ {
					kernels.Add(dy.Data[(p*oh+r)*ow:(p*oh+r+1)*ow], dx[(p*h+r+top)*w+left:(p*h+r+top)*w+w])
				}
			}
		})
	}, x)
}

// Dropout zeroes each element with probability p and scales the rest by
// 1/(1−p) (inverted dropout). rng draws the mask; training=false or p=0
// returns x unchanged.
func Dropout(tp *autograd.Tape, x *autograd.Var, p float64, rng *tensor.RNG, training bool) *autograd.Var {
	if !training || p <= 0 {
		return x
	}
	mask := tp.Alloc(x.Shape()...)
	scale := float32(1 / (1 - p))
	for i := range mask.Data {
		if rng.Float64() >= p {
			mask.Data[i] = scale
		} else {
			mask.Data[i] = 0
		}
	}
	return Mask(tp, x, mask)
}

// Mask returns x ⊙ m for a constant mask m of x's shape.
func Mask(tp *autograd.Tape, x *autograd.Var, m *tensor.Tensor) *autograd.Var {
	tensor.Mustf(tensor.SameShape(x.Shape(), m.Shape), "nn.Mask", "m", m.Shape, "%v (shape of x)", x.Shape())
	y := tp.Alloc(x.Shape()...)
	for i, v := range x.Data() {
		y.Data[i] = v * m.Data[i]
	}
	return tp.Record("Mask", y, func(dy *tensor.Tensor) {
		// forward: y = x ⊙ m  →  dx += dy ⊙ m
		dx := x.GradBuf().Data
		for i, d := range dy.Data {
			dx[i] += d * m.Data[i]
		}
	}, x)
}

// DropPath drops whole samples of a 4-D x with probability p and scales the
// kept ones by 1/(1−p) (mirrors quark0/darts utils.drop_path: one Bernoulli
// per sample, applied to a cell's op output during training).
//
//	y[n] = x[n] · mask[n] / (1 − p)
func DropPath(tp *autograd.Tape, x *autograd.Var, p float64, rng *tensor.RNG, training bool) *autograd.Var {
	if !training || p <= 0 {
		return x
	}
	n := x.Dim(0)
	per := x.Value.Len() / n
	keep := float32(1 / (1 - p))
	mask := tp.Alloc(n)
	for i := range mask.Data {
		if rng.Float64() >= p {
			mask.Data[i] = keep
		} else {
			mask.Data[i] = 0
		}
	}
	y := tp.Alloc(x.Shape()...)
	for i := 0; i < n; i++ {
		src, dst := x.Data()[i*per:(i+1)*per], y.Data[i*per:(i+1)*per]
		for j, v := range src {
			dst[j] = v * mask.Data[i]
		}
	}
	return tp.Record("DropPath", y, func(dy *tensor.Tensor) {
		// forward: y[n] = x[n]·mask[n]  →  dx[n] += dy[n]·mask[n]
		dx := x.GradBuf().Data
		for i := 0; i < n; i++ {
			if mask.Data[i] != 0 {
				kernels.Axpy(mask.Data[i], dy.Data[i*per:(i+1)*per], dx[i*per:(i+1)*per])
			}
		}
	}, x)
}
