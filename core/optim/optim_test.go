package optim_test

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/optim"
	"github.com/nasplayground/nas/core/tensor"
)

// param returns a leaf with the given values and a zero gradient.
func param(name string, vals ...float32) *autograd.Var {
	p := autograd.Param(tensor.FromData(append([]float32(nil), vals...), len(vals)), name)
	p.Grad = tensor.New(len(vals))
	return p
}

// f32 converts JSON numbers (float32 values or decimals) to float32 as torch.tensor does.
func f32(xs []float64) []float32 {
	out := make([]float32, len(xs))
	for i, x := range xs {
		out[i] = float32(x)
	}
	return out
}

func toF64(xs []float32) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

// stepper is what SGD and Adam have in common for these tests.
type stepper interface{ Step() }

// runScalar steps opt over a single-element parameter starting at w0, feeding
// grads[s] at step s, and returns w after each step.
func runScalar(w0 float32, grads []float32, newOpt func([]*autograd.Var) stepper) []float64 {
	p := param("w", w0)
	opt := newOpt([]*autograd.Var{p})
	var ws []float64
	for _, g := range grads {
		p.Grad.Data[0] = g
		opt.Step()
		ws = append(ws, float64(p.Value.Data[0]))
	}
	return ws
}

// Hand-worked: w0 = 1, grads 0.5, -0.25, 1, lr 0.1.
func TestSGDHand(t *testing.T) {
	grads := []float32{0.5, -0.25, 1}
	cases := []struct {
		name         string
		momentum, wd float64
		nesterov     bool
		want         []float64
	}{
		// w -= 0.1·g: 1-0.05, 0.95+0.025, 0.975-0.1
		{"plain", 0, 0, false, []float64{0.95, 0.975, 0.875}},
		// b = 0.5, 0.45-0.25 = 0.2, 0.18+1 = 1.18; w -= 0.1·b
		{"momentum", 0.9, 0, false, []float64{0.95, 0.93, 0.812}},
		// b as above; g + 0.9·b = 0.95, -0.07, 2.062; w -= 0.1·that
		{"nesterov", 0.9, 0, true, []float64{0.905, 0.912, 0.7058}},
		// g + 0.1·w = 0.6, -0.25+0.094 = -0.156, 1+0.09556 = 1.09556
		{"weight decay", 0, 0.1, false, []float64{0.94, 0.9556, 0.846044}},
		// g = 0.6, -0.156, 1.09016; b = 0.6, 0.384, 0.3456+1.09016 = 1.43576
		{"momentum and weight decay", 0.9, 0.1, false, []float64{0.94, 0.9016, 0.758024}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := runScalar(1, grads, func(ps []*autograd.Var) stepper {
				return optim.NewSGD(ps, 0.1, tc.momentum, tc.wd, tc.nesterov)
			})
			assert.InDeltaSlice(t, tc.want, got, 1e-6)
		})
	}
}

// Hand-worked Adam, lr 0.1, β (0.9, 0.999), eps 1e-8, w0 = 1, grads 0.5, -0.25, 1:
//
//	t=1: m = 0.05,  v = 0.00025,      bc1 = 0.1,   bc2 = 0.001     m̂ = 0.5,      √v̂ = 0.5        w = 1 - 0.1·0.5/(0.5+1e-8)
//	t=2: m = 0.02,  v = 0.00031225,   bc1 = 0.19,  bc2 = 0.001999  m̂ = 0.1052632, √v̂ = 0.3952254  w -= 0.0266337
//	t=3: m = 0.118, v = 0.00131193775, bc1 = 0.271, bc2 = 0.002997001 m̂ = 0.4354244, √v̂ = 0.6616269  w -= 0.0658111
func TestAdamHand(t *testing.T) {
	got := runScalar(1, []float32{0.5, -0.25, 1}, func(ps []*autograd.Var) stepper {
		return optim.NewAdam(ps, 0.1, 0.9, 0.999, 1e-8, 0)
	})
	assert.InDeltaSlice(t, []float64{0.9, 0.8733663, 0.8075551}, got, 1e-6)

	// With weight decay 0.5 the first step sees g = 0.5 + 0.5·1 = 1: still w = 1 - lr·sign(g).
	got = runScalar(1, []float32{0.5}, func(ps []*autograd.Var) stepper {
		return optim.NewAdam(ps, 3e-4, 0.5, 0.999, 1e-8, 0.5)
	})
	assert.InDeltaSlice(t, []float64{1 - 3e-4}, got, 1e-7)
}

type golden struct {
	TorchVersion string         `json:"torch_version"`
	Init         [][]float64    `json:"init"`
	Grads        [][][]float64  `json:"grads"` // [step][param] (nil = no grad)
	Optim        []goldenOptim  `json:"optim"`
	Clip         []goldenClip   `json:"clip"`
	Cosine       []goldenCosine `json:"cosine"`
}

type goldenOptim struct {
	Name        string        `json:"name"`
	Opt         string        `json:"opt"`
	LR          float64       `json:"lr"`
	Momentum    float64       `json:"momentum"`
	WeightDecay float64       `json:"weight_decay"`
	Nesterov    bool          `json:"nesterov"`
	Betas       []float64     `json:"betas"`
	Eps         float64       `json:"eps"`
	Params      [][][]float64 `json:"params"` // [step][param] after the step
}

type goldenClip struct {
	Name    string      `json:"name"`
	Grads   [][]float64 `json:"grads"`
	MaxNorm float64     `json:"max_norm"`
	Total   float64     `json:"total"`
	Clipped [][]float64 `json:"clipped"`
}

type goldenCosine struct {
	Base, Min float64
	TMax      int       `json:"t_max"`
	LRs       []float64 `json:"lrs"`
}

func loadGolden(t *testing.T) golden {
	t.Helper()
	b, err := os.ReadFile("testdata/golden.json")
	require.NoError(t, err)
	var g golden
	require.NoError(t, json.Unmarshal(b, &g))
	require.NotEmpty(t, g.Optim)
	return g
}

// TestTorchGolden replays testdata/golden.json (PyTorch 1.13, gen_golden.py):
// three params (the third wide enough for torch's vector path), three steps,
// the second param without a gradient at step 2. The optimisers round like
// torch's CPU kernels (fused multiply-adds), so they agree bit for bit; a
// rounding-order change shows up here as a failure, not as drift.
func TestTorchGolden(t *testing.T) {
	g := loadGolden(t)
	for _, tc := range g.Optim {
		t.Run(tc.Name, func(t *testing.T) {
			ps := make([]*autograd.Var, len(g.Init))
			for k, w := range g.Init {
				ps[k] = autograd.Param(tensor.FromData(f32(w), len(w)), "p")
			}
			var opt stepper
			switch tc.Opt {
			case "sgd":
				opt = optim.NewSGD(ps, tc.LR, tc.Momentum, tc.WeightDecay, tc.Nesterov)
			case "adam":
				require.Len(t, tc.Betas, 2)
				opt = optim.NewAdam(ps, tc.LR, tc.Betas[0], tc.Betas[1], tc.Eps, tc.WeightDecay)
			default:
				require.Failf(t, "unknown optimiser", "%q", tc.Opt)
			}
			require.Len(t, tc.Params, len(g.Grads))
			for s, step := range g.Grads {
				for k, dw := range step {
					ps[k].Grad = nil
					if dw != nil {
						ps[k].Grad = tensor.FromData(f32(dw), len(dw))
					}
				}
				opt.Step()
				for k, want := range tc.Params[s] {
					assert.Equalf(t, f32(want), ps[k].Value.Data, "step %d param %d", s+1, k)
				}
			}
		})
	}
}

func TestCosineLR(t *testing.T) {
	lr := optim.CosineLR(0.025, 0.001, 50)
	assert.InDelta(t, 0.025, lr(0), 1e-15, "start")
	assert.InDelta(t, 0.013, lr(25), 1e-15, "midpoint (base+min)/2")
	assert.InDelta(t, 0.001, lr(50), 1e-15, "end")
	assert.Greater(t, lr(10), lr(11), "decreasing")

	for _, c := range loadGolden(t).Cosine {
		lr := optim.CosineLR(c.Base, c.Min, c.TMax)
		got := make([]float64, len(c.LRs))
		for e := range got {
			got[e] = lr(e)
		}
		// torch steps the recursive form; the closed form agrees to rounding.
		assert.InDeltaSlice(t, c.LRs, got, 1e-12, "torch CosineAnnealingLR T_max=%d", c.TMax)
	}
	assert.Panics(t, func() { optim.CosineLR(1, 0, 0) })
}

func TestClipGradNorm(t *testing.T) {
	cases := []struct {
		name    string
		grads   [][]float32
		maxNorm float64
		total   float64
		want    [][]float64
	}{
		// ‖(3, 4)‖ = 5 > 1: scaled by 1/(5+1e-6) to (0.6, 0.8).
		{"above", [][]float32{{3}, {4}}, 1, 5, [][]float64{{0.6}, {0.8}}},
		// ‖(0.3, 0.4)‖ = 0.5 < 1: untouched.
		{"below", [][]float32{{0.3, 0.4}}, 1, 0.5, [][]float64{{0.3, 0.4}}},
		// ‖(1, 2, 2)‖ = 3 over two params; max 1.5 halves them.
		{"two params", [][]float32{{1, 2}, {2}}, 1.5, 3, [][]float64{{0.5, 1}, {1}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ps []*autograd.Var
			for _, g := range tc.grads {
				p := param("p", make([]float32, len(g))...)
				copy(p.Grad.Data, g)
				ps = append(ps, p)
			}
			ps = append(ps, autograd.Param(tensor.New(2), "no grad")) // skipped
			before := make([][]float32, len(tc.grads))
			for k := range tc.grads {
				before[k] = append([]float32(nil), ps[k].Grad.Data...)
			}
			assert.InDelta(t, tc.total, optim.GradNorm(ps), 1e-7, "GradNorm")
			assert.InDelta(t, tc.total, optim.ClipGradNorm(ps, tc.maxNorm), 1e-7, "total before clipping")
			for k, want := range tc.want {
				assert.InDeltaSlice(t, want, toF64(ps[k].Grad.Data), 1e-6, "param %d", k)
			}
			after := optim.GradNorm(ps)
			if tc.total > tc.maxNorm {
				assert.InDelta(t, tc.maxNorm, after, 1e-5, "norm after clipping")
			} else {
				for k := range before {
					assert.Equal(t, before[k], ps[k].Grad.Data, "param %d untouched bit for bit", k)
				}
			}
		})
	}

	for _, c := range loadGolden(t).Clip {
		t.Run("torch "+c.Name, func(t *testing.T) {
			ps := make([]*autograd.Var, len(c.Grads))
			for k, g := range c.Grads {
				ps[k] = param("p", make([]float32, len(g))...)
				copy(ps[k].Grad.Data, f32(g))
			}
			assert.InDelta(t, c.Total, optim.ClipGradNorm(ps, c.MaxNorm), 1e-6*c.Total)
			for k, want := range c.Clipped {
				assert.InDeltaSlice(t, want, toF64(ps[k].Grad.Data), 1e-6)
			}
		})
	}
}

// grads3 sets deterministic, step-dependent gradients on ps.
func grads3(ps []*autograd.Var, step int) {
	for k, p := range ps {
		for i := range p.Grad.Data {
			p.Grad.Data[i] = float32(math.Sin(float64(7*step + 3*k + i + 1)))
		}
	}
}

func newParams() []*autograd.Var {
	return []*autograd.Var{param("a", 0.5, -1, 2), param("b", 0.25, 0.75)}
}

func snapshot(ps []*autograd.Var) [][]float32 {
	var out [][]float32
	for _, p := range ps {
		out = append(out, append([]float32(nil), p.Value.Data...))
	}
	return out
}

// roundTrip sends v through JSON and gob, as a checkpoint would.
func roundTrip[T any](t *testing.T, v T) T {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var viaJSON T
	require.NoError(t, json.Unmarshal(b, &viaJSON))
	var buf bytes.Buffer
	require.NoError(t, gob.NewEncoder(&buf).Encode(viaJSON))
	var viaGob T
	require.NoError(t, gob.NewDecoder(&buf).Decode(&viaGob))
	return viaGob
}

// TestStateRoundTrip: an optimiser restored from a checkpoint of another
// continues bit for bit like the original.
func TestStateRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, a, b []*autograd.Var) (stepper, stepper)
	}{
		{"sgd nesterov", func(t *testing.T, a, b []*autograd.Var) (stepper, stepper) {
			oa, ob := optim.NewSGD(a, 0.05, 0.9, 3e-4, true), optim.NewSGD(b, 0.05, 0.9, 3e-4, true)
			oa.Step()
			oa.Step()
			require.NoError(t, ob.SetState(roundTrip(t, oa.State())))
			return oa, ob
		}},
		{"adam", func(t *testing.T, a, b []*autograd.Var) (stepper, stepper) {
			oa, ob := optim.NewAdam(a, 3e-4, 0.5, 0.999, 1e-8, 1e-3), optim.NewAdam(b, 3e-4, 0.5, 0.999, 1e-8, 1e-3)
			oa.Step()
			oa.Step()
			require.NoError(t, ob.SetState(roundTrip(t, oa.State())))
			return oa, ob
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newParams()
			grads3(a, 0)
			b := newParams()
			oa, ob := tc.run(t, a, b)
			for k := range a { // b gets a's weights, as a checkpoint restores them
				copy(b[k].Value.Data, a[k].Value.Data)
			}
			for s := 1; s <= 3; s++ {
				grads3(a, s)
				grads3(b, s)
				oa.Step()
				ob.Step()
				require.Equal(t, snapshot(a), snapshot(b), "step %d after restore", s)
			}
		})
	}
}

func TestSetStateErrors(t *testing.T) {
	sgd := optim.NewSGD(newParams(), 0.1, 0.9, 0, false)
	err := sgd.SetState(optim.SGDState{Buffers: [][]float32{{1, 2, 3}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "1 buffers, want 2")
	err = sgd.SetState(optim.SGDState{Buffers: [][]float32{{1, 2, 3}, {1, 2, 3}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `buffer 1 (param "b") has 3 values, want 2`)

	adam := optim.NewAdam(newParams(), 0.1, 0.9, 0.999, 1e-8, 0)
	err = adam.SetState(optim.AdamState{Steps: []int64{1}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "1 steps, want 2")
	err = adam.SetState(optim.AdamState{Steps: []int64{1, 1},
		ExpAvg: [][]float32{{1, 2, 3}, {1, 2}}, ExpAvgSq: [][]float32{{1, 2, 3}, {1}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `exp_avg_sq 1 (param "b") has 1 values, want 2`)
	err = adam.SetState(optim.AdamState{Steps: []int64{1, 0},
		ExpAvg: [][]float32{{1, 2, 3}, nil}, ExpAvgSq: [][]float32{nil, nil}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `param 0 ("a")`)
}

func TestSkipsNilGrad(t *testing.T) {
	ps := newParams()
	ps[1].Grad = nil
	grads3(ps[:1], 0)
	want := snapshot(ps)[1]
	for _, opt := range []stepper{optim.NewSGD(ps, 0.1, 0.9, 0.1, false), optim.NewAdam(ps, 0.1, 0.9, 0.999, 1e-8, 0.1)} {
		opt.Step()
	}
	assert.Equal(t, want, ps[1].Value.Data)
}

func TestStepAllocs(t *testing.T) {
	cases := []struct {
		name string
		opt  func([]*autograd.Var) stepper
	}{
		{"sgd plain", func(ps []*autograd.Var) stepper { return optim.NewSGD(ps, 0.1, 0, 0, false) }},
		{"sgd momentum wd", func(ps []*autograd.Var) stepper { return optim.NewSGD(ps, 0.1, 0.9, 3e-4, false) }},
		{"sgd nesterov", func(ps []*autograd.Var) stepper { return optim.NewSGD(ps, 0.1, 0.9, 0, true) }},
		{"adam", func(ps []*autograd.Var) stepper { return optim.NewAdam(ps, 3e-4, 0.5, 0.999, 1e-8, 1e-3) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps := newParams()
			grads3(ps, 0)
			opt := tc.opt(ps)
			opt.Step() // allocates the buffers
			assert.Zero(t, testing.AllocsPerRun(20, opt.Step))
		})
	}
	ps := newParams()
	grads3(ps, 0)
	assert.Zero(t, testing.AllocsPerRun(20, func() { optim.ClipGradNorm(ps, 0.1) }), "ClipGradNorm")
}

func TestBadGradShapePanics(t *testing.T) {
	ps := newParams()
	ps[1].Grad = tensor.New(3)
	assert.PanicsWithError(t, `optim.SGD.Step: param 1 (b) grad has shape [3], want [2]`,
		func() { optim.NewSGD(ps, 0.1, 0, 0, false).Step() })
	assert.Panics(t, func() { optim.NewSGD(ps, 0.1, 0, 0, true) }, "nesterov without momentum")
	assert.Panics(t, func() { optim.NewAdam(ps, 0.1, 1, 0.999, 1e-8, 0) }, "beta1 = 1")
}

func TestSGDMomentumBuffersAreLive(t *testing.T) {
	w := param("w", 1, 2)
	o := optim.NewSGD([]*autograd.Var{w}, 0.1, 0.9, 0, false)
	require.Nil(t, o.MomentumBuffers()[0], "no buffer before the first step")
	w.Grad = tensor.FromData([]float32{1, -1}, 2)
	o.Step()
	assert.Equal(t, o.State().Buffers[0], o.MomentumBuffers()[0])
	assert.Equal(t, []float32{1, -1}, o.MomentumBuffers()[0])
}
