package nn

import (
	"sync"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/internal/kernels"
	"github.com/nasplayground/nas/core/tensor"
)

// The fused units of the search network. Each computes a chain the
// reference writes as separate modules (ReLU, depthwise conv, 1×1 conv,
// BatchNorm(affine=False); pooling, BatchNorm(affine=False)) as one recorded
// op that keeps only its output for backward (and hands that back to the
// tape's pool once its own backward ran, see autograd.RecordTransient; a
// MixedNode passes it its scaled gradient without writing it, see
// autograd.RecordScalable): the rectified input, the
// depthwise output and the pre-normalisation values are recomputed image by
// image in backward, where they stay in cache. A DARTS supernet keeps about a
// third of the activations the unfused chain keeps, for the same arithmetic
// (the backward recomputes one depthwise convolution per image). Within the
// tape's keep budget (autograd.Tape.Keep; always on the portable path) a unit
// keeps its depthwise output instead of recomputing it; a max pool always
// keeps its argmax.
//
// BatchNorm without affine parameters can be differentiated from its output
// x̂ alone: with a = mean(dy), b = mean(dy·x̂) over (N, H, W) of a channel,
// dz = invstd·(dy − a − x̂·b) in training and invstd·dy in evaluation.

// ReLUSepBN returns BN(conv1×1(depthwise(ReLU(x)))) with BN affine=False
// (a transient output: read it in later ops, not after Backward):
// one half of DARTS' SepConv, all of DilConv (dw with dilation), or
// ReLUConvBN 1×1 when wdw is nil.
//
//	x: (N, C, H, W)  wdw: (C, 1, KH, KW) or nil  wpw: (F, C, 1, 1)  →  (N, F, OH, OW)
//
// o is the depthwise convolution's stride, padding and dilation (ignored when
// wdw is nil; the 1×1 convolution has stride 1).
func ReLUSepBN(tp *autograd.Tape, x, wdw, wpw *autograd.Var, o ConvOpts, st *BNStats, training bool) *autograd.Var {
	o = o.norm()
	tensor.MustRank("nn.ReLUSepBN", "x", x.Shape(), 4, "[N C H W]")
	n, c, h, wd := x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3)
	f := wpw.Dim(0)
	tensor.MustShape("nn.ReLUSepBN", "wpw", wpw.Shape(), f, c, 1, 1)
	tensor.MustShape("nn.ReLUSepBN", "running mean", st.Mean.Shape, f)
	g := kernels.Geom{H: h, W: wd, KH: 1, KW: 1, SH: 1, SW: 1, DH: 1, DW: 1}
	if wdw != nil {
		tensor.MustShape("nn.ReLUSepBN", "wdw", wdw.Shape(), c, 1, tensor.Any, tensor.Any)
		g = kernels.Geom{H: h, W: wd, KH: wdw.Dim(2), KW: wdw.Dim(3), SH: o.SH, SW: o.SW, PH: o.PH, PW: o.PW, DH: o.DH, DW: o.DW}
	}
	oh, ow := g.OH(), g.OW()
	tensor.Mustf(oh > 0 && ow > 0, "nn.ReLUSepBN", "x", x.Shape(), "an image large enough for kernel %dx%d", g.KH, g.KW)
	hw, ohw := h*wd, oh*ow

	// depthwise (or ReLU) into per-slot scratch d, then y_i = Wpw · d
	y := tp.Alloc(n, f, oh, ow)
	// d's planes ld apart: the rows of the 1×1 convolution's x
	nw, ld := kernels.Slots(), kernels.PlaneStride(ohw)
	dper := c*ld + kernels.PointwiseSlack
	scratch := tp.Alloc(nw, dper)
	pw := kernels.NewPointwise(wpw.Data(), f, c, false)
	sepInner := func(i int, d []float32) {
		xi := x.Data()[i*c*hw : (i+1)*c*hw]
		if wdw != nil {
			kernels.DepthwiseReLU(xi, wdw.Data(), c, g, d, ld)
		} else {
			reluPlanes(d, ld, xi, c, hw)
		}
	}
	sums := newBNSums(n, f, training)
	// Keep the depthwise outputs for the 1×1 weight gradient (one more
	// tensor per unit) where backward will take it: always on the portable
	// path, which recomputes slowly; on the fast path within the tape's keep
	// budget (recomputing them is 5% of a weight step there, keeping them all
	// half again the peak memory at the default config). The α step with
	// alphas-only freezes w, needs no 1×1 weight gradient and keeps nothing;
	// an unrecorded pass neither.
	var kept *tensor.Tensor
	if wdw != nil && wpw.RequiresGrad() && !tp.NoGrad() &&
		(kernels.FastPath() == "generic" || tp.Keep(int64(4*n*c*oh*ow))) {
		// flat, with the slack that lets the last image's 1×1 product run
		// the same tiles (and rounding) as the scratch's
		kept = tp.Alloc(n*c*ld + kernels.PointwiseSlack)
	}
	kernels.Parallel(n, func(wk, lo, hi int) {
		d := scratch.Data[wk*dper : (wk+1)*dper]
		for i := lo; i < hi; i++ {
			if kept != nil {
				d = kept.Data[i*c*ld:]
			}
			sepInner(i, d)
			yi := y.Data[i*f*ohw : (i+1)*f*ohw]
			pw.Apply(d, ld, ohw, yi)
			sums.add(i, yi) // the statistics while the image is in cache
		}
	})
	pw.Release()
	tp.Free(scratch)
	stats := bnInPlace(tp, y, st, training, sums)
	sums.release()

	var self *autograd.Var
	return tp.RecordScalable("ReLUSepBN", y, func(dy *tensor.Tensor) {
		var dx, dwd, dwp []float32
		if x.RequiresGrad() {
			dx = x.GradBuf().Data
		}
		if wdw != nil && wdw.RequiresGrad() {
			dwd = wdw.GradBuf().Data
		}
		if wpw.RequiresGrad() {
			dwp = wpw.GradBuf().Data
		}
		if dx == nil && dwd == nil && dwp == nil {
			return
		}
		coef := bnBackwardCoefs(tp, y, dy, stats, training, self)
		nwd, nwp := 0, 0
		if dwd != nil {
			nwd = len(dwd)
		}
		if dwp != nil {
			nwp = len(dwp)
		}
		// per slot: the weight-gradient partial sums, d (C planes ld apart),
		// dz (F planes ld apart), dd (C·OHW), the ReLU'd input's planes
		// (depthwise only)
		np := 0
		if wdw != nil {
			np = c * kernels.PlanarLen(g)
		}
		gap := halfPeriodGap(f * ld)
		per := nwd + nwp + (c+f)*ld + gap + c*ohw + np + kernels.PointwiseSlack
		buf := tp.Alloc(nw, per)
		acc := newSlotAcc(buf, per)
		pwT := kernels.NewPointwise(wpw.Data(), f, c, true) // dd = Wᵀ·dz
		// the ReLU'd input's planes: for the depthwise weight gradient where
		// the kernels read them, and to recompute d where it was not kept
		layPlanes := wdw != nil && (dwd != nil && kernels.DepthwisePlanesBackwardReadsPlanes(g, dx != nil, true) ||
			dwp != nil && kept == nil)
		kernels.Parallel(n, func(wk, lo, hi int) {
			b := acc.mark(wk)
			accD, accP, b := b[:nwd], b[nwd:nwd+nwp], b[nwd+nwp:]
			// dz and dd half a 4 KiB period apart (halfPeriodGap), as dd = Wᵀ·dz
			// stores while it loads; dzx is dz with what follows it, the slack
			// of that product's reads
			d, dz, dzx := b[:c*ld], b[c*ld:(c+f)*ld], b[c*ld:]
			b = b[(c+f)*ld+gap:]
			dd, planes := b[:c*ohw], b[c*ohw:]
			clear(accD)
			clear(accP)
			clear(planes)
			for i := lo; i < hi; i++ {
				xi := x.Data()[i*c*hw : (i+1)*c*hw]
				bnGradImage(dz, ld, dy.Data[i*f*ohw:(i+1)*f*ohw], y.Data[i*f*ohw:(i+1)*f*ohw], coef, f, ohw)
				if layPlanes {
					kernels.PlanarReLU(xi, c, g, planes)
				}
				if dwp != nil {
					if kept != nil {
						d = kept.Data[i*c*ld : (i+1)*c*ld]
					} else if wdw != nil {
						kernels.DepthwisePlanes(planes, wdw.Data(), c, g, d, ld)
					} else {
						reluPlanes(d, ld, xi, c, hw)
					}
					kernels.GemmNTDot(f, c, ohw, dz, ld, d, ld, accP, c)
				}
				if dx == nil && dwd == nil {
					continue
				}
				pwT.Apply(dzx, ld, ohw, dd) // read on past dz for never-kept columns
				var dxi []float32
				if dx != nil {
					dxi = dx[i*c*hw : (i+1)*c*hw]
				}
				if wdw != nil {
					var dwk []float32
					if dwd != nil {
						dwk = accD
					}
					kernels.DepthwisePlanesBackward(planes, xi, wdw.Data(), dd, c, g, dxi, dwk)
				} else if dxi != nil {
					kernels.ReLUBackward(xi, dd, dxi)
				}
			}
		})
		pwT.Release()
		if kept != nil {
			tp.Free(kept)
		}
		acc.addTo(dwd, 0)
		acc.addTo(dwp, nwd)
		tp.Free(buf)
		tp.Free(coef)
	}, &self, x, wdw, wpw)
}

// PoolBN returns BN(pool(x)) with BN affine=False (transient, as ReLUSepBN): DARTS' search-network
// pooling ops (max, or average with count_include_pad=False), k×k windows.
//
//	x: (N, C, H, W)  →  (N, C, OH, OW)
func PoolBN(tp *autograd.Tape, x *autograd.Var, isMax bool, k, stride, pad int, st *BNStats, training bool) *autograd.Var {
	tensor.MustRank("nn.PoolBN", "x", x.Shape(), 4, "[N C H W]")
	n, c, h, wd := x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3)
	tensor.MustShape("nn.PoolBN", "running mean", st.Mean.Shape, c)
	g := kernels.Geom{H: h, W: wd, KH: k, KW: k, SH: stride, SW: stride, PH: pad, PW: pad, DH: 1, DW: 1}
	oh, ow := g.OH(), g.OW()
	tensor.Mustf(oh > 0 && ow > 0, "nn.PoolBN", "x", x.Shape(), "an image large enough for a %dx%d window", k, k)
	hw, ohw := h*wd, oh*ow
	y := tp.Alloc(n, c, oh, ow)
	nw := kernels.Slots()
	// keep the argmax for backward wherever it will run, outside the keep
	// budget: recomputing it there cost ~4% of a default-config step on the
	// fast path; keeping it costs 4 bytes an output, 180 MiB of peak RSS at
	// the default config (BENCHMARKS.md, round 15)
	var keptIdx []int32
	if isMax && x.RequiresGrad() && !tp.NoGrad() {
		keptIdx = tp.AllocInt32(n * c * ohw)
	}
	sums := newBNSums(n, c, training)
	kernels.Parallel(n, func(wk, lo, hi int) {
		for i := lo; i < hi; i++ {
			xi, yi := x.Data()[i*c*hw:(i+1)*c*hw], y.Data[i*c*ohw:(i+1)*c*ohw]
			if keptIdx != nil {
				kernels.MaxPool(xi, c, g, yi, keptIdx[i*c*ohw:(i+1)*c*ohw])
			} else if isMax {
				kernels.MaxPoolValues(xi, c, g, yi)
			} else {
				kernels.AvgPool(xi, c, g, false, yi)
			}
			sums.add(i, yi)
		}
	})
	stats := bnInPlace(tp, y, st, training, sums)
	sums.release()
	var self *autograd.Var
	return tp.RecordScalable("PoolBN", y, func(dy *tensor.Tensor) {
		if !x.RequiresGrad() {
			return
		}
		dx := x.GradBuf().Data
		coef := bnBackwardCoefs(tp, y, dy, stats, training, self)
		per := c * ohw
		buf := tp.Alloc(nw, per)
		kernels.Parallel(n, func(wk, lo, hi int) {
			dz := buf.Data[wk*per : (wk+1)*per]
			for i := lo; i < hi; i++ {
				bnGradImage(dz, ohw, dy.Data[i*c*ohw:(i+1)*c*ohw], y.Data[i*c*ohw:(i+1)*c*ohw], coef, c, ohw)
				dxi := dx[i*c*hw : (i+1)*c*hw]
				if isMax {
					kernels.MaxPoolBackward(dz, keptIdx[i*c*ohw:(i+1)*c*ohw], c, hw, ohw, dxi)
				} else {
					kernels.AvgPoolBackward(dz, c, g, false, dxi)
				}
			}
		})
		tp.Free(buf)
		tp.Free(coef)
		if keptIdx != nil {
			tp.FreeInt32(keptIdx)
		}
	}, &self, x)
}

// bnSums holds Σy and Σy² per image and channel (float64), gathered image by
// image in the loop that produces y and added up per channel in image order
// (the same sums for any worker count); nil outside training.
type bnSums struct {
	c    int
	part []float64 // image × channel × {Σ, Σ²}
}

func newBNSums(n, c int, training bool) *bnSums {
	if !training {
		return nil
	}
	b, _ := bnSumsPool.Get().(*bnSums)
	if b == nil || cap(b.part) < n*c*2 {
		b = &bnSums{part: make([]float64, n*c*2)}
	}
	b.c, b.part = c, b.part[:n*c*2]
	return b
}

// bnSumsPool recycles the sums of ops that ran (two per BN, every step).
var bnSumsPool sync.Pool

// release hands b back for reuse (b may be nil).
func (b *bnSums) release() {
	if b != nil {
		bnSumsPool.Put(b)
	}
}

// add records the sums of image i, yi (C×HW).
func (b *bnSums) add(i int, yi []float32) {
	if b == nil {
		return
	}
	hw := len(yi) / b.c
	p := b.part[i*b.c*2 : (i+1)*b.c*2]
	for ci := 0; ci < b.c; ci++ {
		p[2*ci], p[2*ci+1] = kernels.SumSumSq(yi[ci*hw : (ci+1)*hw])
	}
}

// channel returns channel ci's two sums over the images, in image order.
func (b *bnSums) channel(ci int) (s, ss float64) {
	for i := 0; i < len(b.part)/(2*b.c); i++ {
		s += b.part[(i*b.c+ci)*2]
		ss += b.part[(i*b.c+ci)*2+1]
	}
	return s, ss
}

// bnInPlace normalises y (N, C, H, W) in place with BatchNorm(affine=False):
// batch statistics in training from sums (updating st), running ones
// otherwise. It returns (2, C): mean and invstd, for the backward.
func bnInPlace(tp *autograd.Tape, y *tensor.Tensor, st *BNStats, training bool, sums *bnSums) *tensor.Tensor {
	n, c, hw := y.Dim(0), y.Dim(1), y.Dim(2)*y.Dim(3)
	stats := tp.Alloc(2, c)
	for ci := 0; ci < c; ci++ {
		var s, ss float64
		if sums != nil {
			s, ss = sums.channel(ci)
		}
		mu, is := bnFromSums(s, ss, n*hw, ci, st, training)
		stats.Data[ci], stats.Data[c+ci] = float32(mu), float32(is)
	}
	kernels.Parallel(n, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			for ci := 0; ci < c; ci++ {
				p := y.Data[(i*c+ci)*hw : (i*c+ci+1)*hw]
				is := stats.Data[c+ci]
				kernels.Affine(p, p, is, -stats.Data[ci]*is)
			}
		}
	})
	return stats
}

// bnBackwardCoefs returns, per channel of x̂ = y (N, C, H, W), the
// coefficients (3, C) of dz = k·dy + kx·x̂ + k0 for the output gradient s·dy,
// s = self.GradScale() (self: the op's output, y its value): k = s·invstd,
// kx = −s·invstd·mean(dy·x̂), k0 = −s·invstd·mean(dy) in training; k =
// s·invstd, kx = k0 = 0 in evaluation. In training it puts ⟨dy, y⟩, the sum
// of the channels' Σ dy·x̂, where self's consumer wants it (PutGradDot).
func bnBackwardCoefs(tp *autograd.Tape, y, dy, stats *tensor.Tensor, training bool, self *autograd.Var) *tensor.Tensor {
	s := self.GradScale()
	n, c, hw := y.Dim(0), y.Dim(1), y.Dim(2)*y.Dim(3)
	coef := tp.Alloc(3, c)
	m := float64(n * hw)
	var sums *bnSums // Σdy and Σdy·x̂ per image and channel, spread over the images
	if training {
		sums = newBNSums(n, c, true)
		kernels.Parallel(n, func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				p := sums.part[i*c*2 : (i+1)*c*2]
				for ci := 0; ci < c; ci++ {
					o := (i*c + ci) * hw
					p[2*ci], p[2*ci+1] = kernels.SumDotBlocks(dy.Data[o:o+hw], y.Data[o:o+hw])
				}
			}
		})
	}
	var dot float64 // ⟨dy, y⟩
	for ci := 0; ci < c; ci++ {
		is := float64(s) * float64(stats.Data[c+ci])
		var kx, k0 float64
		if training {
			sdy, sdyy := sums.channel(ci)
			kx, k0 = -is*sdyy/m, -is*sdy/m
			dot += sdyy
		}
		coef.Data[ci], coef.Data[c+ci], coef.Data[2*c+ci] = float32(is), float32(kx), float32(k0)
	}
	if training {
		self.PutGradDot(dot)
	}
	sums.release()
	return coef
}

// bnGradImage writes dz = k·dy + kx·x̂ + k0 per channel for one image.
func bnGradImage(dz []float32, ld int, dy, xh []float32, coef *tensor.Tensor, c, hw int) {
	for ci := 0; ci < c; ci++ {
		kernels.Affine2(dz[ci*ld:ci*ld+hw], dy[ci*hw:(ci+1)*hw], xh[ci*hw:(ci+1)*hw], coef.Data[ci], coef.Data[c+ci], coef.Data[2*c+ci])
	}
}

// halfPeriodGap returns the floats to leave after a region of n floats so
// that what follows starts half of 4 KiB away from the region's start,
// modulo 4 KiB. A kernel that loads one region while it stores the other
// then never has a load wait on a store to the same low 12 address bits
// (4 KiB aliasing: the 1×1 convolutions' planes are whole multiples of it).
func halfPeriodGap(n int) int {
	const period = 1024 // floats
	return ((period/2-n)%period + period) % period
}

// reluPlanes sets the planes of d, ld floats apart, to max(x, 0) of x's c
// planes of hw floats.
func reluPlanes(d []float32, ld int, x []float32, c, hw int) {
	for ci := 0; ci < c; ci++ {
		kernels.ReLU(d[ci*ld:ci*ld+hw], x[ci*hw:ci*hw+hw])
	}
}
