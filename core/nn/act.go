package nn

import (
	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/internal/kernels"
	"github.com/nasplayground/nas/core/tensor"
)

// ReLU returns y = max(0, x), elementwise.
func ReLU(tp *autograd.Tape, x *autograd.Var) *autograd.Var {
	y := tp.Alloc(x.Shape()...)
	kernels.Parallel(len(y.Data)/chunk+1, func(_, lo, hi int) {
		a, b := span(lo, hi, len(y.Data))
		kernels.ReLU(y.Data[a:b], x.Data()[a:b])
	})
	return tp.Record("ReLU", y, func(dy *tensor.Tensor) {
		// forward: y = max(0, x)  →  dx += dy·[y > 0]
		dx := x.GradBuf().Data
		kernels.Parallel(len(y.Data)/chunk+1, func(_, lo, hi int) {
			a, b := span(lo, hi, len(y.Data))
			kernels.ReLUBackward(y.Data[a:b], dy.Data[a:b], dx[a:b])
		})
	}, x)
}

// chunk is the element block elementwise ops hand to one worker at a time.
const chunk = 1 << 14

// span maps chunks [lo, hi) to the element range [a, b) of n elements.
func span(lo, hi, n int) (a, b int) { return min(lo*chunk, n), min(hi*chunk, n) }
