package kernels

// The portable kernels of conv.go.

func im2colGeneric(x []float32, c int, g Geom, col []float32) {
	oh, ow := g.OH(), g.OW()
	hw := g.H * g.W
	r := 0
	for ci := 0; ci < c; ci++ {
		xc := x[ci*hw : ci*hw+hw]
		for kh := 0; kh < g.KH; kh++ {
			ylo, yhi := validRange(g.H, oh, g.SH, g.PH, kh*g.DH)
			for kw := 0; kw < g.KW; kw++ {
				dst := col[r*oh*ow : (r+1)*oh*ow]
				r++
				xlo, xhi := validRange(g.W, ow, g.SW, g.PW, kw*g.DW)
				clear(dst[:ylo*ow])
				clear(dst[yhi*ow:])
				for y := ylo; y < yhi; y++ {
					iy := y*g.SH - g.PH + kh*g.DH
					row := dst[y*ow : y*ow+ow]
					clear(row[:xlo])
					clear(row[xhi:])
					if xlo >= xhi {
						continue
					}
					xr := xc[iy*g.W : iy*g.W+g.W]
					ix := xlo*g.SW - g.PW + kw*g.DW
					if g.SW == 1 {
						copy(row[xlo:xhi], xr[ix:ix+xhi-xlo])
						continue
					}
					for xo := xlo; xo < xhi; xo++ {
						row[xo] = xr[ix]
						ix += g.SW
					}
				}
			}
		}
	}
}

func col2imGeneric(col []float32, c int, g Geom, dx []float32) {
	oh, ow := g.OH(), g.OW()
	hw := g.H * g.W
	r := 0
	for ci := 0; ci < c; ci++ {
		dc := dx[ci*hw : ci*hw+hw]
		for kh := 0; kh < g.KH; kh++ {
			ylo, yhi := validRange(g.H, oh, g.SH, g.PH, kh*g.DH)
			for kw := 0; kw < g.KW; kw++ {
				src := col[r*oh*ow : (r+1)*oh*ow]
				r++
				xlo, xhi := validRange(g.W, ow, g.SW, g.PW, kw*g.DW)
				if xlo >= xhi {
					continue
				}
				for y := ylo; y < yhi; y++ {
					iy := y*g.SH - g.PH + kh*g.DH
					dr := dc[iy*g.W : iy*g.W+g.W]
					row := src[y*ow+xlo : y*ow+xhi]
					ix := xlo*g.SW - g.PW + kw*g.DW
					if g.SW == 1 {
						Add(row, dr[ix:ix+len(row)])
						continue
					}
					for _, v := range row {
						dr[ix] += v
						ix += g.SW
					}
				}
			}
		}
	}
}

func depthwiseGeneric(x, w []float32, c int, g Geom, y []float32) {
	depthwisePlanar(corrGeneric, x, w, c, g, y, g.OH()*g.OW(), false)
}

func depthwiseBackwardGeneric(x, w, dy []float32, c int, g Geom, dx, dw []float32) {
	depthwiseBackwardPlanar(corrGeneric, dotTapsGeneric, x, w, dy, c, g, dx, dw)
}
