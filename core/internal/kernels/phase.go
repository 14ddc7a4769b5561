package kernels

import "math"

// The stride-2 phases of FactorizedReduce: its two 1×1 stride-2
// convolutions read x at the even rows and columns and, shifted by one
// pixel, at the odd ones. ReLUPhase gathers one phase, rectified, into
// planes a 1×1 product reads; ReLUPhaseBackward adds the gradient of those
// planes back into x's.

// ReLUPhase sets d[ci·ld + r·(w/2) + s] = max(0, x[ci·h·w + (2r+p)·w + 2s+p])
// for the c planes of x (h×w each, h and w even), r < h/2, s < w/2: phase
// p = 0 is the even rows and columns, p = 1 the odd ones. Rectified as ReLU
// does (−0 and NaN give +0).
func ReLUPhase(d []float32, ld int, x []float32, c, h, w, p int) {
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

// ReLUPhaseBackward adds the gradient dd (c planes of (h/2)·(w/2)) of
// ReLUPhase's planes for phase p into dx (c planes of h·w): dx at the
// phase's pixels gains dd where x > 0. The other pixels are not touched.
func ReLUPhaseBackward(dx, x, dd []float32, c, h, w, p int) {
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
