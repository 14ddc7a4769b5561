package darts

import (
	"math"
	"testing"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/internal/kernels"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/tensor"
	"github.com/stretchr/testify/require"
)

// unrollCase is a toy supernet, smooth in w and α: eq. 7 is the derivative
// of L_val(w′(α), α) only where ∇w L_train is continuous in α, and in the
// real search network every ReLU and max-pool makes it jump (a ReLU input
// that α moves across 0 switches the mask, so w′ jumps by η·Δ∇w), which
// defeats any finite difference. The Architect only sees loss functions and
// two lists of leaves, so the toy exercises StepSecondOrder exactly as the
// search does. Its cell, on 4 images of 3×8×8 (synthetic quadrants, 4 classes):
//
//	s = conv3×3(x; w0)                                  (3→4 channels)
//	h1 = Σ_k softmax(A)[0]_k·op_k(s)
//	h2 = Σ_k softmax(A)[1]_k·op_k'(h1) + Σ_k softmax(B)[0]_k·op_k''(s)
//	logits = Linear(GAP(BN(h2; γ, β)); W, b)
//
// with ops none, skip, avg_pool_3x3, conv3×3 and conv1×1 (each conv its own
// weight): the DARTS mixed op (eq. 2) on two α leaves, as α_normal and
// α_reduce. α is drawn wider than the reference's 1e-3·N(0,1) so the ops
// weigh differently; the weight optimiser state has momentum buffers m.
type unrollCase struct {
	train, val  LossFn
	xt, xv      *tensor.Tensor // the batches the two losses read
	yt, yv      []int32
	m           [][]float32
	eta, mu, wd float64
	weights     []*autograd.Var
	alp         []*autograd.Var
}

func newUnrollCase(t *testing.T) *unrollCase {
	rng := tensor.NewRNG(21)
	leaf := func(name string, sd float32, shape ...int) *autograd.Var {
		v := tensor.New(shape...)
		rng.Normal(v, 0, sd)
		return autograd.Param(v, name)
	}
	w0 := leaf("w0", 0.3, 4, 3, 3, 3)
	var convs []*autograd.Var // per edge: conv3×3, conv1×1
	for e := 0; e < 3; e++ {
		convs = append(convs, leaf("conv3", 0.2, 4, 4, 3, 3), leaf("conv1", 0.5, 4, 4, 1, 1))
	}
	gamma, beta := leaf("gamma", 0.1, 4), leaf("beta", 0.1, 4)
	for i := range gamma.Value.Data {
		gamma.Value.Data[i]++
	}
	lw, lb := leaf("W", 0.5, 4, 4), leaf("b", 0.1, 4)
	A, B := leaf("alphaA", 0.5, 2, 5), leaf("alphaB", 0.5, 1, 5)
	mixed := func(tp *autograd.Tape, p *autograd.Var, row, e int, x *autograd.Var) *autograd.Var {
		return nn.WeightedSum(tp, p, row, []*autograd.Var{nil, x, nn.AvgPool2D(tp, x, 3, 1, 1, false),
			nn.Conv2D(tp, x, convs[2*e], nil, nn.Square(1, 1, 1, 1)), nn.Conv2D(tp, x, convs[2*e+1], nil, nn.ConvOpts{})})
	}
	forward := func(tp *autograd.Tape, x *tensor.Tensor) *autograd.Var {
		pa, pb := nn.Softmax(tp, A), nn.Softmax(tp, B)
		s := nn.Conv2D(tp, autograd.Const(x), w0, nil, nn.Square(1, 1, 1, 1))
		h1 := mixed(tp, pa, 0, 0, s)
		h2 := nn.Add(tp, mixed(tp, pa, 1, 1, h1), mixed(tp, pb, 0, 2, s))
		h := nn.GlobalAvgPool(tp, nn.BatchNorm(tp, h2, gamma, beta, nn.NewBNStats(4), true))
		return nn.Linear(tp, h, lw, lb)
	}
	batch := func(seed uint64) (*tensor.Tensor, []int32) {
		ds := synthetic(4, 8, seed)
		x, y := make([]float32, 4*3*64), make([]int32, 4)
		data.NewLoader(ds, 4, false, data.Augment{}, 0).Next(x, y)
		return tensor.FromData(x, 4, 3, 8, 8), y
	}
	c := &unrollCase{eta: 0.2, mu: 0.9, wd: 0.05,
		weights: append(append([]*autograd.Var{w0}, convs...), gamma, beta, lw, lb), alp: []*autograd.Var{A, B}}
	c.xt, c.yt = batch(3)
	c.xv, c.yv = batch(4)
	c.train = func(tp *autograd.Tape) *autograd.Var { return nn.CrossEntropy(tp, forward(tp, c.xt), c.yt) }
	c.val = func(tp *autograd.Tape) *autograd.Var { return nn.CrossEntropy(tp, forward(tp, c.xv), c.yv) }
	for _, w := range c.weights {
		m := tensor.New(w.Value.Shape...)
		rng.Normal(m, 0, 0.5)
		c.m = append(c.m, m.Data)
	}
	return c
}

// unroll sets w to the unrolled step, formed here (in float64) and not by
// the Architect,
//
//	w′(α) = w − η·(μ·m + ∇w L_train(w, α) + λ·w),
//
// with ∇w L_train from the tape, and returns the function that puts w back.
func (c *unrollCase) unroll(tp *autograd.Tape) (restore func()) {
	theta := make([][]float32, len(c.weights))
	for i, w := range c.weights {
		theta[i] = append([]float32(nil), w.Value.Data...)
	}
	setRequires(c.alp, false)
	gradOf(tp, c.train, c.weights)
	setRequires(c.alp, true)
	tp.Reset()
	for i, w := range c.weights {
		for j, th := range theta[i] {
			step := float64(w.Grad.Data[j]) + c.mu*float64(c.m[i][j]) + c.wd*float64(th)
			w.Value.Data[j] = float32(float64(th) - c.eta*step)
		}
	}
	return func() {
		for i, w := range c.weights {
			copy(w.Value.Data, theta[i])
		}
	}
}

// unrolledVal is the function whose α gradient eq. 7 is, with w fixed:
// F(α) = L_val(w′(α), α).
func (c *unrollCase) unrolledVal(tp *autograd.Tape) float64 {
	defer c.unroll(tp)()
	tp.SetNoGrad(true)
	defer tp.SetNoGrad(false)
	defer tp.Reset()
	return float64(c.val(tp).Value.Data[0])
}

// numericalAlphaGrad returns dF/dα by central differences of F in each α
// component, Richardson-extrapolated from steps h and h/2:
// n = (4·D(h/2) − D(h))/3, truncation O(h⁴).
//
// Why h = 0.04: F is computed by a float32 network whose loss (≈ 1.4)
// carries a rounding noise of about 1e-7 relative; a central difference with
// step h turns it into ≈ 1e-7·1.4/h, and the extrapolation multiplies that by
// ≈ 3, so ≈ 1e-5 at h = 0.04 per component, against components of 1e-3 to
// 3e-3 (‖∇‖ ≈ 0.013). Truncation: the toy is smooth in α, and Richardson
// leaves O(h⁴). The test prints the table: n(0.08) and n(0.02) agree with
// n(0.04) to 6e-4 and 1e-3 of ‖n‖ — the first mostly truncation, the second
// noise (it doubles as h halves) — both well under the tolerances.
func (c *unrollCase) numericalAlphaGrad(tp *autograd.Tape, h float64) [][]float64 {
	d := func(a []float32, j int, h float64) float64 {
		orig := a[j]
		a[j] = orig + float32(h)
		fp := c.unrolledVal(tp)
		a[j] = orig - float32(h)
		fm := c.unrolledVal(tp)
		a[j] = orig
		return (fp - fm) / (float64(orig+float32(h)) - float64(orig-float32(h)))
	}
	out := make([][]float64, len(c.alp))
	for i, al := range c.alp {
		out[i] = make([]float64, al.Value.Len())
		for j := range out[i] {
			out[i][j] = (4*d(al.Value.Data, j, h/2) - d(al.Value.Data, j, h)) / 3
		}
	}
	return out
}

// firstTerm is ∇α L_val(w′, α) at the unrolled w′ (eq. 7 without the
// Hessian term), from the tape; the Hessian term of a gradient g is g − firstTerm.
func (c *unrollCase) firstTerm(tp *autograd.Tape) [][]float64 {
	defer c.unroll(tp)()
	setRequires(c.weights, false)
	gradOf(tp, c.val, c.alp)
	setRequires(c.weights, true)
	tp.Reset()
	out := make([][]float64, len(c.alp))
	for i, al := range c.alp {
		out[i] = f64(al.Grad.Data)
	}
	return out
}

// relNorm returns ‖a−b‖/‖b‖ over all components.
func relNorm(a, b [][]float64) float64 {
	var dd, bb float64
	for i := range a {
		for j := range a[i] {
			dd += (a[i][j] - b[i][j]) * (a[i][j] - b[i][j])
			bb += b[i][j] * b[i][j]
		}
	}
	return math.Sqrt(dd / bb)
}

func sub(a, b [][]float64) [][]float64 {
	out := make([][]float64, len(a))
	for i := range a {
		out[i] = make([]float64, len(a[i]))
		for j := range a[i] {
			out[i][j] = a[i][j] - b[i][j]
		}
	}
	return out
}

func norm(a [][]float64) float64 {
	var s float64
	for _, r := range a {
		for _, v := range r {
			s += v * v
		}
	}
	return math.Sqrt(s)
}

// The α gradient that StepSecondOrder takes its Adam step with, against the
// derivative of F(α) = L_val(w′(α), α) taken by central differences (the
// unrolled step with momentum and weight decay on). Checked twice: the whole
// gradient, and its Hessian term alone (gradient − ∇α L_val(w′, α)), so an
// error in the eq. 8 product (sign, ξ, a 5% scale) cannot hide behind the
// larger first term. η = 0.2, μ = 0.9, λ = 0.05 and ‖m‖ large make the
// momentum, decay and Hessian parts each move the result by far more than
// the tolerance (the test prints by how much).
func TestSecondOrderAlphaGradByValue(t *testing.T) {
	defer kernels1()()
	c := newUnrollCase(t)
	tp := autograd.NewTape()

	// the Architect's gradient: Adam with lr 0 leaves α in place and the
	// gradient it stepped with in α.Grad
	a := &Architect{Weights: c.weights, Alphas: c.alp, Opt: optim.NewAdam(c.alp, 0, 0.5, 0.999, 1e-8, 0),
		WeightMomentum: c.mu, WeightDecay: c.wd}
	theta := make([][]float32, len(c.weights))
	for i, w := range c.weights {
		theta[i] = append([]float32(nil), w.Value.Data...)
	}
	lval := a.StepSecondOrder(tp, c.train, c.val, c.eta, c.m)
	analytic := make([][]float64, len(c.alp))
	for i, al := range c.alp {
		analytic[i] = f64(al.Grad.Data)
	}
	// w is back to θ up to the rounding of the eq. 8 shifts (±ε·v in float32)
	for i, w := range c.weights {
		require.InDeltaSlice(t, f64(theta[i]), f64(w.Value.Data), 1e-6, "weights restored")
		copy(w.Value.Data, theta[i])
	}
	tp.Reset()
	require.InDelta(t, c.unrolledVal(tp), lval, 1e-5, "StepSecondOrder returns L_val(w′, α)")

	numerical := c.numericalAlphaGrad(tp, 0.04)
	first := c.firstTerm(tp)
	hessA, hessN := sub(analytic, first), sub(numerical, first)

	const tolTotal, tolHess = 3e-3, 1e-2
	eTotal, eHess := relNorm(analytic, numerical), relNorm(hessA, hessN)
	t.Logf("α gradient of StepSecondOrder vs central differences of L_val(w′(α), α), %d components", len(analytic[0])+len(analytic[1]))
	t.Logf("  ‖numerical‖ = %.6f  ‖analytic‖ = %.6f  ‖first term ∇α L_val(w′,α)‖ = %.6f  ‖Hessian term‖ = %.6f",
		norm(numerical), norm(analytic), norm(first), norm(hessN))
	t.Logf("  whole gradient: ‖a−n‖/‖n‖ = %.2e (tolerance %.0e)", eTotal, tolTotal)
	t.Logf("  Hessian term:   ‖a−n‖/‖n‖ = %.2e (tolerance %.0e)", eHess, tolHess)
	for k := 0; k < 4; k++ {
		t.Logf("  alphaA[%d]: analytic %+.6f  numerical %+.6f  first term %+.6f", k, analytic[0][k], numerical[0][k], first[0][k])
	}
	// what the tolerance is up against: a 5% scale of the Hessian term, the
	// Hessian term with its sign flipped, momentum or weight decay left out
	scaled := make([][]float64, len(analytic))
	flipped := make([][]float64, len(analytic))
	for i := range analytic {
		scaled[i] = make([]float64, len(analytic[i]))
		flipped[i] = make([]float64, len(analytic[i]))
		for j := range analytic[i] {
			scaled[i][j] = first[i][j] + 1.05*hessA[i][j]
			flipped[i][j] = first[i][j] - hessA[i][j]
		}
	}
	t.Logf("  wrong versions: Hessian term ×1.05 → whole %.2e, Hessian %.2e; sign flipped → whole %.2e; whole ×1.05 → %.2e",
		relNorm(scaled, numerical), relNorm(sub(scaled, first), hessN), relNorm(flipped, numerical), 0.05)
	for _, off := range []struct {
		name   string
		mu, wd float64
	}{{"no momentum", 0, c.wd}, {"no weight decay", c.mu, 0}} {
		mu, wd := c.mu, c.wd
		c.mu, c.wd = off.mu, off.wd
		other := sub(c.firstTerm(tp), first)
		c.mu, c.wd = mu, wd
		t.Logf("  %s in w′ moves the first term by %.2e of ‖n‖", off.name, norm(other)/norm(numerical))
	}
	// the Richardson table for the choice of h (see numericalAlphaGrad)
	for _, h := range []float64{0.08, 0.02} {
		t.Logf("  h = %.2f: ‖n(h) − n(0.04)‖/‖n‖ = %.2e", h, relNorm(c.numericalAlphaGrad(tp, h), numerical))
	}
	require.Less(t, eTotal, tolTotal)
	require.Less(t, eHess, tolHess)
}

// kernels1 runs the kernels single-threaded (reductions in a fixed order, so
// F is the same function at every evaluation) and returns the restore.
func kernels1() func() {
	w := kernels.Workers()
	kernels.SetWorkers(1)
	return func() { kernels.SetWorkers(w) }
}
