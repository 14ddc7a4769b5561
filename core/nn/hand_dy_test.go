package nn_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// Hand-worked backward passes with non-constant upstream gradients: dy = 1
// hides terms (BN's x̂·Σ dy·x̂ vanishes, every max-pool window weighs the
// same), so each case below uses a dy whose every term shows.

func TestBatchNormHandDy(t *testing.T) {
	// x: (N=2, C=2, 1, 2), training. M = 4 values per channel.
	// Channel 0 holds {1, 2 | 3, 4}: μ = 2.5, σ² = 1.25, s = 1/√(1.25+1e-5),
	// x̂ = k·s with k = (−1.5, −0.5, 0.5, 1.5); γ = 2; dy = (1, 0, 0, 0).
	// Channel 1 holds {0, 0 | 0, 4}: μ = 1, σ² = (1+1+1+9)/4 = 3,
	// s₁ = 1/√(3+1e-5), x̂ = k₁·s₁ with k₁ = (−1, −1, −1, 3); γ = 3; dy = (0, 1, 0, 1).
	x := param(tensor.FromData([]float32{1, 2, 0, 0, 3, 4, 0, 4}, 2, 2, 1, 2), "x")
	gamma := param(tensor.FromData([]float32{2, 3}, 2), "gamma")
	beta := param(tensor.FromData([]float32{1, -1}, 2), "beta")
	tp := autograd.NewTape()
	y := nn.BatchNorm(tp, x, gamma, beta, nn.NewBNStats(2), true)
	dy := tensor.FromData([]float32{1, 0, 0, 1, 0, 0, 0, 1}, 2, 2, 1, 2)
	tp.BackwardWith(y, dy)

	s, s1 := 1/math.Sqrt(1.25+1e-5), 1/math.Sqrt(3+1e-5)
	// dβ = Σ dy: 1 and 2. dγ = Σ dy·x̂: −1.5s and (−1+3)·s₁ = 2s₁.
	assert.InDeltaSlice(t, []float64{1, 2}, f64s(beta.Grad.Data), 1e-6)
	assert.InDeltaSlice(t, []float64{-1.5 * s, 2 * s1}, f64s(gamma.Grad.Data), 1e-5)
	// dx = γ·s/M·(M·dy − Σdy − x̂·Σ dy·x̂).
	// Channel 0: (2s/4)·(4dy − 1 + 1.5s²·k):
	//   (s/2)·(3 − 2.25s²), (s/2)·(−1 − 0.75s²), (s/2)·(−1 + 0.75s²), (s/2)·(−1 + 2.25s²)
	//   ≈ 0.536661, −0.715537, −0.178887, 0.357763 (without the x̂ term:
	//   1.341635, −0.447212, −0.447212, −0.447212).
	// Channel 1: (3s₁/4)·(4dy − 2 − 2s₁²·k₁):
	//   (3s₁/4)·(−2 + 2s₁²), (3s₁/4)·(2 + 2s₁²), (3s₁/4)·(−2 + 2s₁²), (3s₁/4)·(2 − 6s₁²)
	//   ≈ −0.577350, 1.154698, −0.577350, 0.000003.
	h, h1 := s/2, 3*s1/4
	ss, ss1 := s*s, s1*s1
	want := []float64{
		h * (3 - 2.25*ss), h * (-1 - 0.75*ss), h1 * (-2 + 2*ss1), h1 * (2 + 2*ss1), // n = 0: channel 0, channel 1
		h * (-1 + 0.75*ss), h * (-1 + 2.25*ss), h1 * (-2 + 2*ss1), h1 * (2 - 6*ss1), // n = 1
	}
	assert.InDeltaSlice(t, want, f64s(x.Grad.Data), 1e-5)
	assert.InDelta(t, 0.536661, want[0], 1e-6, "the working above")
	assert.InDelta(t, -0.577350, want[2], 1e-6, "the working above")
}

func TestPoolHandDy(t *testing.T) {
	neg := tensor.FromData([]float32{-1, -2, -3, -4, -5, -6, -7, -8, -9}, 1, 1, 3, 3)
	cases := []struct {
		name     string
		max      bool
		k, s, p  int
		dy, want []float32
	}{
		{
			// k3 S2 P1 on the negative 3×3: the winners are −1, −2, −4, −5
			// (pixels 0, 1, 3, 4); dy = (1, 2, 3, 4) lands on them in order.
			name: "max_stride2", max: true, k: 3, s: 2, p: 1,
			dy: []float32{1, 2, 3, 4}, want: []float32{1, 2, 0, 3, 4, 0, 0, 0, 0},
		},
		{
			// k3 S1 P1: y[r][c] = x[max(r−1,0)][max(c−1,0)]; with dy = 1..9 pixel 0
			// wins outputs (0,0) (0,1) (1,0) (1,1) → 1+2+4+5 = 12, pixel 1 wins
			// (0,2) (1,2) → 3+6 = 9, pixel 3 wins (2,0) (2,1) → 7+8 = 15, pixel 4 (2,2) → 9.
			name: "max_stride1", max: true, k: 3, s: 1, p: 1,
			dy: seq(1, 9), want: []float32{12, 9, 0, 15, 9, 0, 0, 0, 0},
		},
		{
			// avg k3 S1 P1, count_include_pad=False: output (r,c) divides by its
			// count of real pixels (corners 4, edges 6, centre 9), so pixel p gets
			// Σ dy[o]/count[o] over the windows o that hold it. dy = 1..9:
			// pixel 0: 1/4 + 2/6 + 4/6 + 5/9 = 65/36;
			// pixel 1: 1/4 + 2/6 + 3/4 + 4/6 + 5/9 + 6/6 = 128/36;
			// pixel 4: (1+3+7+9)/4 + (2+4+6+8)/6 + 5/9 = 320/36;
			// pixel 2: 2/6 + 3/4 + 5/9 + 6/6 = 95/36; the others by the same rule.
			name: "avg_exclude_pad", k: 3, s: 1, p: 1,
			dy: seq(1, 9),
			want: []float32{65.0 / 36, 128.0 / 36, 95.0 / 36, 176.0 / 36, 320.0 / 36, 224.0 / 36,
				155.0 / 36, 272.0 / 36, 185.0 / 36},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tp := autograd.NewTape()
			x := param(neg.Clone(), "x")
			var y *autograd.Var
			if tc.max {
				y = nn.MaxPool2D(tp, x, tc.k, tc.s, tc.p)
			} else {
				y = nn.AvgPool2D(tp, x, tc.k, tc.s, tc.p, false)
			}
			tp.BackwardWith(y, tensor.FromData(tc.dy, y.Shape()...))
			assert.InDeltaSlice(t, tc.want, x.Grad.Data, 1e-5)
		})
	}
}

func f64s(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}
