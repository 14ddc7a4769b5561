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
	kernels.Parallel(c, func(_, lo, hi int) {
		for ci := lo; ci < hi; ci++ {
			mu, is := bnChannelStats(xd, n, c, hw, ci, st, training)
			mean[ci], invstd[ci] = float32(mu), float32(is)
			scale, shift := float32(is), float32(-mu*is)
			if gamma != nil {
				gv := gamma.Data()[ci]
				scale, shift = scale*gv, shift*gv+beta.Data()[ci]
			}
			for i := 0; i < n; i++ {
				kernels.Affine(y.Data[(i*c+ci)*hw:(i*c+ci+1)*hw], xd[(i*c+ci)*hw:(i*c+ci+1)*hw], scale, shift)
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
		kernels.Parallel(c, func(_, lo, hi int) {
			for ci := lo; ci < hi; ci++ {
				mu, is := mean[ci], invstd[ci]
				// Σdy and Σdy·x per plane (float64);
				// Σdy·x̂ = invstd·(Σdy·x − μ·Σdy)
				var sdy, sdyxr float64
				for i := 0; i < n; i++ {
					a, b := kernels.SumDot(dy.Data[(i*c+ci)*hw:(i*c+ci+1)*hw], xd[(i*c+ci)*hw:(i*c+ci+1)*hw])
					sdy, sdyxr = sdy+a, sdyxr+b
				}
				sdyx := float64(is) * (sdyxr - float64(mu)*sdy)
				if dg != nil {
					dg[ci] += float32(sdyx)
				}
				if db != nil {
					db[ci] += float32(sdy)
				}
				if dx == nil {
					continue
				}
				gv := float32(1)
				if gamma != nil {
					gv = gamma.Data()[ci]
				}
				k := gv * is
				if !training {
					for i := 0; i < n; i++ {
						kernels.Axpy(k, dy.Data[(i*c+ci)*hw:(i*c+ci+1)*hw], dx[(i*c+ci)*hw:(i*c+ci+1)*hw])
					}
					continue
				}
				// dx += k·(dy − a − x̂·b) = k·dy − k·b·invstd·x + k·(b·invstd·μ − a)
				a := sdy / float64(m)
				bb := sdyx / float64(m)
				kx := -float64(k) * bb * float64(is)
				k0 := float64(k) * (bb*float64(is)*float64(mu) - a)
				for i := 0; i < n; i++ {
					kernels.AddAffine2(dx[(i*c+ci)*hw:(i*c+ci+1)*hw], dy.Data[(i*c+ci)*hw:(i*c+ci+1)*hw],
						xd[(i*c+ci)*hw:(i*c+ci+1)*hw], k, float32(kx), float32(k0))
				}
			}
		})
	}, x, gamma, beta)
}

// bnChannelStats returns channel ci's mean and 1/√(var+eps) of x (N, C, HW):
// the batch's (one pass, Σx and Σx² in float64, biased variance), updating
// the running statistics with the unbiased one, in training; the running
// statistics otherwise.
func bnChannelStats(xd []float32, n, c, hw, ci int, st *BNStats, training bool) (mu, is float64) {
	var s, ss float64
	if training {
		for i := 0; i < n; i++ {
			a, b := kernels.SumSumSq(xd[(i*c+ci)*hw : (i*c+ci+1)*hw])
			s, ss = s+a, ss+b
		}
	}
	return bnFromSums(s, ss, n*hw, ci, st, training)
}

// bnFromSums is bnChannelStats given Σx and Σx² over the m values of
// channel ci.
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
