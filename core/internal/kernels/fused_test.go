package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// SumDot against float64 sums; Affine2 exactly as its formula rounds.
func TestSumDotAndAffine2(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(50, 51))
		for _, n := range []int{0, 1, 7, 8, 9, 31, 1000, 4099} {
			x, y := randSlice(r, n), randSlice(r, n+2)
			var ws, wd float64
			for i := range x {
				ws += float64(x[i])
				wd += float64(x[i]) * float64(y[i])
			}
			s, d := SumDot(x, y)
			require.InDelta(t, ws, s, 1e-9*(1+float64(n)), "SumDot sum n=%d", n)
			require.InDelta(t, wd, d, 1e-9*(1+float64(n)), "SumDot dot n=%d", n)
			s2, ss := SumSumSq(x)
			require.Equal(t, s, s2, "SumSumSq sum n=%d", n)
			require.InDelta(t, SumSq(x), ss, 1e-9*(1+float64(n)))
			dst := randSlice(r, n+1)
			last := dst[n]
			Affine2(dst, x, y, 0.5, -2, 0.125)
			for i := range x {
				require.Equal(t, (float32(0.5*x[i])+float32(-2*y[i]))+0.125, dst[i], "Affine2 n=%d [%d]", n, i)
			}
			require.Equal(t, last, dst[n], "Affine2 writes only len(x)")
		}
	})
}

// The planar ReLU kernels equal Depthwise / DepthwiseBackward run on an
// explicitly rectified copy, with dx masked by x > 0.
func TestDepthwiseReLUPlanes(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(52, 53))
		for _, g := range append([]Geom{
			{H: 7, W: 9, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1, DH: 1, DW: 1},
			{H: 8, W: 7, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1, DH: 1, DW: 1},
			{H: 9, W: 10, KH: 5, KW: 5, SH: 2, SW: 2, PH: 2, PW: 2, DH: 1, DW: 1},
			{H: 9, W: 9, KH: 5, KW: 5, SH: 2, SW: 2, PH: 4, PW: 4, DH: 2, DW: 2},
			{H: 6, W: 11, KH: 3, KW: 3, SH: 1, SW: 1, PH: 2, PW: 2, DH: 2, DW: 2},
			// rows wide enough for the vectorised stride-2 layout (16 columns per step)
			{H: 5, W: 34, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1, DH: 1, DW: 1},
			{H: 5, W: 32, KH: 5, KW: 5, SH: 2, SW: 2, PH: 2, PW: 2, DH: 1, DW: 1},
			{H: 4, W: 49, KH: 5, KW: 5, SH: 2, SW: 2, PH: 4, PW: 4, DH: 2, DW: 2},
			// stride 1 over more than 16 columns and row counts off 4 (the
			// avx512 gather's column halves and last row group)
			{H: 9, W: 21, KH: 5, KW: 5, SH: 1, SW: 1, PH: 2, PW: 2, DH: 1, DW: 1},
			{H: 5, W: 33, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1, DH: 1, DW: 1},
			{H: 6, W: 16, KH: 5, KW: 5, SH: 1, SW: 1, PH: 4, PW: 4, DH: 2, DW: 2},
		}, squareGeoms...) {
			t.Run(fmt.Sprintf("%+v", g), func(t *testing.T) {
				c := 3
				hw, ohw, kk := g.H*g.W, g.OH()*g.OW(), g.KH*g.KW
				x, w, dy := randSlice(r, c*hw), randSlice(r, c*kk), randSlice(r, c*ohw)
				rx := make([]float32, len(x))
				ReLU(rx, x)
				want := make([]float32, c*ohw)
				Depthwise(rx, w, c, g, want)
				got := make([]float32, c*ohw)
				DepthwiseReLU(x, w, c, g, got, ohw)
				require.Equal(t, want, got, "DepthwiseReLU")
				planes := make([]float32, c*PlanarLen(g))
				PlanarReLU(x, c, g, planes)
				DepthwisePlanes(planes, w, c, g, got, ohw)
				require.Equal(t, want, got, "DepthwisePlanes")
				// output planes ld apart: the same planes, the gaps untouched
				ld := ohw + 5
				for name, run := range map[string]func([]float32){
					"DepthwiseReLU":   func(y []float32) { DepthwiseReLU(x, w, c, g, y, ld) },
					"DepthwisePlanes": func(y []float32) { DepthwisePlanes(planes, w, c, g, y, ld) },
				} {
					strided := make([]float32, c*ld)
					for i := range strided {
						strided[i] = -7
					}
					run(strided)
					for ci := 0; ci < c; ci++ {
						require.Equal(t, want[ci*ohw:ci*ohw+ohw], strided[ci*ld:ci*ld+ohw], "%s plane %d, ld %d", name, ci, ld)
						for _, v := range strided[ci*ld+ohw : ci*ld+ld] {
							require.Equal(t, float32(-7), v, "%s wrote between planes", name)
						}
					}
				}

				dxr, dwr := make([]float32, c*hw), make([]float32, c*kk)
				DepthwiseBackward(rx, w, dy, c, g, dxr, dwr)
				for i := range dxr {
					if !(x[i] > 0) {
						dxr[i] = 0
					}
				}
				dx, dw := make([]float32, c*hw), make([]float32, c*kk)
				DepthwisePlanesBackward(planes, x, w, dy, c, g, dx, dw)
				require.Equal(t, dxr, dx, "dx")
				if sparseDw && planFor(g).sparse {
					// the portable path sums the weight gradient over the
					// pixels with x > 0 in their listed order
					// (gatherMaskedAddSparseDw): equal up to rounding here,
					// TestGatherMaskedAddSparse checks it against the definition
					requireClose(t, dwr, dw, 1e-5, "dw")
				} else {
					require.Equal(t, dwr, dw, "dw")
				}
			})
		}
	})
}

// GemmNTDot accumulates A·Bᵀ like GemmNT with beta 1.
func TestGemmNTDot(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(54, 55))
		for _, s := range [][3]int{{16, 16, 1024}, {4, 3, 8}, {5, 7, 33}, {64, 64, 64}, {8, 16, 16}, {1, 1, 9}} {
			m, n, k := s[0], s[1], s[2]
			a, b := randSlice(r, m*(k+2)), randSlice(r, n*(k+1))
			want, got := randSlice(r, m*n), make([]float32, m*n)
			copy(got, want)
			GemmNT(m, n, k, a, k+2, b, k+1, 1, want, n)
			GemmNTDot(m, n, k, a, k+2, b, k+1, got, n)
			requireClose(t, want, got, 1e-4, fmt.Sprint("GemmNTDot ", s))
		}
	})
}

// MaxPoolValues gives MaxPool's values, including windows of −Inf and NaN.
func TestMaxPoolValues(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(56, 57))
		for _, g := range []Geom{
			{H: 7, W: 9, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1, DH: 1, DW: 1},
			{H: 8, W: 7, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1, DH: 1, DW: 1},
			{H: 8, W: 8, KH: 2, KW: 2, SH: 2, SW: 2, DH: 1, DW: 1},
			{H: 9, W: 9, KH: 5, KW: 5, SH: 2, SW: 2, PH: 2, PW: 2, DH: 1, DW: 1},
		} {
			c := 3
			x := randSlice(r, c*g.H*g.W)
			x[0], x[1], x[g.W] = float32(math.Inf(-1)), float32(math.Inf(-1)), float32(math.Inf(-1))
			x[5] = float32(math.NaN())
			want, idx := make([]float32, c*g.OH()*g.OW()), make([]int32, c*g.OH()*g.OW())
			MaxPool(x, c, g, want, idx)
			got := make([]float32, len(want))
			MaxPoolValues(x, c, g, got)
			for i := range want {
				require.True(t, want[i] == got[i] || (want[i] != want[i] && got[i] != got[i]), "%+v [%d]: %v vs %v", g, i, want[i], got[i])
			}
		}
	})
}

// Pointwise equals GemmNN (W·x, or Wᵀ·x) with and without read slack, x's
// rows n apart or further (PlaneStride's, and an odd distance).
func TestPointwise(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(58, 59))
		for _, s := range [][3]int{{16, 16, 1024}, {5, 3, 7}, {8, 8, 16}, {64, 64, 64}, {6, 10, 50}, {32, 16, 256}} {
			f, c, n := s[0], s[1], s[2]
			w := randSlice(r, f*c)
			for _, tr := range []bool{false, true} {
				for _, ldx := range []int{n, PlaneStride(n), n + 3} {
					for _, slack := range []int{0, PointwiseSlack} {
						m, k := f, c
						wt := w
						if tr {
							m, k = c, f
							wt = make([]float32, f*c)
							for fi := 0; fi < f; fi++ {
								for ci := 0; ci < c; ci++ {
									wt[ci*f+fi] = w[fi*c+ci]
								}
							}
						}
						x := randSlice(r, (k-1)*ldx+n+slack)
						want := make([]float32, m*n)
						GemmNN(m, n, k, wt, k, x, ldx, 0, want, n)
						got := randSlice(r, m*n)
						p := NewPointwise(w, f, c, tr)
						p.Apply(x, ldx, n, got)
						p.Release()
						requireClose(t, want, got, 1e-4, fmt.Sprint("Pointwise ", s, " transpose ", tr, " ldx ", ldx, " slack ", slack))
					}
				}
			}
		}
	})
}

// SumDotBlocks stays within its documented error of the float64 sums.
func TestSumDotBlocks(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(60, 61))
		for _, n := range []int{0, 1, 8, 16, 31, 32, 64, 127, 128, 129, 136, 256, 1024, 4099} {
			x, y := randSlice(r, n), randSlice(r, n)
			var ws, wd, as, ad float64
			for i := range x {
				ws += float64(x[i])
				wd += float64(x[i]) * float64(y[i])
				as += math.Abs(float64(x[i]))
				ad += math.Abs(float64(x[i]) * float64(y[i]))
			}
			s, d := SumDotBlocks(x, y)
			tol := 128 * 0x1p-24
			require.InDelta(t, ws, s, tol*as+1e-12, "sum n=%d", n)
			require.InDelta(t, wd, d, tol*ad+1e-12, "dot n=%d", n)
		}
	})
}
