package pnas

import (
	"math"
	"math/rand/v2"
	"sort"

	"github.com/nasplayground/nas/core/nb201"
)

// MLP is a one-hidden-layer perceptron y = w2·relu(W1 x + b1) + b2 that
// regresses a cell's reward from its features. Weights are float64: the
// surrogate is tiny (tens of inputs, 16 hidden units, at most a few hundred
// cells), so a dense hand-written loop beats a tape.
type MLP struct {
	In, Hidden int
	W1, B1     []float64 // W1: (Hidden, In) row-major; B1: (Hidden)
	W2         []float64 // (Hidden)
	B2         float64
}

// NewMLP returns an MLP with He-uniform weights drawn from rng.
func NewMLP(in, hidden int, rng *rand.Rand) *MLP {
	m := &MLP{In: in, Hidden: hidden, W1: make([]float64, hidden*in), B1: make([]float64, hidden), W2: make([]float64, hidden)}
	a1, a2 := math.Sqrt(6/float64(in)), math.Sqrt(6/float64(hidden))
	for i := range m.W1 {
		m.W1[i] = (2*rng.Float64() - 1) * a1
	}
	for i := range m.W2 {
		m.W2[i] = (2*rng.Float64() - 1) * a2 / 2
	}
	return m
}

// Predict returns y for one feature vector x (len In).
func (m *MLP) Predict(x []float64) float64 { return m.forward(x, make([]float64, m.Hidden)) }

// forward returns ŷ = w2·h + b2 and fills h = relu(W1 x + b1).
func (m *MLP) forward(x, h []float64) float64 {
	y := m.B2
	for j := range m.Hidden {
		s := m.B1[j]
		row := m.W1[j*m.In : (j+1)*m.In]
		for i, v := range x {
			s += row[i] * v
		}
		h[j] = max(s, 0)
		y += m.W2[j] * h[j]
	}
	return y
}

// lossGrad returns the mean squared error ½·mean((ŷ−y)²) over the set and
// accumulates its gradient into the g* slices (same layout as the weights).
func (m *MLP) lossGrad(xs [][]float64, ys []float64, gW1, gB1, gW2 []float64, gB2 *float64) float64 {
	h := make([]float64, m.Hidden)
	n := float64(len(xs))
	loss := 0.0
	for k, x := range xs {
		yhat := m.forward(x, h) // ŷ = w2·relu(W1 x + b1) + b2
		d := (yhat - ys[k]) / n // dL/dŷ
		loss += 0.5 * (yhat - ys[k]) * (yhat - ys[k]) / n
		*gB2 += d
		for j := range m.Hidden {
			gW2[j] += d * h[j] // dw2 += dŷ·h
			if h[j] <= 0 {
				continue // relu: no gradient below the kink
			}
			dh := d * m.W2[j] // dh = dŷ·w2
			gB1[j] += dh
			row := gW1[j*m.In : (j+1)*m.In]
			for i, v := range x {
				row[i] += dh * v // dW1 += dh·xᵀ
			}
		}
	}
	return loss
}

// Fit trains m by full-batch Adam (lr, β = 0.9, 0.999) on the mean squared
// error for epochs passes and returns the final loss.
func (m *MLP) Fit(xs [][]float64, ys []float64, epochs int, lr float64) float64 {
	params := [][]float64{m.W1, m.B1, m.W2, {m.B2}}
	grads := make([][]float64, len(params))
	mom := make([][]float64, len(params))
	vel := make([][]float64, len(params))
	for i, p := range params {
		grads[i], mom[i], vel[i] = make([]float64, len(p)), make([]float64, len(p)), make([]float64, len(p))
	}
	const b1, b2, eps = 0.9, 0.999, 1e-8
	loss := 0.0
	for t := 1; t <= epochs; t++ {
		for _, g := range grads {
			clear(g)
		}
		var gB2 float64
		loss = m.lossGrad(xs, ys, grads[0], grads[1], grads[2], &gB2)
		grads[3][0] = gB2
		params[3][0] = m.B2
		c1, c2 := 1-math.Pow(b1, float64(t)), 1-math.Pow(b2, float64(t))
		for i, p := range params {
			for k := range p {
				g := grads[i][k]
				mom[i][k] = b1*mom[i][k] + (1-b1)*g
				vel[i][k] = b2*vel[i][k] + (1-b2)*g*g
				p[k] -= lr * (mom[i][k] / c1) / (math.Sqrt(vel[i][k]/c2) + eps)
			}
		}
		m.B2 = params[3][0]
	}
	return loss
}

// Surrogate is an ensemble of MLPs fit on standardised rewards; its prediction
// is the members' mean, mapped back to the reward's scale. Members differ in
// their initial weights and in a bootstrap resample of the cells (PNAS §3.3,
// the MLP-ensemble predictor).
type Surrogate struct {
	Members   []*MLP
	mean, std float64
}

// SurrogateConfig sizes the ensemble.
type SurrogateConfig struct {
	Members, Hidden, Epochs int
	LR                      float64
}

// DefaultSurrogate is 5 MLPs of 16 hidden units, 200 Adam epochs at lr 0.01.
func DefaultSurrogate() SurrogateConfig {
	return SurrogateConfig{Members: 5, Hidden: 16, Epochs: 200, LR: 0.01}
}

// FitSurrogate fits a fresh ensemble on (xs, ys); xs must be non-empty and of
// equal lengths.
func FitSurrogate(cfg SurrogateConfig, xs [][]float64, ys []float64, rng *rand.Rand) *Surrogate {
	s := &Surrogate{}
	s.mean, s.std = nb201.MeanStd(ys)
	if s.std == 0 {
		s.std = 1
	}
	z := make([]float64, len(ys))
	for i, y := range ys {
		z[i] = (y - s.mean) / s.std
	}
	for range cfg.Members {
		m := NewMLP(len(xs[0]), cfg.Hidden, rng)
		bx, by := make([][]float64, len(xs)), make([]float64, len(xs))
		for i := range bx {
			k := rng.IntN(len(xs))
			bx[i], by[i] = xs[k], z[k]
		}
		m.Fit(bx, by, cfg.Epochs, cfg.LR)
		s.Members = append(s.Members, m)
	}
	return s
}

// Predict returns the ensemble mean for x, in reward units.
func (s *Surrogate) Predict(x []float64) float64 {
	p := 0.0
	for _, m := range s.Members {
		p += m.Predict(x)
	}
	return s.mean + s.std*p/float64(len(s.Members))
}

// KendallTau returns Kendall's τ-b rank correlation of a and b (equal
// lengths): (concordant − discordant) / √((n₀−n₁)(n₀−n₂)), where n₁, n₂ count
// the pairs tied in a and in b. It returns 0 when fewer than 2 pairs are untied.
func KendallTau(a, b []float64) float64 {
	var conc, disc, tieA, tieB float64
	for i := range a {
		for j := i + 1; j < len(a); j++ {
			da, db := a[i]-a[j], b[i]-b[j]
			switch {
			case da == 0 && db == 0:
				tieA++
				tieB++
			case da == 0:
				tieA++
			case db == 0:
				tieB++
			case (da > 0) == (db > 0):
				conc++
			default:
				disc++
			}
		}
	}
	n0 := float64(len(a)) * float64(len(a)-1) / 2
	den := math.Sqrt((n0 - tieA) * (n0 - tieB))
	if den == 0 {
		return 0
	}
	return (conc - disc) / den
}

// rankDesc returns the indices of p sorted by decreasing value (stable).
func rankDesc(p []float64) []int {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return p[idx[i]] > p[idx[j]] })
	return idx
}
