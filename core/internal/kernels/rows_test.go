package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPlanarRowsExact: going row by row over the valid outputs (planarRows,
// the portable path) computes every output from the same taps in the same
// order as the whole flat plane, so the depthwise forward and input
// gradient, the fused planes, max and average pooling and their gradients
// are bit for bit those of the flat walk, for stride 1 and 2, dilation and
// padding alike, on planes where either way is chosen (rowsOut, rowsGather).
func TestPlanarRowsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	geoms := []Geom{
		{H: 16, W: 16, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1, DH: 1, DW: 1},
		{H: 16, W: 16, KH: 5, KW: 5, SH: 1, SW: 1, PH: 4, PW: 4, DH: 2, DW: 2},
		{H: 16, W: 16, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1, DH: 1, DW: 1},
		{H: 9, W: 7, KH: 5, KW: 5, SH: 2, SW: 2, PH: 4, PW: 4, DH: 2, DW: 2},
		{H: 4, W: 4, KH: 5, KW: 5, SH: 1, SW: 1, PH: 2, PW: 2, DH: 1, DW: 1},
		{H: 5, W: 3, KH: 3, KW: 1, SH: 1, SW: 1, PH: 1, PW: 0, DH: 1, DW: 1},
	}
	defer func(v bool) { planarRows = v }(planarRows)
	SetFastPath(false)
	defer SetFastPath(true)
	const c = 3
	rowsSeen, flatSeen := false, false
	for _, g := range geoms {
		p := planFor(g)
		rowsSeen = rowsSeen || p.rowsOut
		flatSeen = flatSeen || !p.rowsOut
		for _, b := range p.rowsGather {
			rowsSeen, flatSeen = rowsSeen || b, flatSeen || !b
		}
		x := randSlice(r, c*g.H*g.W)
		w := randSlice(r, c*g.KH*g.KW)
		dy := randSlice(r, c*g.OH()*g.OW())
		run := func(rows bool) [][]float32 {
			planarRows = rows
			y, yr, yp := make([]float32, len(dy)), make([]float32, len(dy)), make([]float32, len(dy))
			dx, dw := make([]float32, len(x)), make([]float32, len(w))
			dxp := make([]float32, len(x))
			depthwiseGeneric(x, w, c, g, y)
			DepthwiseReLU(x, w, c, g, yr, g.OH()*g.OW())
			planes := make([]float32, c*PlanarLen(g))
			PlanarReLU(x, c, g, planes)
			DepthwisePlanes(planes, w, c, g, yp, g.OH()*g.OW())
			depthwiseBackwardGeneric(x, w, dy, c, g, dx, dw)
			DepthwisePlanesBackward(planes, x, w, dy, c, g, dxp, nil)
			ym, ya := make([]float32, len(dy)), make([]float32, len(dy))
			idx := make([]int32, len(dy))
			maxPoolPlanar(x, c, g, ym, idx)
			avgPoolPlanar(x, c, g, false, ya)
			dxa := make([]float32, len(x))
			avgPoolBackwardPlanar(dy, c, g, false, dxa)
			im := make([]float32, len(idx))
			for i, v := range idx {
				im[i] = float32(v)
			}
			return [][]float32{y, yr, yp, dx, dw, dxp, ym, im, ya, dxa}
		}
		flat, rows := run(false), run(true)
		for i := range flat {
			require.Equal(t, flat[i], rows[i], fmt.Sprintf("%+v output %d", g, i))
		}
	}
	require.True(t, rowsSeen && flatSeen, "the geometries cover both choices")
}
