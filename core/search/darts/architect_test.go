package darts

import (
	"testing"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/data"
	"github.com/nasplayground/nas/core/genotype"
	"github.com/nasplayground/nas/core/model"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dotOp returns Σ_i a_i·b_i (a test-only op).
func dotOp(tp *autograd.Tape, a, b *autograd.Var) *autograd.Var {
	y := tp.Alloc(1)
	var s float32
	for i, v := range a.Data() {
		s += v * b.Data()[i]
	}
	y.Data[0] = s
	return tp.Record("dot", y, func(dy *tensor.Tensor) {
		if a.RequiresGrad() {
			for i, v := range b.Data() {
				a.GradBuf().Data[i] += dy.Data[0] * v
			}
		}
		if b.RequiresGrad() {
			for i, v := range a.Data() {
				b.GradBuf().Data[i] += dy.Data[0] * v
			}
		}
	}, a, b)
}

// halfSquare returns ½w² elementwise (a test-only op).
func halfSquare(tp *autograd.Tape, w *autograd.Var) *autograd.Var {
	y := tp.Alloc(w.Shape()...)
	for i, v := range w.Data() {
		y.Data[i] = v * v / 2
	}
	return tp.Record("halfSquare", y, func(dy *tensor.Tensor) {
		for i, v := range w.Data() {
			w.GradBuf().Data[i] += dy.Data[i] * v
		}
	}, w)
}

// On L(w, α) = Σ_i ½w_i²·(Aα)_i the mixed second derivative is
// ∂²L/∂α_j∂w_i = w_i·A_ij, so (∇²_{α,w}L·v)_j = Σ_i A_ij·w_i·v_i exactly, and the
// central difference of eq. 8 is exact for a loss quadratic in w.
func TestHessianVectorProductQuadratic(t *testing.T) {
	const n, k = 5, 3
	rng := tensor.NewRNG(3)
	w, al, A := tensor.New(1, n), tensor.New(1, k), tensor.New(n, k)
	rng.Normal(w, 0, 1)
	rng.Normal(al, 0, 1)
	rng.Normal(A, 0, 1)
	wv, av, Av := autograd.Param(w, "w"), autograd.Param(al, "alpha"), autograd.Const(A)
	loss := func(tp *autograd.Tape) *autograd.Var {
		return dotOp(tp, halfSquare(tp, wv), nn.Linear(tp, av, Av, nil))
	}
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(i) - 1.5
	}
	a := &Architect{Weights: []*autograd.Var{wv}, Alphas: []*autograd.Var{av}}
	hv := a.HessianVectorProduct(autograd.NewTape(), loss, [][]float32{v}, 1e-2)
	for j := 0; j < k; j++ {
		var exact float64
		for i := 0; i < n; i++ {
			exact += float64(A.Data[i*k+j]) * float64(w.Data[i]) * float64(v[i])
		}
		assert.InDelta(t, exact, float64(hv[0][j]), 1e-3*max(1, abs(exact)), "component %d", j)
	}
	// w is restored exactly enough
	assert.InDeltaSlice(t, f64(w.Data), f64(wv.Value.Data), 1e-6)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func f64(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// synthetic returns a small separable data set: class = which quadrant is bright.
func synthetic(n, size int, seed uint64) *data.Dataset {
	rng := tensor.NewRNG(seed)
	ds := &data.Dataset{Name: "synthetic", N: n, C: 3, H: size, W: size, Pixels: make([]uint8, n*3*size*size),
		Labels: make([]uint8, n), Classes: []string{"tl", "tr", "bl", "br"}}
	for i := 0; i < n; i++ {
		c := i % 4
		ds.Labels[i] = uint8(c)
		for ch := 0; ch < 3; ch++ {
			for y := 0; y < size; y++ {
				for x := 0; x < size; x++ {
					v := 40 + rng.IntN(40)
					if (y < size/2) == (c < 2) && (x < size/2) == (c%2 == 0) {
						v += 150
					}
					ds.Pixels[((i*3+ch)*size+y)*size+x] = uint8(v)
				}
			}
		}
	}
	return ds
}

func tinyNet(t *testing.T) *model.SearchNet {
	cfg := model.DefaultSearchConfig()
	cfg.C, cfg.Layers, cfg.Classes = 4, 3, 4
	net, err := model.NewSearchNet(cfg, tensor.NewRNG(5))
	require.NoError(t, err)
	return net
}

func TestFirstOrderArchStepLowersValLoss(t *testing.T) {
	net := tinyNet(t)
	ds := synthetic(16, 8, 1)
	l := data.NewLoader(ds, 16, false, data.Augment{}, 0)
	x, y := make([]float32, 16*3*64), make([]int32, 16)
	l.Next(x, y)
	xt := tensor.FromData(x, 16, 3, 8, 8)
	val := func(tp *autograd.Tape) *autograd.Var {
		return nn.CrossEntropy(tp, net.Forward(&nn.Ctx{Tape: tp, Training: true}, autograd.Const(xt)), y)
	}
	a := &Architect{Weights: net.Weights(), Alphas: net.Alphas(), AlphasOnly: true,
		Opt: optim.NewAdam(net.Alphas(), 3e-2, 0.5, 0.999, 1e-8, 0)}
	tp := autograd.NewTape()
	before := a.StepFirstOrder(tp, val)
	tp.Reset()
	tp.SetNoGrad(true)
	after := float64(val(tp).Value.Data[0])
	assert.Less(t, after, before, "one α step on the validation batch lowers its loss")
	// the weights were frozen during the α backward and are unchanged
	for _, w := range net.Weights() {
		assert.True(t, w.RequiresGrad())
	}
}

func TestGenotypeFromSearchNet(t *testing.T) {
	net := tinyNet(t)
	g, err := net.Genotype()
	require.NoError(t, err)
	require.NoError(t, g.Validate())
	for _, e := range append(g.Normal, g.Reduce...) {
		assert.NotEqual(t, genotype.None, e.Op)
	}
}
