package nn_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// gradCase builds, from a seeded RNG, the function whose gradient is checked
// and the leaves it is checked against (every input and parameter).
type gradCase struct {
	name  string
	setup func(rng *tensor.RNG) (f func(tp *autograd.Tape) *autograd.Var, wrt []*autograd.Var)
	// premise, if set, checks after setup what the case relies on (inputs
	// off the kinks of the ops inside it).
	premise func(t *testing.T)
}

func runGradCases(t *testing.T, cases []gradCase) {
	t.Helper()
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, wrt := tc.setup(tensor.NewRNG(uint64(100 + i)))
			if tc.premise != nil {
				tc.premise(t)
			}
			require.NotEmpty(t, wrt)
			res := autograd.CheckGrad(f, wrt, gradEps, uint64(7+i))
			t.Logf("%v", res)
			assert.Less(t, res.MaxErr, gradTol, "%s: %v", tc.name, res)
			assert.Less(t, res.NormErr, gradNormTol, "%s: %v", tc.name, res)
		})
	}
}

// convCase is one Conv2D configuration: x (N=2, C, H, W), w (F, C/G, KH, KW).
type convCase struct {
	name          string
	c, f, h, w    int
	kh, kw        int
	o             nn.ConvOpts
	bias          bool
	freezeX, noDW bool // check only some of the leaves
}

var convGradCases = []convCase{
	{name: "3x3_s1_p1_bias", c: 3, f: 4, h: 5, w: 5, kh: 3, kw: 3, o: nn.Square(1, 1, 1, 1), bias: true},
	{name: "3x3_s1_p1_nobias", c: 3, f: 4, h: 5, w: 5, kh: 3, kw: 3, o: nn.Square(1, 1, 1, 1)},
	{name: "3x3_s2_p1", c: 3, f: 4, h: 5, w: 5, kh: 3, kw: 3, o: nn.Square(2, 1, 1, 1), bias: true},
	{name: "3x3_s1_p0", c: 3, f: 2, h: 5, w: 5, kh: 3, kw: 3, o: nn.Square(1, 0, 1, 1)},
	{name: "3x3_s1_p2_d2", c: 3, f: 4, h: 5, w: 5, kh: 3, kw: 3, o: nn.Square(1, 2, 2, 1), bias: true},
	{name: "3x3_s2_p2_d2", c: 3, f: 4, h: 5, w: 5, kh: 3, kw: 3, o: nn.Square(2, 2, 2, 1)},
	{name: "5x5_s1_p2", c: 3, f: 2, h: 5, w: 5, kh: 5, kw: 5, o: nn.Square(1, 2, 1, 1)},
	{name: "groups3_C3_F6", c: 3, f: 6, h: 5, w: 5, kh: 3, kw: 3, o: nn.Square(1, 1, 1, 3), bias: true},
	{name: "groups3_C6_F3", c: 6, f: 3, h: 5, w: 5, kh: 3, kw: 3, o: nn.Square(2, 1, 1, 3)},
	{name: "depthwise_3x3_s1_p1", c: 3, f: 3, h: 5, w: 5, kh: 3, kw: 3, o: nn.Square(1, 1, 1, 3), bias: true},
	{name: "depthwise_3x3_s2_p1", c: 3, f: 3, h: 5, w: 5, kh: 3, kw: 3, o: nn.Square(2, 1, 1, 3)},
	{name: "depthwise_3x3_d2_p2", c: 3, f: 3, h: 5, w: 5, kh: 3, kw: 3, o: nn.Square(1, 2, 2, 3)},
	{name: "depthwise_5x5_s2_d2_p4", c: 3, f: 3, h: 5, w: 5, kh: 5, kw: 5, o: nn.Square(2, 4, 2, 3)},
	{name: "1x1_pointwise", c: 3, f: 4, h: 5, w: 5, kh: 1, kw: 1, o: nn.ConvOpts{}, bias: true},
	{name: "1x1_s2", c: 3, f: 4, h: 5, w: 5, kh: 1, kw: 1, o: nn.Square(2, 0, 1, 1)},
	{name: "1x3_p01", c: 3, f: 4, h: 5, w: 5, kh: 1, kw: 3, o: nn.ConvOpts{PW: 1}},
	{name: "3x1_p10", c: 3, f: 4, h: 5, w: 5, kh: 3, kw: 1, o: nn.ConvOpts{PH: 1}, bias: true},
	{name: "1x7_p03_s12", c: 3, f: 3, h: 5, w: 5, kh: 1, kw: 7, o: nn.ConvOpts{SW: 2, PW: 3}},
	{name: "7x1_p30_s21", c: 3, f: 3, h: 5, w: 5, kh: 7, kw: 1, o: nn.ConvOpts{SH: 2, PH: 3}, bias: true},
	{name: "x_only", c: 3, f: 4, h: 5, w: 5, kh: 3, kw: 3, o: nn.Square(1, 1, 1, 1), noDW: true},
	{name: "w_only", c: 3, f: 4, h: 5, w: 5, kh: 3, kw: 3, o: nn.Square(2, 1, 1, 1), freezeX: true},
	{name: "depthwise_w_only", c: 3, f: 3, h: 5, w: 5, kh: 3, kw: 3, o: nn.Square(1, 1, 1, 3), freezeX: true},
}

func TestConv2DGrad(t *testing.T) {
	var cases []gradCase
	for _, cc := range convGradCases {
		cc := cc
		cases = append(cases, gradCase{name: cc.name, setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			g := max(cc.o.Groups, 1)
			x := param(uniform(rng, -1, 1, 2, cc.c, cc.h, cc.w), "x")
			w := param(uniform(rng, -1, 1, cc.f, cc.c/g, cc.kh, cc.kw), "w")
			var b *autograd.Var
			var wrt []*autograd.Var
			if cc.freezeX {
				x.SetRequiresGrad(false)
			} else {
				wrt = append(wrt, x)
			}
			if cc.noDW {
				w.SetRequiresGrad(false)
			} else {
				wrt = append(wrt, w)
			}
			if cc.bias {
				b = param(uniform(rng, -1, 1, cc.f), "b")
				wrt = append(wrt, b)
			}
			return func(tp *autograd.Tape) *autograd.Var { return nn.Conv2D(tp, x, w, b, cc.o) }, wrt
		}})
	}
	runGradCases(t, cases)
}

// poolCase is one pooling configuration on x (2, 3, 5, 5).
type poolCase struct {
	k, s, p    int
	max        bool
	includePad bool
}

func (pc poolCase) name() string {
	kind := "avg"
	if pc.max {
		kind = "max"
	}
	if !pc.max && pc.includePad {
		kind += "_incpad"
	}
	return kind + "_k" + itoa(pc.k) + "_s" + itoa(pc.s) + "_p" + itoa(pc.p)
}

func itoa(i int) string { return string(rune('0' + i)) }

func TestPoolGrad(t *testing.T) {
	var pcs []poolCase
	for _, max := range []bool{true, false} {
		for _, inc := range []bool{false, true} {
			if max && inc {
				continue
			}
			pcs = append(pcs,
				poolCase{3, 1, 1, max, inc}, poolCase{3, 2, 1, max, inc}, poolCase{3, 2, 0, max, inc},
				poolCase{5, 1, 2, max, inc}, poolCase{5, 2, 1, max, inc},
				poolCase{7, 1, 3, max, inc}, poolCase{7, 2, 3, max, inc})
		}
	}
	var cases []gradCase
	for _, pc := range pcs {
		pc := pc
		cases = append(cases, gradCase{name: pc.name(), setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			x := param(distinct(rng, 2, 3, 5, 5), "x")
			return func(tp *autograd.Tape) *autograd.Var {
				if pc.max {
					return nn.MaxPool2D(tp, x, pc.k, pc.s, pc.p)
				}
				return nn.AvgPool2D(tp, x, pc.k, pc.s, pc.p, pc.includePad)
			}, []*autograd.Var{x}
		}})
	}
	runGradCases(t, cases)
}

// bnCase builds BatchNorm on x (2, 3, 5, 5) in training or evaluation mode.
func bnCase(name string, training, affine bool) gradCase {
	return gradCase{name: name, setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
		x := param(uniform(rng, -2, 3, 2, 3, 5, 5), "x")
		st := nn.NewBNStats(3)
		rng.Uniform(st.Mean, -0.5, 0.5)
		rng.Uniform(st.Var, 0.5, 2)
		wrt := []*autograd.Var{x}
		var g, b *autograd.Var
		if affine {
			g, b = param(uniform(rng, 0.5, 1.5, 3), "gamma"), param(uniform(rng, -1, 1, 3), "beta")
			wrt = append(wrt, g, b)
		}
		return func(tp *autograd.Tape) *autograd.Var { return nn.BatchNorm(tp, x, g, b, st, training) }, wrt
	}}
}

func TestOpGrad(t *testing.T) {
	cases := []gradCase{
		bnCase("BatchNorm_train_affine", true, true),
		bnCase("BatchNorm_train_plain", true, false),
		bnCase("BatchNorm_eval_affine", false, true),
		bnCase("BatchNorm_eval_plain", false, false),
		{name: "ReLU", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			x := param(awayFromZero(rng, 2, 3, 5, 5), "x")
			return func(tp *autograd.Tape) *autograd.Var { return nn.ReLU(tp, x) }, []*autograd.Var{x}
		}},
		{name: "GlobalAvgPool", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			x := param(uniform(rng, -1, 1, 2, 3, 5, 5), "x")
			return func(tp *autograd.Tape) *autograd.Var { return nn.GlobalAvgPool(tp, x) }, []*autograd.Var{x}
		}},
		{name: "Linear_2D", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			x := param(uniform(rng, -1, 1, 2, 5), "x")
			w, b := param(uniform(rng, -1, 1, 3, 5), "w"), param(uniform(rng, -1, 1, 3), "b")
			return func(tp *autograd.Tape) *autograd.Var { return nn.Linear(tp, x, w, b) }, []*autograd.Var{x, w, b}
		}},
		{name: "Linear_2D_nobias", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			x := param(uniform(rng, -1, 1, 3, 4), "x")
			w := param(uniform(rng, -1, 1, 2, 4), "w")
			return func(tp *autograd.Tape) *autograd.Var { return nn.Linear(tp, x, w, nil) }, []*autograd.Var{x, w}
		}},
		{name: "Linear_4D_Cx1x1", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			x := param(uniform(rng, -1, 1, 2, 3, 1, 1), "x")
			w, b := param(uniform(rng, -1, 1, 4, 3), "w"), param(uniform(rng, -1, 1, 4), "b")
			return func(tp *autograd.Tape) *autograd.Var { return nn.Linear(tp, x, w, b) }, []*autograd.Var{x, w, b}
		}},
		{name: "Linear_4D_flatten", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			x := param(uniform(rng, -1, 1, 2, 3, 2, 2), "x")
			w, b := param(uniform(rng, -1, 1, 4, 12), "w"), param(uniform(rng, -1, 1, 4), "b")
			return func(tp *autograd.Tape) *autograd.Var { return nn.Linear(tp, x, w, b) }, []*autograd.Var{x, w, b}
		}},
		{name: "Softmax", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			x := param(uniform(rng, -2, 2, 3, 5), "x")
			return func(tp *autograd.Tape) *autograd.Var { return nn.Softmax(tp, x) }, []*autograd.Var{x}
		}},
		{name: "CrossEntropy", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			z := param(uniform(rng, -3, 3, 4, 5), "logits")
			labels := []int32{0, 4, 2, 2}
			return func(tp *autograd.Tape) *autograd.Var { return nn.CrossEntropy(tp, z, labels) }, []*autograd.Var{z}
		}},
		{name: "CrossEntropy_large_logits", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			z := param(uniform(rng, 998, 1002, 3, 4), "logits")
			labels := []int32{1, 3, 0}
			return func(tp *autograd.Tape) *autograd.Var { return nn.CrossEntropy(tp, z, labels) }, []*autograd.Var{z}
		}},
		{name: "Concat", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			a, b, c := param(uniform(rng, -1, 1, 2, 1, 5, 5), "a"), param(uniform(rng, -1, 1, 2, 3, 5, 5), "b"), param(uniform(rng, -1, 1, 2, 2, 5, 5), "c")
			return func(tp *autograd.Tape) *autograd.Var { return nn.Concat(tp, a, b, c) }, []*autograd.Var{a, b, c}
		}},
		{name: "Concat_fanout", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			a, b := param(uniform(rng, -1, 1, 2, 3, 5, 5), "a"), param(uniform(rng, -1, 1, 2, 2, 5, 5), "b")
			return func(tp *autograd.Tape) *autograd.Var { return nn.Concat(tp, a, b, a) }, []*autograd.Var{a, b}
		}},
		{name: "Add_fanout", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			a, b, c := param(uniform(rng, -1, 1, 2, 3, 5, 5), "a"), param(uniform(rng, -1, 1, 2, 3, 5, 5), "b"), param(uniform(rng, -1, 1, 2, 3, 5, 5), "c")
			// four terms: a cell's node sums more than three edges
			return func(tp *autograd.Tape) *autograd.Var { return nn.Add(tp, a, b, a, c) }, []*autograd.Var{a, b, c}
		}},
		{name: "WeightedSum_rows_and_none", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			w := param(uniform(rng, -1, 1, 3, 4), "w")
			a, c, d := param(uniform(rng, -1, 1, 2, 3, 5, 5), "a"), param(uniform(rng, -1, 1, 2, 3, 5, 5), "c"), param(uniform(rng, -1, 1, 2, 3, 5, 5), "d")
			return func(tp *autograd.Tape) *autograd.Var {
				return nn.WeightedSum(tp, w, 1, []*autograd.Var{a, nil, c, d})
			}, []*autograd.Var{w, a, c, d}
		}},
		{name: "MixedNode_edges_rows_none_shared", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			w := param(uniform(rng, -1, 1, 4, 3), "w")
			a, c, d := param(uniform(rng, -1, 1, 2, 3, 5, 5), "a"), param(uniform(rng, -1, 1, 2, 3, 5, 5), "c"), param(uniform(rng, -1, 1, 2, 3, 5, 5), "d")
			return func(tp *autograd.Tape) *autograd.Var {
				// edge rows 2 and 0; a feeds both edges (a skip connection twice)
				return nn.MixedNode(tp, w, []int{2, 0}, [][]*autograd.Var{{a, nil, c}, {d, a, nil}})
			}, []*autograd.Var{w, a, c, d}
		}},
		{name: "Mask", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			x := param(uniform(rng, -1, 1, 2, 3, 5, 5), "x")
			m := uniform(rng, -2, 2, 2, 3, 5, 5)
			return func(tp *autograd.Tape) *autograd.Var { return nn.Mask(tp, x, m) }, []*autograd.Var{x}
		}},
		{name: "Dropout_p0.3", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			x := param(uniform(rng, -1, 1, 2, 3, 5, 5), "x")
			return func(tp *autograd.Tape) *autograd.Var {
				return nn.Dropout(tp, x, 0.3, tensor.NewRNG(11), true) // re-seeded: same mask every call
			}, []*autograd.Var{x}
		}},
		{name: "DropPath_p0.5", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			x := param(uniform(rng, -1, 1, 4, 3, 5, 5), "x")
			return func(tp *autograd.Tape) *autograd.Var {
				return nn.DropPath(tp, x, 0.5, tensor.NewRNG(3), true)
			}, []*autograd.Var{x}
		}},
		{name: "Crop_1_1", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			x := param(uniform(rng, -1, 1, 2, 3, 6, 6), "x")
			return func(tp *autograd.Tape) *autograd.Var { return nn.Crop(tp, x, 1, 1) }, []*autograd.Var{x}
		}},
		{name: "Crop_2_0", setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			x := param(uniform(rng, -1, 1, 2, 3, 5, 5), "x")
			return func(tp *autograd.Tape) *autograd.Var { return nn.Crop(tp, x, 2, 0) }, []*autograd.Var{x}
		}},
		{name: "DARTS_mixed_op_softmax_alpha", setup: dartsMixedOp},
	}
	runGradCases(t, cases)
}

// dartsMixedOp is Σ_k softmax(α)[row]_k · op_k(x) (DARTS eq. 2) with the ops
// none (nil), skip_connect, avg_pool_3x3, max_pool_3x3 and a 3×3 conv;
// gradients flow to α, x and the conv weight.
func dartsMixedOp(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
	alpha := param(uniform(rng, -1, 1, 2, 5), "alpha")
	x := param(distinct(rng, 2, 3, 5, 5), "x")
	w := param(uniform(rng, -0.5, 0.5, 3, 3, 3, 3), "w")
	return func(tp *autograd.Tape) *autograd.Var {
		p := nn.Softmax(tp, alpha)
		ops := []*autograd.Var{
			nil, // none
			x,   // skip_connect
			nn.AvgPool2D(tp, x, 3, 1, 1, false),
			nn.MaxPool2D(tp, x, 3, 1, 1),
			nn.Conv2D(tp, x, w, nil, nn.Square(1, 1, 1, 1)),
		}
		return nn.WeightedSum(tp, p, 1, ops)
	}, []*autograd.Var{alpha, x, w}
}

func TestWeightedSumNoneAndRows(t *testing.T) {
	// The nil (`none`) entry and the unused rows of w get exactly zero gradient.
	rng := tensor.NewRNG(5)
	w := param(uniform(rng, -1, 1, 3, 3), "w")
	a, b := param(uniform(rng, -1, 1, 2, 2), "a"), param(uniform(rng, -1, 1, 2, 2), "b")
	tp := autograd.NewTape()
	y := nn.WeightedSum(tp, w, 2, []*autograd.Var{a, nil, b})
	dy := tensor.New(2, 2)
	dy.Fill(1)
	tp.BackwardWith(y, dy)
	require.NotNil(t, w.Grad)
	assert.Equal(t, []float32{0, 0, 0, 0, 0, 0}, w.Grad.Data[:6], "rows 0 and 1 unused")
	assert.Equal(t, float32(0), w.Grad.Data[7], "none")
	sum := func(v []float32) (s float32) {
		for _, x := range v {
			s += x
		}
		return s
	}
	assert.InDelta(t, sum(a.Value.Data), w.Grad.Data[6], 1e-6)
	assert.InDelta(t, sum(b.Value.Data), w.Grad.Data[8], 1e-6)
	assert.InDeltaSlice(t, []float32{w.Value.Data[6], w.Value.Data[6], w.Value.Data[6], w.Value.Data[6]}, a.Grad.Data, 1e-6)
}

func TestZeroHasNoGradient(t *testing.T) {
	for _, s := range []int{1, 2} {
		t.Run("stride"+itoa(s), func(t *testing.T) {
			x := param(uniform(tensor.NewRNG(1), -1, 1, 2, 3, 5, 5), "x")
			tp := autograd.NewTape()
			y := nn.Zero(tp, x, s)
			want := (5 + s - 1) / s
			assert.Equal(t, []int{2, 3, want, want}, y.Shape())
			assert.False(t, y.RequiresGrad())
			assert.Equal(t, 0, tp.Len())
			for _, v := range y.Data() {
				require.Zero(t, v)
			}
			res := autograd.CheckGrad(func(tp *autograd.Tape) *autograd.Var { return nn.Zero(tp, x, s) }, []*autograd.Var{x}, gradEps, 1)
			assert.Zero(t, res.MaxErr, "%v", res)
			assert.Nil(t, x.Grad)
		})
	}
}

// blockCase runs a module in training (or eval) mode; the leaves are x and
// every parameter of the module.
func blockCase(name string, training bool, c, h int, xs func(rng *tensor.RNG, shape ...int) *tensor.Tensor, mk func(rng *tensor.RNG) nn.Module) gradCase {
	var m nn.Module
	var x *autograd.Var
	return gradCase{name: name, setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
		m = mk(rng)
		if !training { // non-trivial running statistics
			for _, b := range m.(interface{ Buffers() []*tensor.Tensor }).Buffers() {
				rng.Uniform(b, 0.5, 1.5)
			}
		}
		x = param(xs(rng, 2, c, h, h), "x")
		return func(tp *autograd.Tape) *autograd.Var {
			return m.Forward(&nn.Ctx{Tape: tp, Training: training}, x)
		}, append([]*autograd.Var{x}, m.Params()...)
	}, premise: func(t *testing.T) { requireOffKinks(t, m, x, training) }}
}

func TestBlockGrad(t *testing.T) {
	az := awayFromZero
	cases := []gradCase{
		blockCase("ReLUConvBN_3x3_affine", true, 3, 5, az, func(r *tensor.RNG) nn.Module { return nn.ReLUConvBN(r, 3, 4, 3, 1, 1, true) }),
		blockCase("ReLUConvBN_1x1_plain", true, 3, 5, az, func(r *tensor.RNG) nn.Module { return nn.ReLUConvBN(r, 3, 4, 1, 1, 0, false) }),
		blockCase("ReLUConvBN_eval", false, 3, 5, az, func(r *tensor.RNG) nn.Module { return nn.ReLUConvBN(r, 3, 4, 3, 1, 1, true) }),
		blockCase("SepConv_3x3", true, 3, 5, az, func(r *tensor.RNG) nn.Module { return offKinks(nn.SepConv(r, 3, 3, 3, 1, 1, true)) }),
		// affine so that offKinks can move its inner ReLU's input off 0 (the
		// plain BN output x̂ has values near 0 in every channel)
		blockCase("SepConv_3x3_s2", true, 3, 5, az, func(r *tensor.RNG) nn.Module { return offKinks(nn.SepConv(r, 3, 4, 3, 2, 1, true)) }),
		blockCase("SepConv_5x5", true, 3, 5, az, func(r *tensor.RNG) nn.Module { return offKinks(nn.SepConv(r, 3, 3, 5, 1, 2, true)) }),
		blockCase("DilConv_3x3", true, 3, 5, az, func(r *tensor.RNG) nn.Module { return nn.DilConv(r, 3, 3, 3, 1, 2, 2, true) }),
		blockCase("DilConv_5x5_s2", true, 3, 5, az, func(r *tensor.RNG) nn.Module { return nn.DilConv(r, 3, 3, 5, 2, 4, 2, false) }),
		blockCase("ConvPair_1x7_7x1_s2", true, 3, 5, az, func(r *tensor.RNG) nn.Module { return nn.ConvPair(r, 3, 7, 2, true) }),
		blockCase("ConvPair_1x3_3x1", true, 3, 5, az, func(r *tensor.RNG) nn.Module { return nn.ConvPair(r, 3, 3, 1, false) }),
		blockCase("FactorizedReduce_affine", true, 3, 6, az, func(r *tensor.RNG) nn.Module { return nn.NewFactorizedReduce(r, 3, 4, true) }),
		blockCase("FactorizedReduce_plain", true, 3, 6, az, func(r *tensor.RNG) nn.Module { return nn.NewFactorizedReduce(r, 3, 6, false) }),
		blockCase("Seq_conv_bn_relu_avgpool_dense", true, 3, 5, az, func(r *tensor.RNG) nn.Module {
			return offKinks(nn.Seq{nn.NewConv(r, 3, 4, 3, 3, nn.Square(1, 1, 1, 1), true), nn.NewBN(4, true), nn.Relu{},
				nn.Pool{K: 3, Stride: 2, Pad: 1}, gapModule{}, nn.NewDense(r, 4, 2)})
		}),
		blockCase("Seq_maxpool_identity", true, 3, 5, distinct, func(r *tensor.RNG) nn.Module {
			return nn.Seq{nn.Pool{Max: true, K: 3, Stride: 1, Pad: 1}, nn.Identity{}}
		}),
	}
	runGradCases(t, cases)
}

// offKinks sets, for every affine BN that feeds a ReLU in s, β = +5 on even
// channels and −5 on odd ones (γ = 1): the BN output x̂ + β of a 50-value
// channel (|x̂| ≤ 7, in practice < 4) stays well away from 0, so the ReLU after it is either on or off
// for the whole channel and no central difference straddles its kink (a
// kink inside ±eps makes the numerical derivative wrong, not the backward).
// Both an active and a dead channel are kept, so the ReLU mask is exercised.
func offKinks(s nn.Seq) nn.Seq {
	for i := 0; i+1 < len(s); i++ {
		bn, ok := s[i].(*nn.BN)
		if _, relu := s[i+1].(nn.Relu); !ok || !relu || bn.Beta == nil {
			continue
		}
		for c := range bn.Beta.Value.Data {
			bn.Beta.Value.Data[c] = 5 * float32(1-2*(c%2))
		}
	}
	return s
}

// requireOffKinks checks the premise of the gradient check of a Seq m on x:
// every input of a ReLU inside m (after its first layer) is at least 0.5
// away from 0, far more than the eps·(sensitivity) a single perturbation
// moves it. A first-layer ReLU sees x itself (awayFromZero keeps it off).
func requireOffKinks(t *testing.T, m nn.Module, x *autograd.Var, training bool) {
	s, ok := m.(nn.Seq)
	if !ok {
		return
	}
	for i := 1; i < len(s); i++ {
		if _, relu := s[i].(nn.Relu); !relu {
			continue
		}
		tp := autograd.NewTape()
		tp.SetNoGrad(true)
		y := s[:i].Forward(&nn.Ctx{Tape: tp, Training: training}, x)
		small := math.Inf(1)
		for _, v := range y.Data() {
			small = math.Min(small, math.Abs(float64(v)))
		}
		require.Greater(t, small, 0.5, "ReLU %d of the block sees a value near its kink", i)
	}
}

// gapModule wraps GlobalAvgPool as a module (nn has no such module).
type gapModule struct{}

func (gapModule) Forward(ctx *nn.Ctx, x *autograd.Var) *autograd.Var {
	return nn.GlobalAvgPool(ctx.Tape, x)
}
func (gapModule) Params() []*autograd.Var   { return nil }
func (gapModule) Buffers() []*tensor.Tensor { return nil }

// TestGradCheckCatchesWrongBackward shows the checker has teeth at these
// settings: y = x² with a backward missing one term (dx += x·dy instead of
// 2x·dy), or one that forgets to accumulate (=, not +=) under fan-out, fails.
func TestGradCheckCatchesWrongBackward(t *testing.T) {
	square := func(tp *autograd.Tape, x *autograd.Var, accumulate bool) *autograd.Var {
		y := tp.Alloc(x.Shape()...)
		for i, v := range x.Data() {
			y.Data[i] = v * v
		}
		return tp.Record("square", y, func(dy *tensor.Tensor) {
			dx := x.GradBuf().Data
			for i, d := range dy.Data {
				if accumulate {
					dx[i] += x.Data()[i] * d // wrong: half the derivative
				} else {
					dx[i] = 2 * x.Data()[i] * d // wrong: overwrites
				}
			}
		}, x)
	}
	x := param(uniform(tensor.NewRNG(1), 0.5, 2, 2, 3), "x")
	half := autograd.CheckGrad(func(tp *autograd.Tape) *autograd.Var { return square(tp, x, true) }, []*autograd.Var{x}, gradEps, 1)
	assert.Greater(t, half.MaxErr, 10*gradTol, "%v", half)
	over := autograd.CheckGrad(func(tp *autograd.Tape) *autograd.Var {
		return nn.Add(tp, square(tp, x, false), square(tp, x, false))
	}, []*autograd.Var{x}, gradEps, 1)
	assert.Greater(t, over.MaxErr, 10*gradTol, "%v", over)
}

// A weighted sum of 1 to 5 terms (taken two per pass, an odd one alone;
// `none` entries between them) is the plain sum Σ w_j·x_j.
func TestWeightedSumTermCounts(t *testing.T) {
	rng := tensor.NewRNG(9)
	for k := 1; k <= 5; k++ {
		w := param(uniform(rng, -1, 1, 1, 2*k), "w")
		var xs []*autograd.Var
		for j := 0; j < k; j++ {
			xs = append(xs, param(uniform(rng, -1, 1, 2, 3, 4, 5), "x"), nil)
		}
		tp := autograd.NewTape()
		y := nn.WeightedSum(tp, w, 0, xs)
		for i, got := range y.Data() {
			var want float64
			for j, x := range xs {
				if x != nil {
					want += float64(w.Data()[j]) * float64(x.Data()[i])
				}
			}
			require.InDelta(t, want, got, 1e-5, "%d terms, element %d", k, i)
		}
	}
}
