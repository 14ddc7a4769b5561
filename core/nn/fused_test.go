package nn_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nasplayground/nas/core/autograd"
	"github.com/nasplayground/nas/core/nn"
	"github.com/nasplayground/nas/core/tensor"
)

// sepCase is one ReLUSepBN configuration; dw false means the 1×1 ReLUConvBN.
type sepCase struct {
	c, f, h, w int
	dw         bool
	k          int
	o          nn.ConvOpts
}

func (s sepCase) String() string {
	if !s.dw {
		return fmt.Sprintf("relu1x1bn_C%d_F%d_%dx%d", s.c, s.f, s.h, s.w)
	}
	return fmt.Sprintf("dw%d_s%d_p%d_d%d_C%d_F%d_%dx%d", s.k, s.o.SH, s.o.PH, s.o.DH, s.c, s.f, s.h, s.w)
}

var sepCases = []sepCase{
	{c: 3, f: 4, h: 5, w: 6, dw: true, k: 3, o: nn.Square(1, 1, 1, 3)},
	{c: 3, f: 3, h: 6, w: 5, dw: true, k: 3, o: nn.Square(2, 1, 1, 3)},
	{c: 3, f: 5, h: 7, w: 7, dw: true, k: 5, o: nn.Square(1, 2, 1, 3)},
	{c: 3, f: 3, h: 7, w: 6, dw: true, k: 5, o: nn.Square(2, 2, 1, 3)},
	{c: 3, f: 4, h: 6, w: 6, dw: true, k: 3, o: nn.Square(1, 2, 2, 3)},
	{c: 3, f: 3, h: 7, w: 7, dw: true, k: 5, o: nn.Square(2, 4, 2, 3)},
	{c: 4, f: 3, h: 5, w: 5},
}

// sepParams returns the weights of one case: depthwise (nil for 1×1) and pointwise.
func sepParams(rng *tensor.RNG, sc sepCase) (wdw, wpw *autograd.Var) {
	if sc.dw {
		wdw = param(uniform(rng, -1, 1, sc.c, 1, sc.k, sc.k), "wdw")
	}
	return wdw, param(uniform(rng, -1, 1, sc.f, sc.c, 1, 1), "wpw")
}

func TestReLUSepBNGrad(t *testing.T) {
	var cases []gradCase
	for _, sc := range sepCases {
		for _, training := range []bool{true, false} {
			sc, training := sc, training
			cases = append(cases, gradCase{name: fmt.Sprintf("%v_train%v", sc, training), setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
				x := param(awayFromZero(rng, 2, sc.c, sc.h, sc.w), "x")
				wdw, wpw := sepParams(rng, sc)
				st := nn.NewBNStats(sc.f)
				rng.Uniform(st.Mean, -0.5, 0.5)
				rng.Uniform(st.Var, 0.5, 2)
				wrt := []*autograd.Var{x, wpw}
				if wdw != nil {
					wrt = append(wrt, wdw)
				}
				return func(tp *autograd.Tape) *autograd.Var {
					s := *st // running statistics must not drift between evaluations
					s.Mean, s.Var = st.Mean.Clone(), st.Var.Clone()
					return nn.ReLUSepBN(tp, x, wdw, wpw, sc.o, &s, training)
				}, wrt
			}})
		}
	}
	runGradCases(t, cases)
}

// TestReLUFactorizedReduceBNGrad checks the fused FactorizedReduce against
// finite differences, input and both 1×1 kernels, training and evaluation.
func TestReLUFactorizedReduceBNGrad(t *testing.T) {
	var cases []gradCase
	for _, g := range [][4]int{{3, 4, 6, 8}, {4, 2, 4, 2}} {
		for _, training := range []bool{true, false} {
			c, f, h, w := g[0], g[1], g[2], g[3]
			cases = append(cases, gradCase{name: fmt.Sprintf("C%d_F%d_%dx%d_train%v", c, f, h, w, training), setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
				x := param(awayFromZero(rng, 2, c, h, w), "x")
				w1 := param(uniform(rng, -1, 1, f/2, c, 1, 1), "w1")
				w2 := param(uniform(rng, -1, 1, f/2, c, 1, 1), "w2")
				st := nn.NewBNStats(f)
				rng.Uniform(st.Mean, -0.5, 0.5)
				rng.Uniform(st.Var, 0.5, 2)
				return func(tp *autograd.Tape) *autograd.Var {
					s := *st
					s.Mean, s.Var = st.Mean.Clone(), st.Var.Clone()
					return nn.ReLUFactorizedReduceBN(tp, x, w1, w2, &s, training)
				}, []*autograd.Var{x, w1, w2}
			}})
		}
	}
	runGradCases(t, cases)
}

// unfusedSep is the reference chain ReLU → depthwise → 1×1 → BN(affine=False).
func unfusedSep(tp *autograd.Tape, x, wdw, wpw *autograd.Var, o nn.ConvOpts, st *nn.BNStats, training bool) *autograd.Var {
	h := nn.ReLU(tp, x)
	if wdw != nil {
		h = nn.Conv2D(tp, h, wdw, nil, o)
	}
	return nn.BatchNorm(tp, nn.Conv2D(tp, h, wpw, nil, nn.ConvOpts{}), nil, nil, st, training)
}

// TestFusedMatchesChain runs the fused units and the module chains they
// replace on the same inputs (batch 4, a random upstream gradient) and
// compares outputs, every gradient and the updated running statistics.
func TestFusedMatchesChain(t *testing.T) {
	type unit struct {
		name         string
		c            int
		h, w         int
		fused, chain func(tp *autograd.Tape, x *autograd.Var, st *nn.BNStats, training bool) *autograd.Var
		params       []*autograd.Var
		f            int
	}
	rng := tensor.NewRNG(3)
	var units []unit
	for _, sc := range sepCases {
		wdw, wpw := sepParams(rng, sc)
		o := sc.o
		ps := []*autograd.Var{wpw}
		if wdw != nil {
			ps = append(ps, wdw)
		}
		units = append(units, unit{name: sc.String(), c: sc.c, h: sc.h + 3, w: sc.w + 5, f: sc.f, params: ps,
			fused: func(tp *autograd.Tape, x *autograd.Var, st *nn.BNStats, tr bool) *autograd.Var {
				return nn.ReLUSepBN(tp, x, wdw, wpw, o, st, tr)
			},
			chain: func(tp *autograd.Tape, x *autograd.Var, st *nn.BNStats, tr bool) *autograd.Var {
				return unfusedSep(tp, x, wdw, wpw, o, st, tr)
			}})
	}
	for _, pc := range []poolCase{{3, 1, 1, true, false}, {3, 2, 1, true, false}, {3, 1, 1, false, false}, {3, 2, 1, false, false}, {5, 2, 2, true, false}} {
		pc := pc
		units = append(units, unit{name: "PoolBN_" + pc.name(), c: 3, h: 9, w: 8, f: 3,
			fused: func(tp *autograd.Tape, x *autograd.Var, st *nn.BNStats, tr bool) *autograd.Var {
				return nn.PoolBN(tp, x, pc.max, pc.k, pc.s, pc.p, st, tr)
			},
			chain: func(tp *autograd.Tape, x *autograd.Var, st *nn.BNStats, tr bool) *autograd.Var {
				var p *autograd.Var
				if pc.max {
					p = nn.MaxPool2D(tp, x, pc.k, pc.s, pc.p)
				} else {
					p = nn.AvgPool2D(tp, x, pc.k, pc.s, pc.p, false)
				}
				return nn.BatchNorm(tp, p, nil, nil, st, tr)
			}})
	}
	for _, g := range [][4]int{{3, 4, 6, 8}, {5, 6, 8, 4}} {
		c, f := g[0], g[1]
		fr := nn.NewFactorizedReduce(rng, c, f, false)
		units = append(units, unit{name: fmt.Sprintf("FactorizedReduce_C%d_F%d", c, f), c: c, h: g[2], w: g[3], f: f,
			params: []*autograd.Var{fr.Conv1.W, fr.Conv2.W},
			fused: func(tp *autograd.Tape, x *autograd.Var, st *nn.BNStats, tr bool) *autograd.Var {
				return nn.ReLUFactorizedReduceBN(tp, x, fr.Conv1.W, fr.Conv2.W, st, tr)
			},
			chain: func(tp *autograd.Tape, x *autograd.Var, st *nn.BNStats, tr bool) *autograd.Var {
				m := *fr
				m.Norm = &nn.BN{Stats: st}
				return m.Forward(&nn.Ctx{Tape: tp, Training: tr}, x)
			}})
	}
	for _, u := range units {
		for _, training := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s_train%v", u.name, training), func(t *testing.T) {
				xv := uniform(rng, -1, 1, 4, u.c, u.h, u.w)
				run := func(op func(*autograd.Tape, *autograd.Var, *nn.BNStats, bool) *autograd.Var) (y, dx *tensor.Tensor, dps []*tensor.Tensor, st *nn.BNStats) {
					x := param(xv.Clone(), "x")
					autograd.ZeroGrads(u.params)
					st = nn.NewBNStats(u.f)
					st.Mean.Fill(0.25)
					st.Var.Fill(1.5)
					tp := autograd.NewTape()
					out := op(tp, x, st, training)
					dy := uniform(tensor.NewRNG(11), -1, 1, out.Shape()...)
					tp.BackwardWith(out, dy)
					for _, p := range u.params {
						dps = append(dps, p.Grad.Clone())
					}
					return out.Value.Clone(), x.Grad.Clone(), dps, st
				}
				y1, dx1, dp1, st1 := run(u.fused)
				y2, dx2, dp2, st2 := run(u.chain)
				require.Equal(t, y2.Shape, y1.Shape)
				assertNear32(t, y2.Data, y1.Data, "y")
				assertNear32(t, dx2.Data, dx1.Data, "dx")
				for i := range dp1 {
					assertNear32(t, dp2[i].Data, dp1[i].Data, u.params[i].Name)
				}
				assertNear32(t, st2.Mean.Data, st1.Mean.Data, "running mean")
				assertNear32(t, st2.Var.Data, st1.Var.Data, "running var")
			})
		}
	}
}

// assertNear32 checks |a−b| ≤ 1e-4·max(1, |a|+|b|) element by element.
func assertNear32(t *testing.T, want, got []float32, what string) {
	t.Helper()
	require.Len(t, got, len(want), what)
	for i := range want {
		if !nearly(float64(want[i]), float64(got[i]), 1e-4) {
			assert.Failf(t, "mismatch", "%s[%d]: chain %g, fused %g", what, i, want[i], got[i])
			return
		}
	}
}

// TestFusedKeepsLessOnTape shows the point of the fusion: after the forward
// pass of a DARTS SepConv half on a batch, the fused unit holds one output
// tensor where the chain holds four (ReLU, depthwise, 1×1, BN outputs). It
// holds a second, the depthwise output, where backward will take the 1×1
// weight gradient from it: on the portable path always, on the fast path
// within the tape's keep budget; with w frozen (the alphas-only α step) or
// recording off, never.
func TestFusedKeepsLessOnTape(t *testing.T) {
	rng := tensor.NewRNG(5)
	x := param(uniform(rng, -1, 1, 8, 16, 16, 16), "x")
	wdw, wpw := sepParams(rng, sepCase{c: 16, f: 16, dw: true, k: 3})
	held := func(budget int64, op func(tp *autograd.Tape) *autograd.Var) int {
		tp := autograd.NewTape()
		tp.SetKeepBudget(budget)
		op(tp) // warm the pool
		tp.Reset()
		before := tp.PooledBytes()
		op(tp)
		return before - tp.PooledBytes()
	}
	st := nn.NewBNStats(16)
	sep := func(tp *autograd.Tape) *autograd.Var {
		return nn.ReLUSepBN(tp, x, wdw, wpw, nn.Square(1, 1, 1, 16), st, true)
	}
	one := 8 * 16 * 16 * 16 * 4
	lean := one + one/4 // the output, and small change
	if nn.FastPath() == "generic" {
		lean += one // the portable path keeps the depthwise output regardless
	}
	fused := held(0, sep)
	assert.Less(t, fused, lean, "fused, no keep budget, holds %d bytes", fused)
	kept := held(1<<30, sep)
	assert.GreaterOrEqual(t, kept, 2*one, "fused, keep budget, holds %d bytes", kept)
	assert.Less(t, kept, 2*one+one/4, "fused, keep budget, holds %d bytes", kept)
	wpw.SetRequiresGrad(false)
	frozen := held(1<<30, sep)
	wpw.SetRequiresGrad(true)
	assert.Less(t, frozen, one+one/4, "fused, w frozen, holds %d bytes", frozen)
	chain := held(0, func(tp *autograd.Tape) *autograd.Var {
		return unfusedSep(tp, x, wdw, wpw, nn.Square(1, 1, 1, 16), st, true)
	})
	assert.GreaterOrEqual(t, chain, 4*one, "chain holds %d bytes", chain)
}

// TestFusedKeptEqualsRecomputed: the fast path's backward gives the same
// gradients, bit for bit, whether the depthwise output (ReLUSepBN) was kept
// (keep budget) or recomputed (none), for every geometry of sepCases.
func TestFusedKeptEqualsRecomputed(t *testing.T) {
	rng := tensor.NewRNG(17)
	for _, sc := range sepCases {
		if !sc.dw {
			continue
		}
		wdw, wpw := sepParams(rng, sc)
		xv := uniform(rng, -1, 1, 4, sc.c, sc.h+3, sc.w+5)
		t.Run(sc.String(), func(t *testing.T) {
			run := func(budget int64) []*tensor.Tensor {
				x := param(xv.Clone(), "x")
				autograd.ZeroGrads([]*autograd.Var{wdw, wpw})
				tp := autograd.NewTape()
				tp.SetKeepBudget(budget)
				out := nn.ReLUSepBN(tp, x, wdw, wpw, sc.o, nn.NewBNStats(sc.f), true)
				tp.BackwardWith(out, uniform(tensor.NewRNG(11), -1, 1, out.Shape()...))
				return []*tensor.Tensor{out.Value.Clone(), x.Grad.Clone(), wdw.Grad.Clone(), wpw.Grad.Clone()}
			}
			recomputed, kept := run(0), run(1<<30)
			for i, what := range []string{"y", "dx", "dwdw", "dwpw"} {
				require.Equal(t, recomputed[i].Data, kept[i].Data, what)
			}
		})
	}
}

// TestPoolBNKeepsArgmaxOutsideBudget: a PoolBN does not draw on the tape's
// keep budget (a budget of exactly a max pool's argmax bytes is still whole
// after its forward; before round 15 the fast path took it there and
// recomputed the argmax in backward past it). Its backward, which now reads
// the kept argmax only, runs; its values are checked in TestPoolBNGrad and
// TestFusedMatchesChain.
func TestPoolBNKeepsArgmaxOutsideBudget(t *testing.T) {
	rng := tensor.NewRNG(19)
	x := param(uniform(rng, -1, 1, 4, 3, 9, 8), "x")
	for _, pc := range []poolCase{{3, 1, 1, true, false}, {3, 2, 1, true, false}, {3, 1, 1, false, false}} {
		out := x.Value.Dim(0) * 3 * ((9+2*pc.p-pc.k)/pc.s + 1) * ((8+2*pc.p-pc.k)/pc.s + 1)
		tp := autograd.NewTape()
		tp.SetKeepBudget(int64(4 * out))
		y := nn.PoolBN(tp, x, pc.max, pc.k, pc.s, pc.p, nn.NewBNStats(3), true)
		require.Equal(t, out, y.Value.Len(), pc.name())
		assert.True(t, tp.Keep(int64(4*out)), "%s: the budget was drawn on", pc.name())
		tp.BackwardWith(y, uniform(tensor.NewRNG(11), -1, 1, y.Shape()...))
	}
}

// A DARTS node over fused units checks against finite differences, its
// weights' gradient included: the units ending in BatchNorm put ⟨dy, y⟩ from
// their backward's sums in training (AddGradDotTo), the tape computes it
// after them in evaluation, and the node's own dots stand for the identity
// term and for terms that share an entry of the weights (edges on one row,
// whose ops could otherwise put into one entry side by side). Two edges: one at
// stride 2 from x (FactorizedReduce, max pool), one at stride 1 from z
// (identity, `none`, average pool, sep unit).
func TestMixedNodeFusedTermsGrad(t *testing.T) {
	var cases []gradCase
	for _, rc := range []struct {
		training bool
		rows     []int
	}{{true, []int{2, 0}}, {false, []int{2, 0}}, {true, []int{1, 1}}} { // 1, 1: two terms per entry of w
		training, rows := rc.training, rc.rows
		cases = append(cases, gradCase{name: fmt.Sprintf("train%v_rows%v", training, rows), setup: func(rng *tensor.RNG) (func(*autograd.Tape) *autograd.Var, []*autograd.Var) {
			const c = 4
			xt := distinct(rng, 2, c, 6, 6) // a max pool's windows without near-ties,
			for i, v := range xt.Data {     // and ≥ 0.1 from FactorizedReduce's ReLU kink
				xt.Data[i] = v + float32(math.Copysign(0.1, float64(v)))
			}
			x := param(xt, "x")
			z := param(awayFromZero(rng, 2, c, 3, 3), "z")
			w := param(uniform(rng, -1, 1, 3, 4), "w")
			w1 := param(uniform(rng, -1, 1, c/2, c, 1, 1), "w1")
			w2 := param(uniform(rng, -1, 1, c/2, c, 1, 1), "w2")
			wdw := param(uniform(rng, -1, 1, c, 1, 3, 3), "wdw")
			wpw := param(uniform(rng, -1, 1, c, c, 1, 1), "wpw")
			var sts []*nn.BNStats
			for range 4 {
				st := nn.NewBNStats(c)
				rng.Uniform(st.Mean, -0.5, 0.5)
				rng.Uniform(st.Var, 0.5, 2)
				sts = append(sts, st)
			}
			return func(tp *autograd.Tape) *autograd.Var {
				st := make([]*nn.BNStats, len(sts))
				for i, s := range sts { // running statistics must not drift between evaluations
					c := *s
					c.Mean, c.Var = s.Mean.Clone(), s.Var.Clone()
					st[i] = &c
				}
				stride2 := []*autograd.Var{
					nn.ReLUFactorizedReduceBN(tp, x, w1, w2, st[0], training),
					nn.PoolBN(tp, x, true, 3, 2, 1, st[1], training),
					nil, nil,
				}
				stride1 := []*autograd.Var{
					z, nil,
					nn.PoolBN(tp, z, false, 3, 1, 1, st[2], training),
					nn.ReLUSepBN(tp, z, wdw, wpw, nn.Square(1, 1, 1, c), st[3], training),
				}
				return nn.MixedNode(tp, w, rows, [][]*autograd.Var{stride2, stride1})
			}, []*autograd.Var{w, x, z, w1, w2, wdw, wpw}
		}})
	}
	runGradCases(t, cases)
}

// Forked ops whose terms share one entry of a node's weights (every edge on
// one row): their backwards run side by side, so the node keeps that entry's
// dots (weightedTerms' shared) rather than have them add into one float at
// once. The gradient is the serial run's up to rounding. (A lost update would
// be rare; neither this test nor -race catches the guard's removal
// reliably.)
func TestMixedNodeSharedRowForked(t *testing.T) {
	defer nn.SetThreads(nn.Threads())
	run := func(threads int) []float32 {
		nn.SetThreads(threads)
		rng := tensor.NewRNG(4)
		x := param(distinct(rng, 2, 3, 6, 6), "x")
		w := param(uniform(rng, 0.5, 1, 1, 1), "w")
		tp := autograd.NewTape()
		n := 4 * autograd.ForkMin() // side by side at 2 workers
		outs := make([][]*autograd.Var, n)
		tp.Fork(n, func(i int, b *autograd.Branch) {
			st := nn.NewBNStats(3)
			outs[i] = []*autograd.Var{nn.PoolBN(b.Tape, b.Input(x), i%2 == 0, 3, 1, 1, st, true)}
		})
		rows := make([]int, n) // all row 0
		y := nn.MixedNode(tp, w, rows, outs)
		dy := tensor.New(y.Shape()...)
		tensor.NewRNG(5).Uniform(dy, -1, 1)
		tp.BackwardWith(y, dy)
		return append([]float32(nil), w.Grad.Data...)
	}
	want, got := run(1), run(2)
	require.Len(t, got, 1)
	assert.InDelta(t, want[0], got[0], 1e-4*math.Abs(float64(want[0])))
}
