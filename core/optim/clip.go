package optim

import (
	"math"

	"github.com/nasplayground/nas/core/autograd"
)

// GradNorm returns the L2 norm of all gradients of params taken together,
// accumulated in float64; parameters whose Grad is nil count as zero.
//
//	sqrt(Σ_p Σ_i grad_p[i]²)
func GradNorm(params []*autograd.Var) float64 {
	var ss float64
	for _, p := range params {
		if p.Grad == nil {
			continue
		}
		for _, g := range p.Grad.Data {
			ss += float64(g) * float64(g)
		}
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
	for _, p := range params {
		if p.Grad == nil {
			continue
		}
		g := p.Grad.Data
		for i := range g {
			g[i] *= c
		}
	}
	return total
}
