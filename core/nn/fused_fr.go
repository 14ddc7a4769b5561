package nn

import (
	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/internal/kernels"
	"github.com/nasplayground/nas/core/tensor"
)

// ReLUFactorizedReduceBN returns FactorizedReduce with BN affine=False as one
// fused unit (a transient output, as ReLUSepBN's):
// BN(concat(w1·ReLU(x)[::2, ::2], w2·ReLU(x)[1::2, 1::2])), the two 1×1
// stride-2 convolutions each reading one phase of the rectified input.
//
//	x: (N, C, H, W), H and W even  w1, w2: (F/2, C, 1, 1)  →  (N, F, H/2, W/2)
//
// The chain (ReLU, two im2col convolutions, a crop, a concat and a BN, each a
// pass over memory) took 2.3 times a strided sep_conv_5x5 in a reduction
// cell (35.4 against 15.6 ms per op at 2 workers); here each image's phases are gathered rectified into cache-sized
// planes (kernels.ReLUPhases: on the fast paths the depthwise layouts'
// stride-2 row kernels), multiplied by the 1×1 kernels and normalised, and
// backward recomputes the phases image by image as ReLUSepBN recomputes its
// depthwise output.
func ReLUFactorizedReduceBN(tp *autograd.Tape, x, w1, w2 *autograd.Var, st *BNStats, training bool) *autograd.Var {
	const op = "nn.ReLUFactorizedReduceBN"
	tensor.MustRank(op, "x", x.Shape(), 4, "[N C H W]")
	n, c, h, wd := x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3)
	tensor.Mustf(h >= 2 && wd >= 2 && h%2 == 0 && wd%2 == 0, op, "x", x.Shape(), "an even height and width")
	f2 := w1.Dim(0)
	tensor.MustShape(op, "w1", w1.Shape(), f2, c, 1, 1)
	tensor.MustShape(op, "w2", w2.Shape(), f2, c, 1, 1)
	f := 2 * f2
	tensor.MustShape(op, "running mean", st.Mean.Shape, f)
	oh, ow := h/2, wd/2
	hw, ohw := h*wd, oh*ow

	y := tp.Alloc(n, f, oh, ow)
	// per slot: both phases' planes ld apart (phase 0, scratch, phase 1:
	// kernels.ReLUPhases)
	nw, ld := kernels.Slots(), kernels.PlaneStride(ohw)
	dper := 3*c*ld + kernels.PointwiseSlack
	scratch := tp.Alloc(nw, dper)
	pws := [2]*kernels.Pointwise{kernels.NewPointwise(w1.Data(), f2, c, false), kernels.NewPointwise(w2.Data(), f2, c, false)}
	sums := newBNSums(n, f, training)
	kernels.Parallel(n, func(wk, lo, hi int) {
		d := scratch.Data[wk*dper : (wk+1)*dper]
		for i := lo; i < hi; i++ {
			xi := x.Data()[i*c*hw : (i+1)*c*hw]
			yi := y.Data[i*f*ohw : (i+1)*f*ohw]
			kernels.ReLUPhases(xi, c, h, wd, d, ld)
			for p, pw := range pws {
				pw.Apply(d[2*p*c*ld:], ld, ohw, yi[p*f2*ohw:(p+1)*f2*ohw])
			}
			sums.add(i, yi)
		}
	})
	for _, pw := range pws {
		pw.Release()
	}
	tp.Free(scratch)
	stats := bnInPlace(tp, y, st, training, sums)
	sums.release()

	var self *autograd.Var
	return tp.RecordScalable("ReLUFactorizedReduceBN", y, func(dy *tensor.Tensor) {
		var dx []float32
		var dws [2][]float32
		if x.RequiresGrad() {
			dx = x.GradBuf().Data
		}
		for p, w := range []*autograd.Var{w1, w2} {
			if w.RequiresGrad() {
				dws[p] = w.GradBuf().Data
			}
		}
		if dx == nil && dws[0] == nil && dws[1] == nil {
			return
		}
		coef := bnBackwardCoefs(tp, y, dy, stats, training, self)
		nwt := f2 * c
		// per slot: both weight gradients' partial sums, d (the phases'
		// planes, 3C planes ld apart), dz (F planes ld apart), then half a
		// 4 KiB period on, dd (phase 0's C·OHW, zeros, phase 1's) and the 1×1
		// products' read slack
		gap := halfPeriodGap(f * ld)
		per := 2*nwt + (3*c+f)*ld + gap + 3*c*ohw + kernels.PointwiseSlack
		buf := tp.Alloc(nw, per)
		acc := newSlotAcc(buf, per)
		pwT := [2]*kernels.Pointwise{kernels.NewPointwise(w1.Data(), f2, c, true), kernels.NewPointwise(w2.Data(), f2, c, true)}
		kernels.Parallel(n, func(wk, lo, hi int) {
			b := acc.mark(wk)
			accW, b := b[:2*nwt], b[2*nwt:]
			d, dz := b[:3*c*ld], b[3*c*ld:(3*c+f)*ld]
			dzx := b[3*c*ld:] // dz with what follows it: the read slack of dd = wᵀ·dz
			dd := b[(3*c+f)*ld+gap : (3*c+f)*ld+gap+3*c*ohw]
			clear(accW)
			clear(dd[c*ohw : 2*c*ohw])
			for i := lo; i < hi; i++ {
				xi := x.Data()[i*c*hw : (i+1)*c*hw]
				bnGradImage(dz, ld, dy.Data[i*f*ohw:(i+1)*f*ohw], y.Data[i*f*ohw:(i+1)*f*ohw], coef, f, ohw)
				if dws[0] != nil || dws[1] != nil {
					kernels.ReLUPhases(xi, c, h, wd, d, ld)
				}
				for p := range 2 {
					if dws[p] != nil {
						kernels.GemmNTDot(f2, c, ohw, dz[p*f2*ld:], ld, d[2*p*c*ld:], ld, accW[p*nwt:(p+1)*nwt], c)
					}
					if dx != nil {
						pwT[p].Apply(dzx[p*f2*ld:], ld, ohw, dd[2*p*c*ohw:(2*p+1)*c*ohw])
					}
				}
				if dx != nil {
					kernels.ReLUPhasesBackward(dd, xi, c, h, wd, dx[i*c*hw:(i+1)*c*hw])
				}
			}
		})
		for _, pw := range pwT {
			pw.Release()
		}
		for p, dw := range dws {
			acc.addTo(dw, p*nwt)
		}
		tp.Free(buf)
		tp.Free(coef)
	}, &self, x, w1, w2)
}
