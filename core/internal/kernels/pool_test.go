package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMaxPool(t *testing.T) {
	forEachPath(t, testMaxPool)
}

func testMaxPool(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 21))
	for gi, g := range testGeoms {
		if g.PH >= g.KH*g.DH || g.PW >= g.KW*g.DW {
			continue // a window entirely in the padding has no maximum
		}
		const c = 3
		oh, ow := g.OH(), g.OW()
		x := randSlice(r, c*g.H*g.W)
		y, idx := make([]float32, c*oh*ow), make([]int32, c*oh*ow)
		MaxPool(x, c, g, y, idx)
		want := make([]float32, len(y))
		for i := range want {
			want[i] = float32(math.Inf(-1))
		}
		naiveTap(c, g, func(ci, oy, ox, kh, kw, iy, ix int, ok bool) {
			if o := ci*oh*ow + oy*ow + ox; ok && x[ci*g.H*g.W+iy*g.W+ix] > want[o] {
				want[o] = x[ci*g.H*g.W+iy*g.W+ix]
			}
		})
		require.Equal(t, want, y, "maxpool geom %d", gi)
		for o, i := range idx {
			require.Equal(t, y[o], x[(o/(oh*ow))*g.H*g.W+int(i)], "argmax geom %d out %d", gi, o)
		}
		// Adjoint: y = x[idx] is linear in x, so <y', dy> = <x', MaxPoolBackward(dy)>
		// for any x' gathered by the same idx; with x' = x: <y, dy> = <x, dx>.
		dy := randSlice(r, len(y))
		dx := make([]float32, len(x))
		MaxPoolBackward(dy, idx, c, g.H*g.W, oh*ow, dx)
		require.InDelta(t, dot64(y, dy), dot64(x, dx), 1e-4, "maxpool adjoint geom %d", gi)
	}
}

func TestMaxPoolHandWorked(t *testing.T) {
	// 4×4 plane, 2×2 windows stride 2 (PyTorch MaxPool2d(2)).
	x := []float32{1, 2, 5, 6, 3, 4, 7, 8, 9, 10, 13, 14, 11, 12, 15, 16}
	g := Geom{H: 4, W: 4, KH: 2, KW: 2, SH: 2, SW: 2, DH: 1, DW: 1}
	y, idx := make([]float32, 4), make([]int32, 4)
	MaxPool(x, 1, g, y, idx)
	require.Equal(t, []float32{4, 8, 12, 16}, y)
	require.Equal(t, []int32{5, 7, 13, 15}, idx)
}

// TestMaxPool2x2 checks the 2×2 stride-2 fast path against the planar
// kernel on odd sizes (the last row/column dropped) and with ties (values
// from a small set): the same maxima and the same first-wins argmax.
func TestMaxPool2x2(t *testing.T) {
	forEachPath(t, testMaxPool2x2)
}

func testMaxPool2x2(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 23))
	for _, hw := range [][2]int{{2, 2}, {4, 4}, {5, 7}, {32, 32}, {9, 3}, {3, 9}, {16, 16}, {6, 35}, {7, 49}} {
		g := Geom{H: hw[0], W: hw[1], KH: 2, KW: 2, SH: 2, SW: 2, DH: 1, DW: 1}
		const c = 3
		n := c * g.OH() * g.OW()
		for _, ties := range []bool{false, true} {
			x := randSlice(r, c*g.H*g.W)
			if ties {
				for i := range x {
					x[i] = float32(r.IntN(3)) - 1
				}
			}
			y, idx := make([]float32, n), make([]int32, n)
			wantY, wantIdx := make([]float32, n), make([]int32, n)
			MaxPool(x, c, g, y, idx)
			maxPoolPlanar(x, c, g, wantY, wantIdx)
			require.Equal(t, wantY, y, "%v ties=%v", hw, ties)
			require.Equal(t, wantIdx, idx, "%v ties=%v", hw, ties)
		}
	}
}

func TestAvgPool(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 23))
	for gi, g := range testGeoms {
		for _, incl := range []bool{true, false} {
			if !incl && (g.PH >= g.KH*g.DH || g.PW >= g.KW*g.DW) {
				continue
			}
			const c = 2
			oh, ow := g.OH(), g.OW()
			x := randSlice(r, c*g.H*g.W)
			y := make([]float32, c*oh*ow)
			AvgPool(x, c, g, incl, y)
			sum, cnt := make([]float64, len(y)), make([]float64, len(y))
			naiveTap(c, g, func(ci, oy, ox, kh, kw, iy, ix int, ok bool) {
				o := ci*oh*ow + oy*ow + ox
				if ok {
					sum[o] += float64(x[ci*g.H*g.W+iy*g.W+ix])
					cnt[o]++
				} else if incl {
					cnt[o]++
				}
			})
			for o := range sum {
				sum[o] /= cnt[o]
			}
			name := fmt.Sprintf("avgpool geom %d incl=%v", gi, incl)
			requireClose(t, f32(sum), y, 1e-6, name)
			// AvgPool is linear: <AvgPool(x), dy> = <x, AvgPoolBackward(dy)>.
			dy := randSlice(r, len(y))
			dx := make([]float32, len(x))
			AvgPoolBackward(dy, c, g, incl, dx)
			require.InDelta(t, dot64(y, dy), dot64(x, dx), 1e-4, name)
		}
	}
}

func TestAvgPoolHandWorked(t *testing.T) {
	// 3×3 plane of ones, 3×3 window pad 1: the corner output sees 4 pixels.
	x := []float32{1, 1, 1, 1, 1, 1, 1, 1, 1}
	g := Geom{H: 3, W: 3, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1, DH: 1, DW: 1}
	y := make([]float32, 9)
	AvgPool(x, 1, g, true, y)
	require.InDelta(t, 4.0/9, y[0], 1e-7) // count_include_pad=True: 4/9
	AvgPool(x, 1, g, false, y)
	require.Equal(t, float32(1), y[0]) // DARTS: count_include_pad=False
}

func TestReductions(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(30, 31))
		for _, n := range []int{0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 1000, 4099} {
			for _, off := range []int{0, 1, 3} {
				x, y := randSlice(r, n+off)[off:], randSlice(r, n+off+5)[off:]
				name := fmt.Sprintf("n=%d off=%d", n, off)
				var d, s, ss float64
				for i := 0; i < n; i++ {
					d += float64(x[i]) * float64(y[i])
					s += float64(x[i])
					ss += float64(x[i]) * float64(x[i])
				}
				require.InDelta(t, d, Dot(x, y), 1e-5*(1+float64(n)), name)
				require.InDelta(t, float64(dotGeneric(x, y)), float64(Dot(x, y)), 1e-5*(1+float64(n)), name)
				require.InDelta(t, s, Sum(x), 1e-9*(1+float64(n)), name)
				require.InDelta(t, ss, SumSq(x), 1e-9*(1+float64(n)), name)

				a := float32(0.75)
				yg, yf := append([]float32(nil), y...), append([]float32(nil), y...)
				axpyGeneric(a, x, yg)
				Axpy(a, x, yf)
				require.Equal(t, yg, yf, "axpy fast vs generic %s", name) // elementwise: exact
				for i := 0; i < n; i++ {
					require.Equal(t, y[i]+a*x[i], yf[i], "axpy vs reference %s", name)
				}
				require.Equal(t, y[n:], yf[n:], "axpy past len(x) %s", name)

				sc := append([]float32(nil), x...)
				Scale(2, sc)
				ad := append([]float32(nil), y...)
				Add(x, ad)
				for i := 0; i < n; i++ {
					require.Equal(t, 2*x[i], sc[i])
					require.Equal(t, y[i]+x[i], ad[i])
				}
			}
		}
	})
}

func TestParallelCoversOnce(t *testing.T) {
	defer SetWorkers(Workers())
	for _, nw := range []int{1, 2, 3, 8} {
		SetWorkers(nw)
		for _, n := range []int{0, 1, 2, 5, 100} {
			seen := make([]int32, n)
			var calls atomic.Int32
			var busy [32]atomic.Int32 // a slot is never in two calls at once
			Parallel(n, func(w, lo, hi int) {
				calls.Add(1)
				require.GreaterOrEqual(t, w, 0)
				require.Less(t, w, Slots())
				require.Equal(t, int32(1), busy[w].Add(1), "slot %d reused concurrently", w)
				defer busy[w].Add(-1)
				for i := lo; i < hi; i++ {
					atomic.AddInt32(&seen[i], 1)
				}
			})
			for i, v := range seen {
				require.Equal(t, int32(1), v, "workers=%d n=%d index %d", nw, n, i)
			}
			require.LessOrEqual(t, int(calls.Load()), max(chunksPerWorker*nw, 1))
		}
	}
	SetWorkers(0)
	require.GreaterOrEqual(t, Workers(), 1)
}

func TestFastPathSwitch(t *testing.T) {
	old := fastOn
	defer SetFastPath(old)
	SetFastPath(false)
	require.Equal(t, "generic", FastPath())
	SetFastPath(true)
	if len(fastPaths) == 0 {
		require.Equal(t, "generic", FastPath())
		return
	}
	require.Equal(t, fastPaths[0].name, FastPath())
	for _, p := range fastPaths {
		require.True(t, useFastPath(p.name))
		require.Equal(t, p.name, FastPath())
	}
	require.False(t, useFastPath("no-such-set"))
	require.Equal(t, "generic", FastPath())
}

func TestSumSumSqAndReLUInto(t *testing.T) {
	r := rand.New(rand.NewPCG(40, 41))
	for _, n := range []int{0, 1, 2, 3, 17, 1000} {
		x := randSlice(r, n)
		s, ss := SumSumSq(x)
		require.InDelta(t, Sum(x), s, 1e-9*(1+float64(n)))
		require.InDelta(t, SumSq(x), ss, 1e-9*(1+float64(n)))
		dst := randSlice(r, n+3)
		tail := append([]float32(nil), dst[n:]...)
		ReLUInto(dst, x)
		for i, v := range x {
			require.Equal(t, float32(math.Max(float64(v), 0)), dst[i])
		}
		require.Equal(t, tail, dst[n:])
		ReLUInto(x, x) // in place
		require.Equal(t, dst[:n], x)
	}
	s, ss := SumSumSq([]float32{1, 2, 3, -4})
	require.Equal(t, 2.0, s)
	require.Equal(t, 30.0, ss)
}

// TestParallelNested: fn calling Parallel (and a large GEMM) must finish and
// cover every index; the inner calls run inline.
func TestParallelNested(t *testing.T) {
	defer SetWorkers(Workers())
	SetWorkers(2)
	r := rand.New(rand.NewPCG(50, 51))
	const n = 96
	a, b := randSlice(r, n*n), randSlice(r, n*n)
	want := make([]float32, n*n)
	gemmGeneric(false, false, n, n, n, a, n, b, n, 0, want, n)
	outs := [][]float32{make([]float32, n*n), make([]float32, n*n), make([]float32, n*n), make([]float32, n*n)}
	var seen [4][10]int32
	Parallel(4, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			GemmNN(n, n, n, a, n, b, n, 0, outs[i], n)
			Parallel(10, func(_, lo2, hi2 int) {
				for j := lo2; j < hi2; j++ {
					atomic.AddInt32(&seen[i][j], 1)
				}
			})
		}
	})
	for i := range outs {
		requireClose(t, want, outs[i], 1e-4, "nested gemm")
		for j := range seen[i] {
			require.Equal(t, int32(1), seen[i][j])
		}
	}
}

// Tasks runs each task once, and side by side (two tasks or more, two
// workers or more) a Parallel inside a task runs on the task's goroutine as
// one chunk, so a task's sums do not depend on the worker count.
func TestTasks(t *testing.T) {
	defer SetWorkers(Workers())
	for _, w := range []int{1, 2, 3} {
		SetWorkers(w)
		for _, n := range []int{0, 1, 2, 7, 40} {
			ran := make([]int32, n)
			Tasks(n, func(i int) {
				atomic.AddInt32(&ran[i], 1)
				if w == 1 || n == 1 {
					return
				}
				calls := 0
				Parallel(100, func(slot, lo, hi int) {
					calls++
					require.Equal(t, [3]int{0, 0, 100}, [3]int{slot, lo, hi})
				})
				require.Equal(t, 1, calls)
			})
			for i, r := range ran {
				require.Equal(t, int32(1), r, "workers %d, %d tasks: task %d", w, n, i)
			}
		}
	}
}

// TestMaxPoolFirstTap: on both paths MaxPool and MaxPoolValues give, bit for
// bit, what the one-pass scan over the taps in order gives (padding read as
// −Inf, strictly greater wins, then, where −Inf won, the first tap inside
// the image): inputs with ties everywhere, signed zeros, −Inf and NaN.
func TestMaxPoolFirstTap(t *testing.T) {
	geoms := append([]Geom{
		{H: 16, W: 16, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1, DH: 1, DW: 1},
		{H: 16, W: 16, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1, DH: 1, DW: 1},
		{H: 4, W: 4, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1, DH: 1, DW: 1},
	}, testGeoms...)
	ninf, nan := float32(math.Inf(-1)), float32(math.NaN())
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(22, 23))
		for gi, g := range geoms {
			if g.PH >= g.KH*g.DH || g.PW >= g.KW*g.DW {
				continue
			}
			const c = 3
			oh, ow := g.OH(), g.OW()
			x := make([]float32, c*g.H*g.W)
			for i := range x {
				switch k := r.IntN(40); {
				case k == 0:
					x[i] = nan
				case k == 1:
					x[i] = ninf
				case k < 5:
					x[i] = float32(math.Copysign(0, -1))
				default:
					x[i] = float32(r.IntN(5) - 2)
				}
			}
			y, idx, vals := make([]float32, c*oh*ow), make([]int32, c*oh*ow), make([]float32, c*oh*ow)
			MaxPool(x, c, g, y, idx)
			MaxPoolValues(x, c, g, vals)
			for ci := 0; ci < c; ci++ {
				xc := x[ci*g.H*g.W : (ci+1)*g.H*g.W]
				for oy := 0; oy < oh; oy++ {
					for ox := 0; ox < ow; ox++ {
						best, bi, first := ninf, -1, -1
						for kh := 0; kh < g.KH; kh++ {
							for kw := 0; kw < g.KW; kw++ {
								iy, ix := oy*g.SH-g.PH+kh*g.DH, ox*g.SW-g.PW+kw*g.DW
								v, in := ninf, iy >= 0 && iy < g.H && ix >= 0 && ix < g.W
								if in {
									v = xc[iy*g.W+ix]
									if first < 0 {
										first = iy*g.W + ix
									}
								}
								if (kh == 0 && kw == 0) || v > best {
									best, bi = v, iy*g.W+ix
								}
							}
						}
						if best == ninf { // the first tap in the image, then strictly greater
							best, bi = xc[first], first
							for kh := 0; kh < g.KH; kh++ {
								for kw := 0; kw < g.KW; kw++ {
									iy, ix := oy*g.SH-g.PH+kh*g.DH, ox*g.SW-g.PW+kw*g.DW
									if iy >= 0 && iy < g.H && ix >= 0 && ix < g.W && xc[iy*g.W+ix] > best {
										best, bi = xc[iy*g.W+ix], iy*g.W+ix
									}
								}
							}
						}
						o := ci*oh*ow + oy*ow + ox
						require.Equal(t, math.Float32bits(best), math.Float32bits(y[o]), "geom %d c %d (%d,%d)", gi, ci, oy, ox)
						require.Equal(t, math.Float32bits(best), math.Float32bits(vals[o]), "values: geom %d c %d (%d,%d)", gi, ci, oy, ox)
						require.Equal(t, int32(bi), idx[o], "argmax: geom %d c %d (%d,%d)", gi, ci, oy, ox)
					}
				}
			}
		}
	})
}
