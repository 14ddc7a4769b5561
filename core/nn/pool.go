package nn

import (
	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/internal/kernels"
	"github.com/nasplayground/nas/core/tensor"
)

func poolGeom(op string, x *autograd.Var, k, stride, pad int) (kernels.Geom, int, int) {
	tensor.MustRank(op, "x", x.Shape(), 4, "[N C H W]")
	g := kernels.Geom{H: x.Dim(2), W: x.Dim(3), KH: k, KW: k, SH: stride, SW: stride, PH: pad, PW: pad, DH: 1, DW: 1}
	tensor.Mustf(g.OH() > 0 && g.OW() > 0 && 2*pad <= k, op, "x", x.Shape(), "an image large enough for a %d×%d window with pad %d", k, k, pad)
	return g, x.Dim(0), x.Dim(1)
}

// MaxPool2D returns the maximum over each k×k window (stride, zero padding
// that never wins).
//
//	x: (N, C, H, W)  →  y: (N, C, OH, OW),  y[n][c][oh][ow] = max_window x
func MaxPool2D(tp *autograd.Tape, x *autograd.Var, k, stride, pad int) *autograd.Var {
	g, n, c := poolGeom("nn.MaxPool2D", x, k, stride, pad)
	oh, ow := g.OH(), g.OW()
	hw, ohw := g.H*g.W, oh*ow
	y := tp.Alloc(n, c, oh, ow)
	idx := tp.AllocInt32(n * c * ohw)
	kernels.Parallel(n, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			kernels.MaxPool(x.Data()[i*c*hw:(i+1)*c*hw], c, g, y.Data[i*c*ohw:(i+1)*c*ohw], idx[i*c*ohw:(i+1)*c*ohw])
		}
	})
	return tp.Record("MaxPool2D", y, func(dy *tensor.Tensor) {
		// forward: y = x[argmax]  →  dx[argmax] += dy
		dx := x.GradBuf().Data
		kernels.Parallel(n, func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				kernels.MaxPoolBackward(dy.Data[i*c*ohw:(i+1)*c*ohw], idx[i*c*ohw:(i+1)*c*ohw], c, hw, ohw, dx[i*c*hw:(i+1)*c*hw])
			}
		})
	}, x)
}

// AvgPool2D averages each k×k window. countIncludePad=false divides by the
// number of positions inside the image (DARTS uses count_include_pad=False).
//
//	x: (N, C, H, W)  →  y: (N, C, OH, OW)
func AvgPool2D(tp *autograd.Tape, x *autograd.Var, k, stride, pad int, countIncludePad bool) *autograd.Var {
	g, n, c := poolGeom("nn.AvgPool2D", x, k, stride, pad)
	oh, ow := g.OH(), g.OW()
	hw, ohw := g.H*g.W, oh*ow
	y := tp.Alloc(n, c, oh, ow)
	kernels.Parallel(n, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			kernels.AvgPool(x.Data()[i*c*hw:(i+1)*c*hw], c, g, countIncludePad, y.Data[i*c*ohw:(i+1)*c*ohw])
		}
	})
	return tp.Record("AvgPool2D", y, func(dy *tensor.Tensor) {
		// forward: y = Σ_window x / divisor  →  dx += dy / divisor over the window
		dx := x.GradBuf().Data
		kernels.Parallel(n, func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				kernels.AvgPoolBackward(dy.Data[i*c*ohw:(i+1)*c*ohw], c, g, countIncludePad, dx[i*c*hw:(i+1)*c*hw])
			}
		})
	}, x)
}

// GlobalAvgPool averages each channel plane.
//
//	x: (N, C, H, W)  →  y: (N, C),  y[n][c] = Σ_hw x[n][c] / (H·W)
func GlobalAvgPool(tp *autograd.Tape, x *autograd.Var) *autograd.Var {
	tensor.MustRank("nn.GlobalAvgPool", "x", x.Shape(), 4, "[N C H W]")
	n, c, hw := x.Dim(0), x.Dim(1), x.Dim(2)*x.Dim(3)
	y := tp.Alloc(n, c)
	for i := 0; i < n*c; i++ {
		y.Data[i] = float32(kernels.Sum(x.Data()[i*hw:(i+1)*hw]) / float64(hw))
	}
	return tp.Record("GlobalAvgPool", y, func(dy *tensor.Tensor) {
		// forward: y = mean_hw x  →  dx += dy / HW
		dx := x.GradBuf().Data
		inv := 1 / float32(hw)
		for i := 0; i < n*c; i++ {
			d := dy.Data[i] * inv
			row := dx[i*hw : (i+1)*hw]
			for j := range row {
				row[j] += d
			}
		}
	}, x)
}
