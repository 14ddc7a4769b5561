package nn

import (
	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/tensor"
)

// ReLU returns y = max(0, x), elementwise.
func ReLU(tp *autograd.Tape, x *autograd.Var) *autograd.Var {
	y := tp.Alloc(x.Shape()...)
	for i, v := range x.Data() {
		if v > 0 {
			y.Data[i] = v
		} else {
			y.Data[i] = 0
		}
	}
	return tp.Record("ReLU", y, func(dy *tensor.Tensor) {
		// forward: y = max(0, x)  →  dx += dy·[y > 0]
		dx := x.GradBuf().Data
		for i, v := range y.Data {
			if v > 0 {
				dx[i] += dy.Data[i]
			}
		}
	}, x)
}
