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

func depthwiseGeneric(x, w []float32, c int, g Geom, y []float32) {
	depthwisePlanar(corrGeneric, x, w, c, g, y)
}

func depthwiseBackwardGeneric(x, w, dy []float32, c int, g Geom, dx, dw []float32) {
	depthwiseBackwardPlanar(corrGeneric, dotTapsGeneric, x, w, dy, c, g, dx, dw)
}
