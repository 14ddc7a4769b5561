package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// flatShapes are awkward m, n, k: not multiples of the 4×24 tile or the 4×3
// dot tile, plus the small CNN's own (16/20 filters, K = 75/400/500).
var flatShapes = []struct{ m, n, k int }{
	{1, 1, 1}, {3, 7, 2}, {4, 24, 3}, {5, 25, 5}, {4, 48, 1}, {7, 71, 9},
	{8, 23, 4}, {16, 1152, 75}, {20, 320, 400}, {20, 96, 500}, {2, 200, 13}, {9, 8, 6},
}

func flatCase(r *rand.Rand, m, n, k int) (a, b []float32, boff []int, lda int) {
	lda = k + 3
	a = randSlice(r, m*lda)
	boff = make([]int, k)
	for p := range boff {
		boff[p] = r.IntN(40)
	}
	b = randSlice(r, 40+n)
	return a, b, boff, lda
}

func TestFlatGemm(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(30, 31))
		for _, s := range flatShapes {
			a, b, boff, lda := flatCase(r, s.m, s.n, s.k)
			ldc := s.n + 5
			c := randSlice(r, s.m*ldc) // garbage: overwritten in the m×n part only
			before := append([]float32(nil), c...)
			A := flatA{m: s.m, k: s.k, a: a, lda: lda, ap: make([]float32, roundUp(s.m, 4)*s.k)}
			A.pack()
			flatGemm(s.n, &A, b, boff, c, ldc)
			for i := 0; i < s.m; i++ {
				for j := 0; j < ldc; j++ {
					if j >= s.n {
						require.Equal(t, before[i*ldc+j], c[i*ldc+j], "outside C touched %+v", s)
						continue
					}
					var want float64
					for p := 0; p < s.k; p++ {
						want += float64(a[i*lda+p]) * float64(b[boff[p]+j])
					}
					require.InDelta(t, want, c[i*ldc+j], 1e-4*(1+float64(s.k)), "%+v (%d,%d)", s, i, j)
				}
			}
		}
	})
}

func TestFlatDot(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(32, 33))
		for _, s := range flatShapes {
			// d is m×n (ldd = n+2), the k B rows are n long at boff
			d := randSlice(r, s.m*(s.n+2))
			_, b, boff, _ := flatCase(r, 1, s.n, s.k)
			ldc := s.k + 1
			c := randSlice(r, s.m*ldc)
			want := f64(c)
			for i := 0; i < s.m; i++ {
				for q := 0; q < s.k; q++ {
					for j := 0; j < s.n; j++ {
						want[i*ldc+q] += float64(d[i*(s.n+2)+j]) * float64(b[boff[q]+j])
					}
				}
			}
			flatDot(s.m, s.k, s.n, d, s.n+2, b, boff, c, ldc)
			requireClose(t, f32(want), c, 1e-5*float64(s.n), fmt.Sprintf("%+v", s))
		}
	})
}

// TestConvFlat checks the implicit-GEMM convolution against the naive sums on
// every stride-1 test geometry, with filter/channel counts off the tiles.
func TestConvFlat(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(34, 35))
		geoms := append(testGeoms[:len(testGeoms):len(testGeoms)],
			Geom{H: 32, W: 32, KH: 5, KW: 5, SH: 1, SW: 1, PH: 2, PW: 2, DH: 1, DW: 1}, // the small CNN
			Geom{H: 16, W: 16, KH: 5, KW: 5, SH: 1, SW: 1, PH: 2, PW: 2, DH: 1, DW: 1},
			Geom{H: 8, W: 8, KH: 5, KW: 5, SH: 1, SW: 1, PH: 2, PW: 2, DH: 1, DW: 1},
			Geom{H: 6, W: 5, KH: 3, KW: 5, SH: 1, SW: 1, PH: 0, PW: 1, DH: 1, DW: 1}, // asymmetric reach
			Geom{H: 4, W: 4, KH: 2, KW: 2, SH: 1, SW: 1, PH: 1, PW: 1, DH: 1, DW: 1}, // even kernel
			Geom{H: 5, W: 6, KH: 3, KW: 3, SH: 1, SW: 1, PH: 2, PW: 0, DH: 1, DW: 2}, // no column padding
			Geom{H: 3, W: 4, KH: 1, KW: 2, SH: 1, SW: 1, PH: 2, PW: 3, DH: 1, DW: 1}) // padding wider than the kernel
		for gi, g := range geoms {
			if g.SH != 1 || g.SW != 1 {
				continue
			}
			for _, cf := range [][2]int{{3, 16}, {5, 6}, {1, 1}, {20, 20}} {
				c, f := cf[0], cf[1]
				taps := g.KH * g.KW
				oh, ow, hw := g.OH(), g.OW(), g.H*g.W
				x, w, bias := randSlice(r, c*hw), randSlice(r, f*c*taps), randSlice(r, f)
				y := randSlice(r, f*oh*ow)
				ConvFlatForward(x, w, bias, c, f, g, y)
				want := make([]float64, len(y))
				for fi := 0; fi < f; fi++ {
					for j := 0; j < oh*ow; j++ {
						want[fi*oh*ow+j] = float64(bias[fi])
					}
				}
				dy := randSlice(r, len(y))
				dx, dw := randSlice(r, len(x)), randSlice(r, len(w))
				wantDx, wantDw := f64(dx), f64(dw)
				for fi := 0; fi < f; fi++ {
					naiveTap(c, g, func(ci, oy, ox, kh, kw, iy, ix int, ok bool) {
						if !ok {
							return
						}
						wi := (fi*c+ci)*taps + kh*g.KW + kw
						xi, yi := ci*hw+iy*g.W+ix, fi*oh*ow+oy*ow+ox
						want[yi] += float64(w[wi]) * float64(x[xi])
						wantDx[xi] += float64(w[wi]) * float64(dy[yi])
						wantDw[wi] += float64(x[xi]) * float64(dy[yi])
					})
				}
				msg := fmt.Sprintf("geom %d %+v c=%d f=%d", gi, g, c, f)
				requireClose(t, f32(want), y, 1e-4, "y "+msg)
				dx0, dw0 := append([]float32(nil), dx...), append([]float32(nil), dw...)
				fc := NewFlatConv(w, c, f, g, true)
				db := randSlice(r, f)
				wantDb := f64(db)
				for i, v := range dy {
					wantDb[i/(oh*ow)] += float64(v)
				}
				fc.Backward(x, dy, dx, dw, db)
				fc.Release()
				requireClose(t, f32(wantDb), db, 1e-4, "db "+msg)
				requireClose(t, f32(wantDx), dx, 1e-4, "dx "+msg)
				requireClose(t, f32(wantDw), dw, 1e-4, "dw "+msg)
				// nil gradients are allowed; each call adds the same gradient again.
				dw2 := append([]float32(nil), dw...)
				ConvFlatBackward(x, w, dy, c, f, g, nil, dw2)
				dx2 := append([]float32(nil), dx...)
				ConvFlatBackward(x, w, dy, c, f, g, dx2, nil)
				for i := range dw {
					dw0[i] = 2*dw[i] - dw0[i]
				}
				for i := range dx {
					dx0[i] = 2*dx[i] - dx0[i]
				}
				requireClose(t, dw0, dw2, 1e-4, "dw only "+msg)
				requireClose(t, dx0, dx2, 1e-4, "dx only "+msg)
			}
		}
	})
}
