package kernels

import "math"

// MaxPool takes the maximum over each KH×KW window (padding never wins) of one
// image x (C×H×W) into y (C×OH×OW), recording the argmax flat index into x's
// plane in idx (same length as y):
//
//	y[c][oh][ow] = max_{kh,kw inside} x[c][oh*SH−PH+kh*DH][ow*SW−PW+kw*DW]
func MaxPool(x []float32, c int, g Geom, y []float32, idx []int32) {
	oh, ow := g.OH(), g.OW()
	hw, ohw := g.H*g.W, oh*ow
	for ci := 0; ci < c; ci++ {
		xc := x[ci*hw : ci*hw+hw]
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				best := float32(math.Inf(-1))
				bi := int32(-1)
				for kh := 0; kh < g.KH; kh++ {
					iy := oy*g.SH - g.PH + kh*g.DH
					if iy < 0 || iy >= g.H {
						continue
					}
					for kw := 0; kw < g.KW; kw++ {
						ix := ox*g.SW - g.PW + kw*g.DW
						if ix < 0 || ix >= g.W {
							continue
						}
						if v := xc[iy*g.W+ix]; v > best || bi < 0 {
							best, bi = v, int32(iy*g.W+ix)
						}
					}
				}
				y[ci*ohw+oy*ow+ox] = best
				idx[ci*ohw+oy*ow+ox] = bi
			}
		}
	}
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
	oh, ow := g.OH(), g.OW()
	hw, ohw := g.H*g.W, oh*ow
	for ci := 0; ci < c; ci++ {
		xc := x[ci*hw : ci*hw+hw]
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				var s float32
				n := 0
				for kh := 0; kh < g.KH; kh++ {
					iy := oy*g.SH - g.PH + kh*g.DH
					if iy < 0 || iy >= g.H {
						continue
					}
					for kw := 0; kw < g.KW; kw++ {
						ix := ox*g.SW - g.PW + kw*g.DW
						if ix < 0 || ix >= g.W {
							continue
						}
						s += xc[iy*g.W+ix]
						n++
					}
				}
				if countIncludePad {
					n = g.KH * g.KW
				}
				y[ci*ohw+oy*ow+ox] = s / float32(n)
			}
		}
	}
}

// AvgPoolBackward spreads dy evenly over each window: dx[c][ih][iw] += dy/divisor.
func AvgPoolBackward(dy []float32, c int, g Geom, countIncludePad bool, dx []float32) {
	oh, ow := g.OH(), g.OW()
	hw, ohw := g.H*g.W, oh*ow
	for ci := 0; ci < c; ci++ {
		dxc := dx[ci*hw : ci*hw+hw]
		for oy := 0; oy < oh; oy++ {
			y0, y1 := oy*g.SH-g.PH, oy*g.SH-g.PH+(g.KH-1)*g.DH
			for ox := 0; ox < ow; ox++ {
				x0, x1 := ox*g.SW-g.PW, ox*g.SW-g.PW+(g.KW-1)*g.DW
				n := g.KH * g.KW
				if !countIncludePad {
					n = 0
					for iy := y0; iy <= y1; iy += g.DH {
						for ix := x0; ix <= x1; ix += g.DW {
							if iy >= 0 && iy < g.H && ix >= 0 && ix < g.W {
								n++
							}
						}
					}
				}
				d := dy[ci*ohw+oy*ow+ox] / float32(n)
				for iy := y0; iy <= y1; iy += g.DH {
					if iy < 0 || iy >= g.H {
						continue
					}
					for ix := x0; ix <= x1; ix += g.DW {
						if ix >= 0 && ix < g.W {
							dxc[iy*g.W+ix] += d
						}
					}
				}
			}
		}
	}
}
