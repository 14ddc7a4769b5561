package kernels

import "math"

// The stride-2 phases of FactorizedReduce: its two 1×1 stride-2
// convolutions read x at the even rows and columns and, shifted by one
// pixel, at the odd ones. reluPhase gathers one phase, rectified, into
// planes a 1×1 product reads; reluPhaseBackward adds the gradient of those
// planes back into x's.

// reluPhase sets d[ci·ld + r·(w/2) + s] = max(0, x[ci·h·w + (2r+p)·w + 2s+p])
// for the c planes of x (h×w each, h and w even), r < h/2, s < w/2: phase
// p = 0 is the even rows and columns, p = 1 the odd ones. Rectified as ReLU
// does (−0 and NaN give +0).
func reluPhase(d []float32, ld int, x []float32, c, h, w, p int) {
	oh, ow := h/2, w/2
	for ci := 0; ci < c; ci++ {
		xc, dc := x[ci*h*w:(ci+1)*h*w], d[ci*ld:ci*ld+oh*ow]
		for r := 0; r < oh; r++ {
			src, dst := xc[(2*r+p)*w:(2*r+p+1)*w], dc[r*ow:(r+1)*ow]
			for s := range dst {
				v := src[2*s+p]
				dst[s] = math.Float32frombits(math.Float32bits(v) & posMask(v))
			}
		}
	}
}

// reluPhaseBackward adds the gradient dd (c planes of (h/2)·(w/2)) of
// reluPhase's planes for phase p into dx (c planes of h·w): dx at the
// phase's pixels gains dd where x > 0. The other pixels are not touched.
func reluPhaseBackward(dx, x, dd []float32, c, h, w, p int) {
	oh, ow := h/2, w/2
	for ci := 0; ci < c; ci++ {
		xc, dxc, ddc := x[ci*h*w:(ci+1)*h*w], dx[ci*h*w:(ci+1)*h*w], dd[ci*oh*ow:(ci+1)*oh*ow]
		for r := 0; r < oh; r++ {
			row := (2*r + p) * w
			xr, dxr, g := xc[row:row+w], dxc[row:row+w], ddc[r*ow:(r+1)*ow]
			for s, gv := range g {
				j := 2*s + p
				dxr[j] += math.Float32frombits(math.Float32bits(gv) & posMask(xr[j]))
			}
		}
	}
}

// ReLUPhases lays out both phases of x (c planes h×w, h and w even) as
// reluPhase(d, ld, x, c, h, w, 0) and reluPhase(d[2·c·ld:], ld, x, c, h, w, 1)
// do, the even phase's planes first and the odd one's from 2·c·ld; d[c·ld :
// 2·c·ld] is scratch, where the fast paths' stride-2 row kernels (the
// depthwise layouts' rows2ReLUImpl) put each row's other columns: they take
// a whole plane per call on vectors instead of a pixel at a time. len(d) ≥
// 3·c·ld.
func ReLUPhases(x []float32, c, h, w int, d []float32, ld int) {
	if f := rows2ReLUImpl; f != nil && w%8 == 0 {
		f(x[:c*h*w], d[:3*c*ld], phasePos(c, h, w, ld), w, 0, c*ld)
		return
	}
	reluPhase(d, ld, x, c, h, w, 0)
	reluPhase(d[2*c*ld:], ld, x, c, h, w, 1)
}

// ReLUPhasesBackward is ReLUPhases' adjoint: it adds into dx the gradient dd
// of the two phases' planes, phase 0's (c·(h/2)·(w/2) floats), then as many
// zeros, then phase 1's, as reluPhaseBackward does for each phase.
func ReLUPhasesBackward(dd, x []float32, c, h, w int, dx []float32) {
	ohw := (h / 2) * (w / 2)
	if f := rows2MaskedAddImpl; f != nil && w%8 == 0 {
		f(dd[:3*c*ohw], x[:c*h*w], dx[:c*h*w], phasePos(c, h, w, ohw), w, 0, c*ohw)
		return
	}
	reluPhaseBackward(dx, x, dd, c, h, w, 0)
	reluPhaseBackward(dx, x, dd[2*c*ohw:], c, h, w, 1)
}

var phasePosCache memo[[4]int, []int]

// phasePos returns where the stride-2 row kernels put x's rows for
// ReLUPhases (even columns at pos, odd ones at pos + c·ld): an even row 2i
// of plane ci at ci·ld + i·w/2, so its even columns land in phase 0's plane
// and its odd ones in the scratch third; an odd row 2i+1 at c·ld + ci·ld +
// i·w/2, its even columns in the scratch third and its odd ones in phase
// 1's plane. Cached, read-only.
func phasePos(c, h, w, ld int) []int {
	k := [4]int{c, h, w, ld}
	return phasePosCache.get(k, uint64(c)*1021+uint64(h)*131+uint64(w)*31+uint64(ld), func() []int {
		pos := make([]int, c*h)
		for ci := range c {
			for r := range h {
				pos[ci*h+r] = (r%2)*c*ld + ci*ld + (r/2)*(w/2)
			}
		}
		return pos
	})
}
