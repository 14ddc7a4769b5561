package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// reluPhase and reluPhaseBackward against the definitions, index by index:
// each phase's planes are x's pixels (2r+p, 2s+p) rectified (−0, NaN → +0,
// +Inf kept), nothing past a plane's end written; the backward adds dd only
// where x > 0 and leaves the other phase's pixels and the odd-even ones as
// they were.
func TestReLUPhase(t *testing.T) {
	r := rand.New(rand.NewPCG(70, 71))
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
	const sentinel = 9
	for _, g := range [][3]int{{1, 2, 2}, {3, 4, 6}, {2, 8, 8}, {4, 16, 10}} {
		c, h, w := g[0], g[1], g[2]
		oh, ow := h/2, w/2
		ld := oh*ow + 3
		x := randSlice(r, c*h*w)
		for i := range x {
			if r.IntN(4) == 0 {
				x[i] = special[r.IntN(len(special))]
			}
		}
		for p := range 2 {
			d := make([]float32, c*ld)
			for i := range d {
				d[i] = sentinel
			}
			reluPhase(d, ld, x, c, h, w, p)
			dd := randSlice(r, c*oh*ow)
			dx := randSlice(r, c*h*w)
			dx0 := append([]float32(nil), dx...)
			reluPhaseBackward(dx, x, dd, c, h, w, p)
			for ci := range c {
				for j := oh * ow; j < ld; j++ {
					require.Equal(t, float32(sentinel), d[ci*ld+j], "past plane %d", ci)
				}
				for row := range h {
					for col := range w {
						i := (ci*h+row)*w + col
						if row%2 != p || col%2 != p {
							require.Equal(t, dx0[i], dx[i], "pixel (%d,%d) is not phase %d's", row, col, p)
							continue
						}
						k := (row/2)*ow + col/2
						v := x[i]
						want, grad := float32(0), float32(0)
						if v > 0 {
							want, grad = v, dd[ci*oh*ow+k]
						}
						got := d[ci*ld+k]
						require.Equal(t, math.Float32bits(want), math.Float32bits(got), "phase %d (%d,%d,%d): x %g", p, ci, row, col, v)
						require.Equal(t, dx0[i]+grad, dx[i], "dx phase %d (%d,%d,%d)", p, ci, row, col)
					}
				}
			}
		}
	}
}

// ReLUPhases and ReLUPhasesBackward, on every kernel set the CPU runs, give
// reluPhase's and reluPhaseBackward's bits for both phases (rows of 8k
// floats go through the stride-2 row kernels, others pixel by pixel).
func TestReLUPhases(t *testing.T) {
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(72, 73))
		for _, g := range [][3]int{{1, 2, 8}, {3, 4, 16}, {2, 8, 32}, {4, 6, 10}, {5, 16, 16}, {2, 32, 64}} {
			c, h, w := g[0], g[1], g[2]
			ohw := (h / 2) * (w / 2)
			ld := ohw + 5
			x := randSlice(r, c*h*w)
			for i := range x {
				if r.IntN(4) == 0 {
					x[i] = special[r.IntN(len(special))]
				}
			}
			want := make([]float32, 3*c*ld)
			reluPhase(want, ld, x, c, h, w, 0)
			reluPhase(want[2*c*ld:], ld, x, c, h, w, 1)
			got := randSlice(r, 3*c*ld)
			ReLUPhases(x, c, h, w, got, ld)
			for _, p := range []int{0, 2} {
				for ci := range c {
					for j := range ohw {
						i := (p*c+ci)*ld + j
						require.Equal(t, math.Float32bits(want[i]), math.Float32bits(got[i]), "%v phase %d plane %d [%d]", g, p/2, ci, j)
					}
				}
			}
			dd := randSlice(r, 3*c*ohw)
			clear(dd[c*ohw : 2*c*ohw])
			dx := randSlice(r, c*h*w)
			wantDx := append([]float32(nil), dx...)
			reluPhaseBackward(wantDx, x, dd, c, h, w, 0)
			reluPhaseBackward(wantDx, x, dd[2*c*ohw:], c, h, w, 1)
			ReLUPhasesBackward(dd, x, c, h, w, dx)
			require.Equal(t, wantDx, dx, "%v backward", g)
		}
	})
}
