package nn

import (
	"math"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/internal/kernels"
	"github.com/nasplayground/nas/core/tensor"
)

// BNStats is the running state of a batch norm layer (PyTorch defaults:
// momentum 0.1, eps 1e-5; running_var starts at 1 and is updated with the
// unbiased batch variance).
type BNStats struct {
	Mean, Var *tensor.Tensor // (C)
	Momentum  float64
	Eps       float64
}

// NewBNStats returns running statistics for c channels with PyTorch defaults.
func NewBNStats(c int) *BNStats {
	v := tensor.New(c)
	v.Fill(1)
	return &BNStats{Mean: tensor.New(c), Var: v, Momentum: 0.1, Eps: 1e-5}
}

// BatchNorm normalises each channel. In training it uses the batch mean and
// biased variance (and updates the running statistics); in evaluation it uses
// the running statistics. gamma and beta (C) may be nil (affine=False).
//
//	x: (N, C, H, W)  →  y = (x − μ_c)/√(σ²_c + eps) · γ_c + β_c
func BatchNorm(tp *autograd.Tape, x, gamma, beta *autograd.Var, st *BNStats, training bool) *autograd.Var {
	tensor.MustRank("nn.BatchNorm", "x", x.Shape(), 4, "[N C H W]")
	n, c, hw := x.Dim(0), x.Dim(1), x.Dim(2)*x.Dim(3)
	tensor.MustShape("nn.BatchNorm", "running mean", st.Mean.Shape, c)
	if gamma != nil {
		tensor.MustShape("nn.BatchNorm", "gamma", gamma.Shape(), c)
		tensor.MustShape("nn.BatchNorm", "beta", beta.Shape(), c)
	}
	m := n * hw
	y := tp.Alloc(x.Shape()...)
	stats := tp.Alloc(2, c) // mean, invstd used by forward and backward
	mean, invstd := stats.Data[:c], stats.Data[c:]
	xd := x.Data()
	// the statistics image by image over the workers, summed per channel in
	// image order (as one pass over a channel would)
	sums := newBNSums(n, c, training)
	if training {
		kernels.Parallel(n, func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				sums.add(i, xd[i*c*hw:(i+1)*c*hw])
			}
		})
	}
	coef := make([]float32, 2*c) // scale, shift per channel
	for ci := 0; ci < c; ci++ {
		var s, ss float64
		if training {
			s, ss = sums.channel(ci)
		}
		mu, is := bnFromSums(s, ss, m, ci, st, training)
		mean[ci], invstd[ci] = float32(mu), float32(is)
		scale, shift := float32(is), float32(-mu*is)
		if gamma != nil {
			gv := gamma.Data()[ci]
			scale, shift = scale*gv, shift*gv+beta.Data()[ci]
		}
		coef[ci], coef[c+ci] = scale, shift
	}
	sums.release()
	kernels.Parallel(n, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			for ci := 0; ci < c; ci++ {
				o := (i*c + ci) * hw
				kernels.Affine(y.Data[o:o+hw], xd[o:o+hw], coef[ci], coef[c+ci])
			}
		}
	})
	return tp.Record("BatchNorm", y, func(dy *tensor.Tensor) {
		// forward: x̂ = (x − μ)·invstd, y = γ·x̂ + β
		// dβ += Σ dy; dγ += Σ dy·x̂
		// training: dx += γ·invstd/M · (M·dy − Σdy − x̂·Σ(dy·x̂));  eval: dx += γ·invstd·dy
		var dx, dg, db []float32
		if x.RequiresGrad() {
			dx = x.GradBuf().Data
		}
		if gamma != nil && gamma.RequiresGrad() {
			dg = gamma.GradBuf().Data
		}
		if beta != nil && beta.RequiresGrad() {
			db = beta.GradBuf().Data
		}
		// Σdy and Σdy·x per plane (float64) image by image over the workers,
		// then per channel in image order; Σdy·x̂ = invstd·(Σdy·x − μ·Σdy)
		part := newBNSums(n, c, true)
		kernels.Parallel(n, func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				p := part.part[i*c*2 : (i+1)*c*2]
				for ci := 0; ci < c; ci++ {
					o := (i*c + ci) * hw
					p[2*ci], p[2*ci+1] = kernels.SumDot(dy.Data[o:o+hw], xd[o:o+hw])
				}
			}
		})
		k3 := make([]float32, 3*c) // dx += k·dy + kx·x + k0 per channel
		for ci := 0; ci < c; ci++ {
			mu, is := mean[ci], invstd[ci]
			sdy, sdyxr := part.channel(ci)
			sdyx := float64(is) * (sdyxr - float64(mu)*sdy)
			if dg != nil {
				dg[ci] += float32(sdyx)
			}
			if db != nil {
				db[ci] += float32(sdy)
			}
			gv := float32(1)
			if gamma != nil {
				gv = gamma.Data()[ci]
			}
			k := gv * is
			k3[ci] = k
			if training {
				// dx += k·(dy − a − x̂·b) = k·dy − k·b·invstd·x + k·(b·invstd·μ − a)
				a := sdy / float64(m)
				bb := sdyx / float64(m)
				k3[c+ci] = float32(-float64(k) * bb * float64(is))
				k3[2*c+ci] = float32(float64(k) * (bb*float64(is)*float64(mu) - a))
			}
		}
		part.release()
		if dx == nil {
			return
		}
		kernels.Parallel(n, func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				for ci := 0; ci < c; ci++ {
					o := (i*c + ci) * hw
					if !training {
						kernels.Axpy(k3[ci], dy.Data[o:o+hw], dx[o:o+hw])
					} else {
						kernels.AddAffine2(dx[o:o+hw], dy.Data[o:o+hw], xd[o:o+hw], k3[ci], k3[c+ci], k3[2*c+ci])
					}
				}
			}
		})
	}, x, gamma, beta)
}

// bnFromSums returns channel ci's mean and 1/√(var+eps) given Σx and Σx²
// over its m values: the batch's (biased variance), updating the running
// statistics with the unbiased one, in training; the running statistics
// otherwise.
func bnFromSums(s, ss float64, m, ci int, st *BNStats, training bool) (mu, is float64) {
	var v float64
	if training {
		mu = s / float64(m)
		v = max(ss/float64(m)-mu*mu, 0)
		unbiased := v
		if m > 1 {
			unbiased = v * float64(m) / float64(m-1)
		}
		st.Mean.Data[ci] = float32((1-st.Momentum)*float64(st.Mean.Data[ci]) + st.Momentum*mu)
		st.Var.Data[ci] = float32((1-st.Momentum)*float64(st.Var.Data[ci]) + st.Momentum*unbiased)
	} else {
		mu, v = float64(st.Mean.Data[ci]), float64(st.Var.Data[ci])
	}
	return mu, 1 / math.Sqrt(v+st.Eps)
}
