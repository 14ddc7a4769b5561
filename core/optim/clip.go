package optim

import (
	"math"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/internal/kernels"
)

// GradNorm returns the L2 norm of all gradients of params taken together,
// accumulated in float64; parameters whose Grad is nil count as zero.
//
//	sqrt(Σ_p Σ_i grad_p[i]²)
//
// The sum runs block by block over the parameters taken end to end (blocks of
// the kernel workers; the same value for any worker count).
func GradNorm(params []*autograd.Var) float64 {
	total, nb := numBlocks(params)
	if !parallelBlocks(nb) {
		var ss, part float64 // part: block cur's sum, added in block order
		cur := 0
		forBlocks(params, total, 0, nb, func(b, k, lo, hi int) {
			if b != cur {
				ss, part, cur = ss+part, 0, b
			}
			if g := params[k].Grad; g != nil {
				part += kernels.SumSq(g.Data[lo:hi])
			}
		})
		return math.Sqrt(ss + part)
	}
	part := make([]float64, nb)
	spreadBlocks(params, total, nb, func(b, k, lo, hi int) {
		if g := params[k].Grad; g != nil {
			part[b] += kernels.SumSq(g.Data[lo:hi])
		}
	})
	var ss float64
	for _, s := range part {
		ss += s
	}
	return math.Sqrt(ss)
}

// ClipGradNorm is torch.nn.utils.clip_grad_norm_ with the L2 norm: it returns
// the total norm of the gradients before clipping (GradNorm) and, when
// coef = maxNorm/(total+1e-6) is below 1 (total > maxNorm up to the 1e-6),
// multiplies every gradient by float32(coef). Gradients below the threshold
// are left untouched. The norm is accumulated in float64 (torch uses float32).
// A non-finite total leaves the gradients as they are; callers check it. DARTS
// clips the weight gradients at 5.
func ClipGradNorm(params []*autograd.Var, maxNorm float64) (totalNorm float64) {
	total := GradNorm(params)
	coef := maxNorm / (total + 1e-6)
	if math.IsNaN(total) || math.IsInf(total, 0) || !(coef < 1) {
		return total
	}
	c := float32(coef)
	n, nb := numBlocks(params)
	if !parallelBlocks(nb) {
		for _, p := range params {
			if p.Grad != nil {
				kernels.Scale(c, p.Grad.Data)
			}
		}
		return total
	}
	spreadBlocks(params, n, nb, func(_, k, lo, hi int) {
		if g := params[k].Grad; g != nil {
			kernels.Scale(c, g.Data[lo:hi])
		}
	})
	return total
}
