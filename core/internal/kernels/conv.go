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
// o*s − p + kd lies inside [0, n).
func validRange(n, out, s, p, kd int) (lo, hi int) {
	// o*s >= p − kd  →  o >= ceil((p−kd)/s)
	if p-kd > 0 {
		lo = (p - kd + s - 1) / s
	}
	// o*s − p + kd <= n−1  →  o <= (n−1+p−kd)/s
	top := n - 1 + p - kd
	if top < 0 {
		return 0, 0
	}
	hi = min(top/s+1, out)
	lo = min(lo, hi)
	return lo, hi
}
