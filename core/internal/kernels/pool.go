package kernels

// MaxPool takes the maximum over each KH×KW window (padding never wins) of one
// image x (C×H×W) into y (C×OH×OW), recording the argmax flat index into x's
// plane in idx (same length as y):
//
//	y[c][oh][ow] = max_{kh,kw inside} x[c][oh*SH−PH+kh*DH][ow*SW−PW+kw*DW]
func MaxPool(x []float32, c int, g Geom, y []float32, idx []int32) {
	maxPoolPlanar(x, c, g, y, idx)
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
