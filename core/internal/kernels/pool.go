package kernels

import "math"

// MaxPool takes the maximum over each KH×KW window (padding never wins) of one
// image x (C×H×W) into y (C×OH×OW), recording the argmax flat index into x's
// plane in idx (same length as y):
//
//	y[c][oh][ow] = max_{kh,kw inside} x[c][oh*SH−PH+kh*DH][ow*SW−PW+kw*DW]
func MaxPool(x []float32, c int, g Geom, y []float32, idx []int32) {
	if g.KH == 2 && g.KW == 2 && g.SH == 2 && g.SW == 2 && g.PH == 0 && g.PW == 0 && g.DH == 1 && g.DW == 1 {
		if fastOn && maxPool2x2Fast != nil {
			maxPool2x2Fast(x, c, g, y, idx)
			return
		}
		maxPool2x2(x, c, g, y, idx)
		return
	}
	maxPoolPlanar(x, c, g, y, idx)
}

// maxPool2x2 is MaxPool for 2×2 windows, stride 2, no padding: every window
// is inside the image, so it reads two input rows directly. Taps in the order
// (0,0), (0,1), (1,0), (1,1); a later one wins only when strictly greater, as
// in maxPoolPlanar. Branch-free (a data-dependent branch per tap mispredicts
// half the time on real activations): the winner is selected with masks.
func maxPool2x2(x []float32, c int, g Geom, y []float32, idx []int32) {
	oh, ow, w := g.OH(), g.OW(), g.W
	hw, ohw := g.H*w, oh*ow
	for ci := 0; ci < c; ci++ {
		for oy := 0; oy < oh; oy++ {
			i0 := ci*hw + 2*oy*w
			o := ci*ohw + oy*ow
			maxPool2x2Row(x[i0:i0+2*ow], x[i0+w:i0+w+2*ow], y[o:o+ow], idx[o:o+ow], int32(2*oy*w), w, 0)
		}
	}
}

// maxPool2x2Fast is a SIMD maxPool2x2 (set when the CPU has one).
var maxPool2x2Fast func(x []float32, c int, g Geom, y []float32, idx []int32)

// maxPool2x2Row pools outputs [ox0, len(yr)) of one output row from input
// rows r0, r1; at is the plane index of r0[0], w the plane width.
func maxPool2x2Row(r0, r1, yr []float32, ir []int32, at int32, w, ox0 int) {
	for ox := ox0; ox < len(yr); ox++ {
		j := 2 * ox
		best, bi := r0[j], at+int32(j)
		best, bi = pick(best, bi, r0[j+1], at+int32(j+1))
		best, bi = pick(best, bi, r1[j], at+int32(w+j))
		best, bi = pick(best, bi, r1[j+1], at+int32(w+j+1))
		yr[ox], ir[ox] = best, bi
	}
}

// pick returns (v, vi) when v > best, else (best, bi), without a branch.
func pick(best float32, bi int32, v float32, vi int32) (float32, int32) {
	var gt int32
	if v > best {
		gt = 1
	}
	m := -gt // all ones when v wins
	bb, vb := int32(math.Float32bits(best)), int32(math.Float32bits(v))
	return math.Float32frombits(uint32(bb ^ ((bb ^ vb) & m))), bi ^ ((bi ^ vi) & m)
}

// MaxPoolBackward routes dy to the argmax of each window: dx[c][idx] += dy.
func MaxPoolBackward(dy []float32, idx []int32, c, hw, ohw int, dx []float32) {
	for ci := 0; ci < c; ci++ {
		dxc := dx[ci*hw : ci*hw+hw]
		ic := idx[ci*ohw : ci*ohw+ohw]
		for j, d := range dy[ci*ohw : ci*ohw+ohw] {
			dxc[ic[j]] += d
		}
	}
}

// AvgPool averages each KH×KW window of one image x (C×H×W) into y. With
// countIncludePad the divisor is KH·KW (padding counts as zeros); without it
// (DARTS: count_include_pad=False) it is the number of positions inside x:
//
//	y[c][oh][ow] = Σ_{inside} x[c][ih][iw] / divisor
func AvgPool(x []float32, c int, g Geom, countIncludePad bool, y []float32) {
	avgPoolPlanar(x, c, g, countIncludePad, y)
}

// AvgPoolBackward spreads dy evenly over each window: dx[c][ih][iw] += dy/divisor.
func AvgPoolBackward(dy []float32, c int, g Geom, countIncludePad bool, dx []float32) {
	avgPoolBackwardPlanar(dy, c, g, countIncludePad, dx)
}
