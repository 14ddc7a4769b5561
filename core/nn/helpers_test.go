package nn_test

import (
	"math"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/tensor"
)

// Gradient-check settings (autograd.CheckGrad): Richardson-extrapolated
// central differences with steps 1e-2 and 5e-3 (inputs are kept ≥ 0.1 from
// ReLU kinks and ≥ 0.02 apart under max-pool, so no step crosses a kink).
// Measured on all 105 cases, portable and SIMD kernels alike, the honest
// errors are ≤ 2.2e-3 (element) and ≤ 6.9e-4 (norm): float32 rounding of the
// forward. A backward scaled by 1.01 gives norm ≈ 1e-2, so gradNormTol fails
// it with margin on both sides (scripts/gradscale.sh proves it op by op).
const (
	gradEps     = 1e-2
	gradTol     = 1e-2
	gradNormTol = 4e-3
)

// uniform returns a tensor of the given shape with values U(lo, hi).
func uniform(rng *tensor.RNG, lo, hi float32, shape ...int) *tensor.Tensor {
	t := tensor.New(shape...)
	rng.Uniform(t, lo, hi)
	return t
}

// awayFromZero returns values with |v| in [0.1, 1) and a random sign, so a
// ReLU (or a ReLU after a shift-free op) never sits on its kink within ±eps.
func awayFromZero(rng *tensor.RNG, shape ...int) *tensor.Tensor {
	t := tensor.New(shape...)
	for i := range t.Data {
		v := 0.1 + 0.9*rng.Float32()
		if rng.IntN(2) == 0 {
			v = -v
		}
		t.Data[i] = v
	}
	return t
}

// distinct returns a random permutation of the values (k − len/2)·0.02, so
// any two entries differ by ≥ 0.02 ≫ 2·eps: no max-pool window has a near-tie.
func distinct(rng *tensor.RNG, shape ...int) *tensor.Tensor {
	t := tensor.New(shape...)
	n := len(t.Data)
	for i, p := range rng.Perm(n) {
		t.Data[i] = float32(p-n/2) * 0.02
	}
	return t
}

// param wraps t as a named leaf that collects gradients.
func param(t *tensor.Tensor, name string) *autograd.Var { return autograd.Param(t, name) }

// nearly reports whether a and b agree to a relative tolerance tol.
func nearly(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Abs(a)+math.Abs(b))
}
