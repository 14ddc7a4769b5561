package kernels

// Geom is the geometry of a 2-D convolution or pooling window over one image
// plane of H×W: kernel KH×KW, stride SH×SW, zero padding PH×PW, dilation DH×DW.
type Geom struct {
	H, W   int
	KH, KW int
	SH, SW int
	PH, PW int
	DH, DW int
}

// OH returns the output height ⌊(H + 2PH − DH(KH−1) − 1)/SH⌋ + 1.
func (g Geom) OH() int { return (g.H+2*g.PH-g.DH*(g.KH-1)-1)/g.SH + 1 }

// OW returns the output width ⌊(W + 2PW − DW(KW−1) − 1)/SW⌋ + 1.
func (g Geom) OW() int { return (g.W+2*g.PW-g.DW*(g.KW-1)-1)/g.SW + 1 }

// Im2col unrolls one image x (C×H×W) into col ((C·KH·KW)×(OH·OW)):
//
//	col[(c*KH+kh)*KW+kw][oh*OW+ow] = x[c][oh*SH−PH+kh*DH][ow*SW−PW+kw*DW]  (0 outside)
func Im2col(x []float32, c int, g Geom, col []float32) { im2colImpl(x, c, g, col) }

// Col2im is the adjoint of Im2col: it accumulates col back into dx (C×H×W):
//
//	dx[c][oh*SH−PH+kh*DH][ow*SW−PW+kw*DW] += col[(c*KH+kh)*KW+kw][oh*OW+ow]
func Col2im(col []float32, c int, g Geom, dx []float32) { col2imImpl(col, c, g, dx) }

var (
	im2colImpl = im2colGeneric
	col2imImpl = col2imGeneric
)

func im2colGeneric(x []float32, c int, g Geom, col []float32) {
	oh, ow := g.OH(), g.OW()
	hw := g.H * g.W
	r := 0
	for ci := 0; ci < c; ci++ {
		xc := x[ci*hw : ci*hw+hw]
		for kh := 0; kh < g.KH; kh++ {
			for kw := 0; kw < g.KW; kw++ {
				dst := col[r*oh*ow : (r+1)*oh*ow]
				r++
				for y := 0; y < oh; y++ {
					iy := y*g.SH - g.PH + kh*g.DH
					row := dst[y*ow : y*ow+ow]
					if iy < 0 || iy >= g.H {
						clear(row)
						continue
					}
					xr := xc[iy*g.W : iy*g.W+g.W]
					ix := -g.PW + kw*g.DW
					if g.SW == 1 && ix >= 0 && ix+ow <= g.W {
						copy(row, xr[ix:ix+ow])
						continue
					}
					for xo := range row {
						if ix >= 0 && ix < g.W {
							row[xo] = xr[ix]
						} else {
							row[xo] = 0
						}
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
			for kw := 0; kw < g.KW; kw++ {
				src := col[r*oh*ow : (r+1)*oh*ow]
				r++
				for y := 0; y < oh; y++ {
					iy := y*g.SH - g.PH + kh*g.DH
					if iy < 0 || iy >= g.H {
						continue
					}
					dr := dc[iy*g.W : iy*g.W+g.W]
					row := src[y*ow : y*ow+ow]
					ix := -g.PW + kw*g.DW
					for _, v := range row {
						if ix >= 0 && ix < g.W {
							dr[ix] += v
						}
						ix += g.SW
					}
				}
			}
		}
	}
}

// Depthwise convolves each channel of one image x (C×H×W) with its own
// KH×KW filter w (C×KH×KW) into y (C×OH×OW), overwriting y:
//
//	y[c][oh][ow] = Σ_kh,kw w[c][kh][kw] · x[c][oh*SH−PH+kh*DH][ow*SW−PW+kw*DW]
func Depthwise(x, w []float32, c int, g Geom, y []float32) { depthwiseImpl(x, w, c, g, y) }

// DepthwiseBackward accumulates the gradients of Depthwise for one image:
//
//	dx[c][ih][iw] += w[c][kh][kw] · dy[c][oh][ow];   dw[c][kh][kw] += x[c][ih][iw] · dy[c][oh][ow]
//
// with ih = oh*SH−PH+kh*DH, iw = ow*SW−PW+kw*DW inside the image. dx or dw may be nil.
func DepthwiseBackward(x, w, dy []float32, c int, g Geom, dx, dw []float32) {
	depthwiseBackwardImpl(x, w, dy, c, g, dx, dw)
}

var (
	depthwiseImpl         = depthwiseGeneric
	depthwiseBackwardImpl = depthwiseBackwardGeneric
)

// validRange returns the output positions o in [lo, hi) for which
// o*s − p + k*d lies inside [0, n).
func validRange(n, out, s, p, kd int) (lo, hi int) {
	// o*s >= p - kd  →  o >= ceil((p-kd)/s)
	lo = 0
	if p-kd > 0 {
		lo = (p - kd + s - 1) / s
	}
	// o*s - p + kd <= n-1 → o <= (n-1+p-kd)/s
	top := n - 1 + p - kd
	if top < 0 {
		return 0, 0
	}
	hi = top/s + 1
	if hi > out {
		hi = out
	}
	if lo > hi {
		lo = hi
	}
	return lo, hi
}

func depthwiseGeneric(x, w []float32, c int, g Geom, y []float32) {
	depthwiseWith(&dwGeneric, x, w, c, g, y)
}

// dwRows are the row loops of Depthwise: axpy for single taps, and the fused
// 3- and 5-tap rows y[j] += w0·x0[j] + w1·x1[j] + … (evaluated left to right,
// one rounding per operation, so fast and generic versions agree exactly).
type dwRows struct {
	dot  func(x, y []float32) float32
	axpy func(a float32, x, y []float32)
	row3 func(w0, w1, w2 float32, x0, x1, x2, y []float32)
	row5 func(w0, w1, w2, w3, w4 float32, x0, x1, x2, x3, x4, y []float32)
}

var dwGeneric = dwRows{dot: dotGeneric, axpy: axpyGeneric, row3: row3Generic, row5: row5Generic}

func row3Generic(w0, w1, w2 float32, x0, x1, x2, y []float32) {
	n := len(y)
	x0, x1, x2 = x0[:n], x1[:n], x2[:n]
	for j := range y {
		y[j] += w0*x0[j] + w1*x1[j] + w2*x2[j]
	}
}

func row5Generic(w0, w1, w2, w3, w4 float32, x0, x1, x2, x3, x4, y []float32) {
	n := len(y)
	x0, x1, x2, x3, x4 = x0[:n], x1[:n], x2[:n], x3[:n], x4[:n]
	for j := range y {
		y[j] += w0*x0[j] + w1*x1[j] + w2*x2[j] + w3*x3[j] + w4*x4[j]
	}
}

// depthwiseFusedRows is one channel of Depthwise for stride-1 rows of 3 or 5
// taps: x is copied into a zero-padded plane so every output row is a whole
// fused row (y[j] += w0·p0[j] + … + w4·p4[j], one load/store of y per kernel
// row and no border cases).
func depthwiseFusedRows(rk *dwRows, xc, wc []float32, g Geom, yc []float32, oh, ow int) {
	pw, ph := g.W+2*g.PW, g.H+2*g.PH
	ps := getScratch(pw * ph)
	defer putScratch(ps)
	pad := *ps
	clear(pad)
	for iy := 0; iy < g.H; iy++ {
		copy(pad[(iy+g.PH)*pw+g.PW:], xc[iy*g.W:iy*g.W+g.W])
	}
	d := g.DW
	for oy := 0; oy < oh; oy++ {
		yr := yc[oy*ow : oy*ow+ow]
		for kh := 0; kh < g.KH; kh++ {
			wr := wc[kh*g.KW : kh*g.KW+g.KW]
			pr := pad[(oy*g.SH+kh*g.DH)*pw : (oy*g.SH+kh*g.DH+1)*pw]
			if g.KW == 3 {
				rk.row3(wr[0], wr[1], wr[2], pr[:ow], pr[d:d+ow], pr[2*d:2*d+ow], yr)
				continue
			}
			rk.row5(wr[0], wr[1], wr[2], wr[3], wr[4], pr[:ow], pr[d:d+ow], pr[2*d:2*d+ow],
				pr[3*d:3*d+ow], pr[4*d:4*d+ow], yr)
		}
	}
}

func depthwiseBackwardGeneric(x, w, dy []float32, c int, g Geom, dx, dw []float32) {
	depthwiseBackwardWith(&dwGeneric, x, w, dy, c, g, dx, dw)
}

// depthwiseWith is Depthwise with the row axpy supplied (stride-1 rows are
// vectorised along the output width through it).
func depthwiseWith(rk *dwRows, x, w []float32, c int, g Geom, y []float32) {
	oh, ow := g.OH(), g.OW()
	hw, ohw, kk := g.H*g.W, oh*ow, g.KH*g.KW
	for ci := 0; ci < c; ci++ {
		xc := x[ci*hw : ci*hw+hw]
		yc := y[ci*ohw : ci*ohw+ohw]
		wc := w[ci*kk : ci*kk+kk]
		clear(yc)
		if g.SW == 1 && (g.KW == 3 || g.KW == 5) {
			depthwiseFusedRows(rk, xc, wc, g, yc, oh, ow)
			continue
		}
		for kh := 0; kh < g.KH; kh++ {
			ylo, yhi := validRange(g.H, oh, g.SH, g.PH, kh*g.DH)
			for kw := 0; kw < g.KW; kw++ {
				wv := wc[kh*g.KW+kw]
				xlo, xhi := validRange(g.W, ow, g.SW, g.PW, kw*g.DW)
				if xlo >= xhi {
					continue
				}
				for oy := ylo; oy < yhi; oy++ {
					iy := oy*g.SH - g.PH + kh*g.DH
					xr := xc[iy*g.W : iy*g.W+g.W]
					yr := yc[oy*ow+xlo : oy*ow+xhi]
					ix := xlo*g.SW - g.PW + kw*g.DW
					if g.SW == 1 {
						rk.axpy(wv, xr[ix:ix+len(yr)], yr)
						continue
					}
					for j := range yr {
						yr[j] += wv * xr[ix]
						ix += g.SW
					}
				}
			}
		}
	}
}

// depthwiseBackwardFused is one channel of DepthwiseBackward for stride-1
// rows of 3 or 5 taps, on zero-padded planes like depthwiseFusedRows: dw from
// whole-row dots of the padded x with dy; dx accumulated in padded coordinates
// as dxp[j] += Σ_kw w[kw]·dyp[j − kw·DW] (dy rows zero-padded by (KW−1)·DW),
// then added into dx.
func depthwiseBackwardFused(rk *dwRows, xc, wc, dyc []float32, g Geom, dxc, dwc []float32, oh, ow int) {
	pw, ph := g.W+2*g.PW, g.H+2*g.PH
	ps := getScratch(pw * ph)
	defer putScratch(ps)
	pad := *ps
	if dwc != nil {
		clear(pad)
		for iy := 0; iy < g.H; iy++ {
			copy(pad[(iy+g.PH)*pw+g.PW:], xc[iy*g.W:iy*g.W+g.W])
		}
		for kh := 0; kh < g.KH; kh++ {
			for kw := 0; kw < g.KW; kw++ {
				var acc float32
				for oy := 0; oy < oh; oy++ {
					at := (oy*g.SH+kh*g.DH)*pw + kw*g.DW
					acc += rk.dot(pad[at:at+ow], dyc[oy*ow:oy*ow+ow])
				}
				dwc[kh*g.KW+kw] += acc
			}
		}
	}
	if dxc == nil {
		return
	}
	d := g.DW
	e := (g.KW - 1) * d
	qs := getScratch(ow + 2*e)
	defer putScratch(qs)
	q := *qs
	clear(q)
	clear(pad)
	for oy := 0; oy < oh; oy++ {
		copy(q[e:e+ow], dyc[oy*ow:oy*ow+ow])
		for kh := 0; kh < g.KH; kh++ {
			wr := wc[kh*g.KW : kh*g.KW+g.KW]
			pr := pad[(oy*g.SH+kh*g.DH)*pw : (oy*g.SH+kh*g.DH+1)*pw]
			if g.KW == 3 {
				rk.row3(wr[0], wr[1], wr[2], q[e:e+pw], q[e-d:e-d+pw], q[e-2*d:e-2*d+pw], pr)
				continue
			}
			rk.row5(wr[0], wr[1], wr[2], wr[3], wr[4], q[e:e+pw], q[e-d:e-d+pw], q[e-2*d:e-2*d+pw],
				q[e-3*d:e-3*d+pw], q[e-4*d:e-4*d+pw], pr)
		}
	}
	for iy := 0; iy < g.H; iy++ {
		Add(pad[(iy+g.PH)*pw+g.PW:(iy+g.PH)*pw+g.PW+g.W], dxc[iy*g.W:iy*g.W+g.W])
	}
}

// depthwiseBackwardWith is DepthwiseBackward with the row dot and axpy supplied.
func depthwiseBackwardWith(rk *dwRows, x, w, dy []float32, c int, g Geom, dx, dw []float32) {
	oh, ow := g.OH(), g.OW()
	hw, ohw, kk := g.H*g.W, oh*ow, g.KH*g.KW
	dot, axpy := rk.dot, rk.axpy
	for ci := 0; ci < c; ci++ {
		xc := x[ci*hw : ci*hw+hw]
		dyc := dy[ci*ohw : ci*ohw+ohw]
		wc := w[ci*kk : ci*kk+kk]
		if g.SW == 1 && (g.KW == 3 || g.KW == 5) {
			var dxc, dwc []float32
			if dx != nil {
				dxc = dx[ci*hw : ci*hw+hw]
			}
			if dw != nil {
				dwc = dw[ci*kk : ci*kk+kk]
			}
			depthwiseBackwardFused(rk, xc, wc, dyc, g, dxc, dwc, oh, ow)
			continue
		}
		for kh := 0; kh < g.KH; kh++ {
			ylo, yhi := validRange(g.H, oh, g.SH, g.PH, kh*g.DH)
			for kw := 0; kw < g.KW; kw++ {
				wv := wc[kh*g.KW+kw]
				xlo, xhi := validRange(g.W, ow, g.SW, g.PW, kw*g.DW)
				if xlo >= xhi {
					continue
				}
				var acc float32
				for oy := ylo; oy < yhi; oy++ {
					iy := oy*g.SH - g.PH + kh*g.DH
					dyr := dyc[oy*ow+xlo : oy*ow+xhi]
					ix := xlo*g.SW - g.PW + kw*g.DW
					if g.SW == 1 {
						xr := xc[iy*g.W+ix : iy*g.W+ix+len(dyr)]
						if dw != nil {
							acc += dot(xr, dyr)
						}
						if dx != nil {
							axpy(wv, dyr, dx[ci*hw+iy*g.W+ix:ci*hw+iy*g.W+ix+len(dyr)])
						}
						continue
					}
					for _, d := range dyr {
						if dw != nil {
							acc += xc[iy*g.W+ix] * d
						}
						if dx != nil {
							dx[ci*hw+iy*g.W+ix] += wv * d
						}
						ix += g.SW
					}
				}
				if dw != nil {
					dw[ci*kk+kh*g.KW+kw] += acc
				}
			}
		}
	}
}
