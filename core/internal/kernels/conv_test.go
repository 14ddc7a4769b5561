package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// testGeoms covers stride 1/2, pad 0..4, dilation 1/2 and non-square kernels.
var testGeoms = []Geom{
	{H: 5, W: 5, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1, DH: 1, DW: 1},
	{H: 8, W: 8, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1, DH: 1, DW: 1},
	{H: 7, W: 9, KH: 5, KW: 5, SH: 1, SW: 1, PH: 2, PW: 2, DH: 1, DW: 1},
	{H: 9, W: 9, KH: 3, KW: 3, SH: 1, SW: 1, PH: 2, PW: 2, DH: 2, DW: 2},
	{H: 11, W: 10, KH: 5, KW: 5, SH: 1, SW: 1, PH: 4, PW: 4, DH: 2, DW: 2},
	{H: 10, W: 11, KH: 5, KW: 5, SH: 2, SW: 2, PH: 3, PW: 3, DH: 2, DW: 2},
	{H: 6, W: 7, KH: 1, KW: 3, SH: 1, SW: 1, PH: 0, PW: 1, DH: 1, DW: 1},
	{H: 7, W: 6, KH: 3, KW: 1, SH: 1, SW: 1, PH: 1, PW: 0, DH: 1, DW: 1},
	{H: 9, W: 12, KH: 1, KW: 7, SH: 1, SW: 1, PH: 0, PW: 3, DH: 1, DW: 1},
	{H: 12, W: 9, KH: 7, KW: 1, SH: 1, SW: 1, PH: 3, PW: 0, DH: 1, DW: 1},
	{H: 6, W: 6, KH: 1, KW: 1, SH: 2, SW: 2, PH: 0, PW: 0, DH: 1, DW: 1},
	{H: 4, W: 5, KH: 2, KW: 2, SH: 2, SW: 2, PH: 0, PW: 0, DH: 1, DW: 1},
	{H: 5, W: 4, KH: 3, KW: 3, SH: 2, SW: 1, PH: 0, PW: 2, DH: 1, DW: 2},
	{H: 3, W: 3, KH: 3, KW: 3, SH: 1, SW: 1, PH: 3, PW: 3, DH: 1, DW: 1},
	{H: 33, W: 35, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1, DH: 1, DW: 1},
	// stride-2 rows of 16+ columns: the vector (de)interleave, then the rest
	{H: 4, W: 32, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1, DH: 1, DW: 1},
	{H: 5, W: 21, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1, DH: 1, DW: 1},
	{H: 5, W: 35, KH: 5, KW: 5, SH: 2, SW: 2, PH: 4, PW: 4, DH: 2, DW: 2},
}

// squareGeoms are stride-1 square windows (the row-block kernels of the
// avx512 set, corrRowsShapes, and of the avx2 set) with heights that take blocks of 8 rows, then 4,
// then the rest, a row wider than one vector and the DARTS 4×4 and 8×8 maps.
var squareGeoms = []Geom{
	{H: 13, W: 18, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1, DH: 1, DW: 1},
	{H: 4, W: 4, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1, DH: 1, DW: 1},
	{H: 12, W: 17, KH: 3, KW: 3, SH: 1, SW: 1, PH: 2, PW: 2, DH: 2, DW: 2},
	{H: 14, W: 20, KH: 5, KW: 5, SH: 1, SW: 1, PH: 2, PW: 2, DH: 1, DW: 1},
	{H: 8, W: 8, KH: 5, KW: 5, SH: 1, SW: 1, PH: 4, PW: 4, DH: 2, DW: 2},
	{H: 12, W: 16, KH: 5, KW: 5, SH: 1, SW: 1, PH: 4, PW: 4, DH: 2, DW: 2},
	// the avx2 set's (corrRows2Shapes): 12 rows take a block of 8 and one of
	// 4, 12 columns a ymm and an xmm, for each window
	{H: 12, W: 12, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1, DH: 1, DW: 1},
	{H: 12, W: 12, KH: 3, KW: 3, SH: 1, SW: 1, PH: 2, PW: 2, DH: 2, DW: 2},
	{H: 12, W: 12, KH: 5, KW: 5, SH: 1, SW: 1, PH: 2, PW: 2, DH: 1, DW: 1},
	{H: 12, W: 12, KH: 5, KW: 5, SH: 1, SW: 1, PH: 4, PW: 4, DH: 2, DW: 2},
}

func init() { testGeoms = append(testGeoms, squareGeoms...) }

// forEachPath runs fn with the generic kernels and, when the build has one,
// with the fast path, restoring the fast path afterwards.
func forEachPath(t *testing.T, fn func(t *testing.T)) {
	old := fastOn
	defer SetFastPath(old)
	SetFastPath(false)
	t.Run(FastPath(), fn)
	for _, p := range fastPaths { // every kernel set the CPU runs, not only the best
		useFastPath(p.name)
		t.Run(FastPath(), fn)
	}
}

// naiveTap visits every (c, oh, ow, kh, kw) with the input position it reads
// (ok false when it falls in the padding).
func naiveTap(c int, g Geom, fn func(ci, oy, ox, kh, kw, iy, ix int, ok bool)) {
	for ci := 0; ci < c; ci++ {
		for oy := 0; oy < g.OH(); oy++ {
			for ox := 0; ox < g.OW(); ox++ {
				for kh := 0; kh < g.KH; kh++ {
					for kw := 0; kw < g.KW; kw++ {
						iy, ix := oy*g.SH-g.PH+kh*g.DH, ox*g.SW-g.PW+kw*g.DW
						fn(ci, oy, ox, kh, kw, iy, ix, iy >= 0 && iy < g.H && ix >= 0 && ix < g.W)
					}
				}
			}
		}
	}
}

func dot64(x, y []float32) float64 {
	var s float64
	for i := range x {
		s += float64(x[i]) * float64(y[i])
	}
	return s
}

func requireClose(t *testing.T, want, got []float32, rel float64, msg string) {
	t.Helper()
	require.Len(t, got, len(want), msg)
	for i := range want {
		tol := rel * (1 + math.Abs(float64(want[i])))
		require.InDelta(t, want[i], got[i], tol, "%s [%d]", msg, i)
	}
}

func TestIm2colCol2im(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(10, 11))
		for gi, g := range testGeoms {
			const c = 3
			oh, ow := g.OH(), g.OW()
			x := randSlice(r, c*g.H*g.W)
			col := randSlice(r, c*g.KH*g.KW*oh*ow) // garbage: Im2col must overwrite all
			Im2col(x, c, g, col)
			want := make([]float32, len(col))
			naiveTap(c, g, func(ci, oy, ox, kh, kw, iy, ix int, ok bool) {
				if ok {
					want[((ci*g.KH+kh)*g.KW+kw)*oh*ow+oy*ow+ox] = x[ci*g.H*g.W+iy*g.W+ix]
				}
			})
			require.Equal(t, want, col, "im2col geom %d %+v", gi, g)

			dcol := randSlice(r, len(col))
			dx := randSlice(r, len(x))
			wantDx := append([]float32(nil), dx...)
			naiveTap(c, g, func(ci, oy, ox, kh, kw, iy, ix int, ok bool) {
				if ok {
					wantDx[ci*g.H*g.W+iy*g.W+ix] += dcol[((ci*g.KH+kh)*g.KW+kw)*oh*ow+oy*ow+ox]
				}
			})
			before := append([]float32(nil), dx...)
			Col2im(dcol, c, g, dx)
			// float32 sums of up to KH·KW+1 terms of magnitude ~1 in two
			// orders: the rounding error grows with the count
			requireClose(t, wantDx, dx, 2e-7*float64(g.KH*g.KW+1), fmt.Sprintf("col2im geom %d", gi))
			// Adjoint: <Im2col(x), dcol> = <x, Col2im(dcol)>.
			adj := make([]float32, len(x))
			for i := range adj {
				adj[i] = dx[i] - before[i]
			}
			require.InDelta(t, dot64(col, dcol), dot64(x, adj), 1e-4, "adjoint geom %d", gi)
		}
	})
}

func TestDepthwise(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(12, 13))
		for gi, g := range testGeoms {
			const c = 4
			oh, ow := g.OH(), g.OW()
			x, w := randSlice(r, c*g.H*g.W), randSlice(r, c*g.KH*g.KW)
			y := randSlice(r, c*oh*ow)
			Depthwise(x, w, c, g, y)
			want := make([]float64, len(y))
			naiveTap(c, g, func(ci, oy, ox, kh, kw, iy, ix int, ok bool) {
				if ok {
					want[ci*oh*ow+oy*ow+ox] += float64(w[(ci*g.KH+kh)*g.KW+kw]) * float64(x[ci*g.H*g.W+iy*g.W+ix])
				}
			})
			requireClose(t, f32(want), y, 1e-5, fmt.Sprintf("depthwise geom %d", gi))
			yg := make([]float32, len(y))
			depthwiseGeneric(x, w, c, g, yg)
			require.Equal(t, yg, y, "fast vs generic geom %d", gi)

			dy := randSlice(r, len(y))
			dx, dw := randSlice(r, len(x)), randSlice(r, len(w))
			wantDx, wantDw := f64(dx), f64(dw)
			naiveTap(c, g, func(ci, oy, ox, kh, kw, iy, ix int, ok bool) {
				if ok {
					d := float64(dy[ci*oh*ow+oy*ow+ox])
					wantDx[ci*g.H*g.W+iy*g.W+ix] += float64(w[(ci*g.KH+kh)*g.KW+kw]) * d
					wantDw[(ci*g.KH+kh)*g.KW+kw] += float64(x[ci*g.H*g.W+iy*g.W+ix]) * d
				}
			})
			dx2, dw2 := append([]float32(nil), dx...), append([]float32(nil), dw...)
			DepthwiseBackward(x, w, dy, c, g, dx, dw)
			requireClose(t, f32(wantDx), dx, 1e-5, fmt.Sprintf("depthwise dx geom %d", gi))
			requireClose(t, f32(wantDw), dw, 1e-5, fmt.Sprintf("depthwise dw geom %d", gi))
			depthwiseBackwardGeneric(x, w, dy, c, g, dx2, dw2)
			require.Equal(t, dx2, dx, "fast vs generic dx geom %d", gi) // elementwise: exact
			requireClose(t, dw2, dw, 1e-5, fmt.Sprintf("fast vs generic dw geom %d", gi))
			// nil gradients are allowed.
			dx3 := append([]float32(nil), dx...)
			DepthwiseBackward(x, w, dy, c, g, nil, dw)
			require.Equal(t, dx3, dx)
			DepthwiseBackward(x, w, dy, c, g, dx, nil)
		}
	})
}

func f32(x []float64) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
}

func f64(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}
