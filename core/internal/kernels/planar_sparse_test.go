package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestGatherMaskedAddSparse: gathering the input gradient at the pixels
// with x > 0 only gives, bit for bit, what gatherDx then addBackMasked give
// (the generic correlation, flat or row by row), for stride 1 and 2,
// dilation, padding and the DARTS maps, with zeros of both signs, NaN and
// infinities in x and a nonzero dx to add into; and it lists exactly the
// pixels with x > 0. With the weight gradient (gatherMaskedAddSparseDw) dx
// stays the same and dw is the definition's sum up to rounding.
func TestGatherMaskedAddSparse(t *testing.T) {
	r := rand.New(rand.NewPCG(61, 62))
	SetFastPath(false)
	defer SetFastPath(true)
	geoms := append([]Geom{
		{H: 16, W: 16, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1, DH: 1, DW: 1},
		{H: 16, W: 16, KH: 5, KW: 5, SH: 1, SW: 1, PH: 4, PW: 4, DH: 2, DW: 2},
		{H: 16, W: 16, KH: 5, KW: 5, SH: 2, SW: 2, PH: 2, PW: 2, DH: 1, DW: 1},
		{H: 8, W: 8, KH: 3, KW: 3, SH: 2, SW: 2, PH: 2, PW: 2, DH: 2, DW: 2},
		{H: 4, W: 4, KH: 5, KW: 5, SH: 1, SW: 1, PH: 4, PW: 4, DH: 2, DW: 2},
		{H: 1, W: 1, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1, DH: 1, DW: 1},
	}, testGeoms...)
	specials := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 1e-40}
	for _, g := range geoms {
		p := planFor(g)
		hw := g.H * g.W
		kk := g.KH * g.KW
		for _, rows := range []bool{false, true} {
			t.Run(fmt.Sprintf("%+v/rows=%v", g, rows), func(t *testing.T) {
				defer func(v bool) { planarRows = v }(planarRows)
				planarRows = rows
				x, w, dy := randSlice(r, hw), randSlice(r, kk), randSlice(r, p.oh*p.ow)
				for i := range x {
					if r.IntN(5) == 0 {
						x[i] = specials[r.IntN(len(specials))]
					}
				}
				dx0 := randSlice(r, hw)
				s := getPlanarScratch(p, true)
				defer putScratch(s.s)
				p.spread(dy, s.q)

				want := append([]float32(nil), dx0...)
				p.gatherDx(corrGeneric, w, s.q, s.dbuf, s.ws)
				p.addBackMasked(s.dbuf, x, want)

				got := append([]float32(nil), dx0...)
				idx, pos := make([]int32, hw), make([]int32, hw)
				p.gatherMaskedAddSparse(w, s.q, x, got, s.ws, idx, pos)
				for i := range want {
					require.Equal(t, math.Float32bits(want[i]), math.Float32bits(got[i]), "dx[%d]: %v vs %v (x %v)", i, want[i], got[i], x[i])
				}

				// with the weight gradient: the same dx, and dw as the
				// definition gives it, Σ max(x, 0)·dy over every tap's reads
				// (in float64; NaN in x reads as 0, as ReLU)
				// (x = ±Inf is made finite: it would meet the zeros of q's
				// margins, Inf·0 = NaN, as in the dense dotTaps)
				for i, v := range x {
					if math.IsInf(float64(v), 0) {
						x[i] = 2 * float32(math.Copysign(1, float64(v)))
					}
				}
				want = append(want[:0], dx0...)
				p.gatherDx(corrGeneric, w, s.q, s.dbuf, s.ws)
				p.addBackMasked(s.dbuf, x, want)
				dw0 := randSlice(r, kk)
				gotW, gotX := append([]float32(nil), dw0...), append([]float32(nil), dx0...)
				p.gatherMaskedAddSparseDw(w, s.q, x, gotX, gotW, s.ws, idx, pos)
				for i := range want {
					require.Equal(t, math.Float32bits(want[i]), math.Float32bits(gotX[i]), "dx[%d] with dw: %v vs %v (x %v)", i, want[i], gotX[i], x[i])
				}
				ref, mag := make([]float64, kk), make([]float64, kk)
				naiveTap(1, g, func(_, oy, ox, kh, kw, iy, ix int, ok bool) {
					if !ok || !(x[iy*g.W+ix] > 0) {
						return
					}
					v := float64(x[iy*g.W+ix]) * float64(dy[oy*p.ow+ox])
					ref[kh*g.KW+kw] += v
					mag[kh*g.KW+kw] += math.Abs(v)
				})
				for k := range ref {
					want := float64(dw0[k]) + ref[k]
					require.InDelta(t, want, float64(gotW[k]), 1e-6*(mag[k]+math.Abs(want)), "dw[%d]", k)
				}

				// the lists: every pixel with x > 0 once, in its phase
				seen := 0
				for ph := range p.phTaps {
					n := p.listPositive(ph, x, idx, pos)
					for k := 0; k < n; k++ {
						i := int(idx[k])
						iy, ix := i/g.W, i%g.W
						require.True(t, x[i] > 0, "listed x[%d] = %v", i, x[i])
						require.Equal(t, p.rowPos[iy]+p.colPos[ix]-ph*p.psize, int(pos[k]), "pos of %d", i)
					}
					seen += n
				}
				pos0 := 0
				for _, v := range x {
					if v > 0 {
						pos0++
					}
				}
				require.Equal(t, pos0, seen, "pixels listed")
			})
		}
	}
}

// BenchmarkGatherSparse: DepthwisePlanesBackward's input gradient on the
// portable path, dense (gatherDx, addBackMasked) and sparse
// (gatherMaskedAddSparse), batch 32, on the reduced config's maps and the
// DARTS windows at stride 1 and 2 (sparseMinTaps and sparseOnGeneric come
// from it; in wasm: GOOS=js GOARCH=wasm go test -c, then node).
func BenchmarkGatherSparse(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 9))
	SetFastPath(false)
	defer SetFastPath(true)
	for _, sh := range []struct{ c, hw, s int }{{8, 16, 1}, {16, 8, 1}, {32, 4, 1}, {8, 16, 2}, {16, 8, 2}} {
		for _, kr := range []struct {
			name      string
			k, pad, d int
		}{{"3x3", 3, 1, 1}, {"5x5", 5, 2, 1}, {"dil3", 3, 2, 2}, {"dil5", 5, 4, 2}} {
			g := Geom{H: sh.hw, W: sh.hw, KH: kr.k, KW: kr.k, SH: sh.s, SW: sh.s, PH: kr.pad, PW: kr.pad, DH: kr.d, DW: kr.d}
			hw, ohw := g.H*g.W, g.OH()*g.OW()
			const n = 32
			x, w, dy := randSlice(r, n*sh.c*hw), randSlice(r, sh.c*kr.k*kr.k), randSlice(r, n*sh.c*ohw)
			dx := make([]float32, len(x))
			pl := make([]float32, n*sh.c*PlanarLen(g))
			ppi := len(pl) / n
			for i := 0; i < n; i++ {
				PlanarReLU(x[i*sh.c*hw:(i+1)*sh.c*hw], sh.c, g, pl[i*ppi:(i+1)*ppi])
			}
			for _, sp := range []bool{false, true} {
				b.Run(fmt.Sprintf("s%d/%s/C=%d/%d/sparse=%v", sh.s, kr.name, sh.c, sh.hw, sp), func(b *testing.B) {
					defer func(v bool) { gatherSparse = v }(gatherSparse)
					gatherSparse = sp
					for b.Loop() {
						for i := 0; i < n; i++ {
							DepthwisePlanesBackward(pl[i*ppi:(i+1)*ppi], x[i*sh.c*hw:(i+1)*sh.c*hw], w, dy[i*sh.c*ohw:(i+1)*sh.c*ohw], sh.c, g, dx[i*sh.c*hw:(i+1)*sh.c*hw], nil)
						}
					}
				})
			}
		}
	}
}

// BenchmarkGatherSparseDw: DepthwisePlanesBackward with both gradients on
// the portable path, batch 32: dense (gatherDx, addBackMasked, dotTaps),
// lists for the input gradient only (gatherMaskedAddSparse, then dotTaps)
// and both from the lists (gatherMaskedAddSparseDw), on the layouts that
// gather sparsely (sparseDw comes from it, in node too).
func BenchmarkGatherSparseDw(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 9))
	SetFastPath(false)
	defer SetFastPath(true)
	for _, sh := range []struct{ c, hw, s int }{{8, 16, 1}, {16, 8, 1}, {32, 4, 1}, {8, 16, 2}} {
		for _, kr := range []struct {
			name      string
			k, pad, d int
		}{{"3x3", 3, 1, 1}, {"5x5", 5, 2, 1}, {"dil3", 3, 2, 2}, {"dil5", 5, 4, 2}} {
			g := Geom{H: sh.hw, W: sh.hw, KH: kr.k, KW: kr.k, SH: sh.s, SW: sh.s, PH: kr.pad, PW: kr.pad, DH: kr.d, DW: kr.d}
			if !planFor(g).sparse {
				continue
			}
			hw, ohw := g.H*g.W, g.OH()*g.OW()
			const n = 32
			x, w, dy := randSlice(r, n*sh.c*hw), randSlice(r, sh.c*kr.k*kr.k), randSlice(r, n*sh.c*ohw)
			dx, dw := make([]float32, len(x)), make([]float32, len(w))
			pl := make([]float32, n*sh.c*PlanarLen(g))
			ppi := len(pl) / n
			for i := 0; i < n; i++ {
				PlanarReLU(x[i*sh.c*hw:(i+1)*sh.c*hw], sh.c, g, pl[i*ppi:(i+1)*ppi])
			}
			for _, mode := range []string{"dense", "dx-lists", "lists"} {
				b.Run(fmt.Sprintf("s%d/%s/C=%d/%d/%s", sh.s, kr.name, sh.c, sh.hw, mode), func(b *testing.B) {
					defer func(u, v bool) { gatherSparse, sparseDw = u, v }(gatherSparse, sparseDw)
					gatherSparse, sparseDw = mode != "dense", mode == "lists"
					for b.Loop() {
						for i := 0; i < n; i++ {
							DepthwisePlanesBackward(pl[i*ppi:(i+1)*ppi], x[i*sh.c*hw:(i+1)*sh.c*hw], w, dy[i*sh.c*ohw:(i+1)*sh.c*ohw], sh.c, g, dx[i*sh.c*hw:(i+1)*sh.c*hw], dw)
						}
					}
				})
			}
		}
	}
}
