package nn

import (
	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/internal/kernels"
	"github.com/nasplayground/nas/core/tensor"
)

// Linear returns y = x·wᵀ + b (b may be nil). A 4-D x of shape (N, C, 1, 1)
// is treated as (N, C).
//
//	x: (N, C)  w: (F, C)  b: (F)  →  y: (N, F)
func Linear(tp *autograd.Tape, x, w, b *autograd.Var) *autograd.Var {
	n := x.Dim(0)
	c := x.Value.Len() / n
	f := w.Dim(0)
	tensor.MustShape("nn.Linear", "w", w.Shape(), f, c)
	if b != nil {
		tensor.MustShape("nn.Linear", "b", b.Shape(), f)
	}
	y := tp.Alloc(n, f)
	kernels.GemmNT(n, f, c, x.Data(), c, w.Data(), c, 0, y.Data, f)
	if b != nil {
		for i := 0; i < n; i++ {
			kernels.Add(b.Data(), y.Data[i*f:(i+1)*f])
		}
	}
	return tp.Record("Linear", y, func(dy *tensor.Tensor) {
		// forward: y = x·wᵀ + b
		if x.RequiresGrad() {
			kernels.GemmNN(n, c, f, dy.Data, f, w.Data(), c, 1, x.GradBuf().Data, c) // dx += dy·w
		}
		if w.RequiresGrad() {
			kernels.GemmTN(f, c, n, dy.Data, f, x.Data(), c, 1, w.GradBuf().Data, c) // dw += dyᵀ·x
		}
		if b != nil && b.RequiresGrad() {
			db := b.GradBuf().Data // db += Σ_n dy
			for i := 0; i < n; i++ {
				kernels.Add(dy.Data[i*f:(i+1)*f], db)
			}
		}
	}, x, w, b)
}
