package kernels

import "sync"

// Implicit-GEMM convolution for stride-1 geometries with few filters (the
// small CNN: M = 16/20 filters). Every channel plane is zero-padded into a flat
// buffer with rows pcw apart, so tap t reads the plane at the fixed offset
// off[t] = kh·DH·pcw + kw·DW + gap − PW and
//
//	yflat[f][j] = Σ_{c,t} w[f][c][t] · buf_c[j + off[t]]
//
// is a GEMM whose B rows are read in place at offsets (no im2col copy, no B
// packing). The weight gradient is the same product contracted over j, and the
// input gradient is the forward form again on the spread output gradient.
//
// Adjacent rows share their padding: each image row is preceded by gap =
// max(PW, (KW−1)·DW − PW, OW − W) zero columns, which serve as the right
// padding of the row above and the left padding of the row (and hold the
// outputs past the image when PW > (KW−1)·DW), so pcw = W + gap (not
// W + 2PW) and fewer junk columns are computed (5×5 pad 2 on 16×16: 18 not 20).

// flatNR is the column block of the AVX2 kernel; flat widths are rounded to it.
const flatNR = 24

// flatPlan is the flat layout of one stride-1 geometry.
type flatPlan struct {
	g      Geom
	oh, ow int
	pcw    int       // W + gap: flat row pitch
	gap    int       // zero columns before each image row
	l      int       // oh·pcw: flat outputs including junk columns
	n      int       // l rounded up to flatNR: columns computed
	s      int       // max tap offset
	plane  int       // per-channel length of the forward buffer (≥ n + s)
	i0     int       // PH·pcw: first image row of a padded plane
	nx     int       // H·pcw rounded up to flatNR: columns of the input gradient
	dplane int       // per-filter length of the output-gradient buffer
	off    []int     // tap offsets
	ones   []float32 // n ones (the bias gradient is a dot with them)
}

var flatCache sync.Map // Geom → *flatPlan

func flatFor(g Geom) *flatPlan {
	if p, ok := flatCache.Load(g); ok {
		return p.(*flatPlan)
	}
	p := &flatPlan{g: g, oh: g.OH(), ow: g.OW(), gap: max(g.PW, (g.KW-1)*g.DW-g.PW, 2*g.PW-(g.KW-1)*g.DW)}
	p.pcw = g.W + p.gap
	shift := p.gap - g.PW
	p.l = p.oh * p.pcw
	p.n = roundUp(p.l, flatNR)
	p.off = make([]int, g.KH*g.KW)
	for kh := 0; kh < g.KH; kh++ {
		for kw := 0; kw < g.KW; kw++ {
			p.off[kh*g.KW+kw] = kh*g.DH*p.pcw + kw*g.DW + shift
		}
	}
	p.s = (g.KH-1)*g.DH*p.pcw + (g.KW-1)*g.DW + shift
	p.plane = roundUp(max(p.n+p.s, (g.PH+g.H)*p.pcw), 8)
	p.i0 = g.PH * p.pcw
	p.nx = roundUp(g.H*p.pcw, flatNR)
	p.dplane = roundUp(p.s+max(p.n, p.i0+p.nx), 8)
	p.ones = make([]float32, p.n)
	for i := range p.ones {
		p.ones[i] = 1
	}
	flatCache.Store(g, p)
	return p
}

// FlatConv is a stride-1 convolution of C input channels and F filters with
// its weights w (F×C×KH×KW) prepared (packed, transposed) once for a batch.
// The weights must not change while it is used; Release returns its buffers.
// Forward and Backward may run concurrently on different images.
type FlatConv struct {
	p        *flatPlan
	c, f     int
	fwd, bwd flatA
	boffF    []int // forward B offsets: c·plane + off[t]
	boffX    []int // input-gradient B offsets: f·dplane + s + i0 − off[t]
	bufs     []*[]float32
}

// NewFlatConv prepares w for Forward (and, with backward, for Backward's
// input gradient). g must have stride 1.
func NewFlatConv(w []float32, c, f int, g Geom, backward bool) *FlatConv {
	p := flatFor(g)
	taps := g.KH * g.KW
	kk := c * taps
	fc := &FlatConv{p: p, c: c, f: f, boffF: make([]int, kk)}
	p.tapOffsets(c, p.plane, 1, 0, fc.boffF)
	fc.fwd = fc.newA(f, kk, w[:f*kk], kk)
	if backward {
		s := getScratch(kk * f) // wt[c][f·taps + t] = w[f][c][t]
		fc.bufs = append(fc.bufs, s)
		wt := *s
		for fi := 0; fi < f; fi++ {
			for ci := 0; ci < c; ci++ {
				copy(wt[ci*f*taps+fi*taps:ci*f*taps+fi*taps+taps], w[(fi*c+ci)*taps:(fi*c+ci+1)*taps])
			}
		}
		fc.bwd = fc.newA(c, f*taps, wt, f*taps)
		fc.boffX = make([]int, f*taps)
		p.tapOffsets(f, p.dplane, -1, p.s+p.i0, fc.boffX)
	}
	return fc
}

func (fc *FlatConv) newA(m, k int, a []float32, lda int) flatA {
	A := flatA{m: m, k: k, a: a, lda: lda}
	if fastOn && flatGemmFast != nil {
		s := getScratch(roundUp(m, 4) * k)
		fc.bufs = append(fc.bufs, s)
		A.ap = *s
		A.pack()
	}
	return A
}

// Release returns the prepared buffers to the scratch pool.
func (fc *FlatConv) Release() {
	for _, s := range fc.bufs {
		putScratch(s)
	}
	fc.bufs = nil
}

// Forward computes one image's convolution, overwriting y:
//
//	y[f][oh][ow] = b[f] + Σ_{c,kh,kw} w[f][c][kh][kw] · x[c][oh−PH+kh·DH][ow−PW+kw·DW]
//
// x is C×H×W, y F×OH×OW; b may be nil.
func (fc *FlatConv) Forward(x, b, y []float32) {
	p, c, f := fc.p, fc.c, fc.f
	s := getScratch(c*p.plane + f*p.n)
	defer putScratch(s)
	buf, yf := (*s)[:c*p.plane], (*s)[c*p.plane:c*p.plane+f*p.n]
	p.layoutPlanes(x, c, buf)
	flatGemm(p.n, &fc.fwd, buf, fc.boffF, yf, p.n)
	ohw := p.oh * p.ow
	for fi := 0; fi < f; fi++ {
		var bv float32
		if b != nil {
			bv = b[fi]
		}
		src, dst := yf[fi*p.n:], y[fi*ohw:(fi+1)*ohw]
		for oy := 0; oy < p.oh; oy++ {
			Affine(dst[oy*p.ow:oy*p.ow+p.ow], src[oy*p.pcw:oy*p.pcw+p.ow], 1, bv) // v·1 + b: exact
		}
	}
}

// Backward accumulates the gradients of Forward for one image (dx, dw, db
// may be nil; dx needs NewFlatConv(…, backward=true)):
//
//	db[f]            += Σ_{oh,ow} dy[f][oh][ow]
//	dw[f][c][kh][kw] += Σ_{oh,ow} dy[f][oh][ow] · x[c][ih][iw]
//	dx[c][ih][iw]    += Σ_{f,kh,kw} w[f][c][kh][kw] · dy[f][oh][ow]
//
// with ih = oh−PH+kh·DH, iw = ow−PW+kw·DW inside the image.
func (fc *FlatConv) Backward(x, dy, dx, dw, db []float32) {
	if dx == nil && dw == nil && db == nil {
		return
	}
	p, c, f, g := fc.p, fc.c, fc.f, fc.p.g
	need := f * p.dplane
	if dw != nil {
		need += c * p.plane
	}
	if dx != nil {
		need += c * p.nx
	}
	s := getScratch(need)
	defer putScratch(s)
	at := 0
	take := func(n int) []float32 { at += n; return (*s)[at-n : at] }
	// dyp[f][s + oy·pcw + ox] = dy[f][oy][ox], zero elsewhere
	dyp := take(f * p.dplane)
	clear(dyp)
	ohw := p.oh * p.ow
	for fi := 0; fi < f; fi++ {
		d := dyp[fi*p.dplane+p.s:]
		for oy := 0; oy < p.oh; oy++ {
			copy(d[oy*p.pcw:oy*p.pcw+p.ow], dy[fi*ohw+oy*p.ow:fi*ohw+oy*p.ow+p.ow])
		}
	}
	if db != nil {
		flatDot(f, 1, p.n, dyp[p.s:], p.dplane, p.ones, flatZeroOff[:], db, 1)
	}
	if dw != nil {
		buf := take(c * p.plane)
		p.layoutPlanes(x, c, buf)
		flatDot(f, len(fc.boffF), p.n, dyp[p.s:], p.dplane, buf, fc.boffF, dw, len(fc.boffF))
	}
	if dx == nil {
		return
	}
	// dbuf[c][i − i0] = Σ_{f,t} w[f][c][t] · dyp[f][s − off[t] + i] for i ≥ i0
	dbuf := take(c * p.nx)
	flatGemm(p.nx, &fc.bwd, dyp, fc.boffX, dbuf, p.nx)
	hw := g.H * g.W
	for ci := 0; ci < c; ci++ {
		src, dst := dbuf[ci*p.nx:], dx[ci*hw:(ci+1)*hw]
		for iy := 0; iy < g.H; iy++ {
			Add(src[iy*p.pcw+p.gap:iy*p.pcw+p.gap+g.W], dst[iy*g.W:iy*g.W+g.W])
		}
	}
}

var flatZeroOff = [1]int{0}

// ConvFlatForward is FlatConv.Forward for one image with w prepared on the fly:
//
//	y[f][oh][ow] = b[f] + Σ_{c,kh,kw} w[f][c][kh][kw] · x[c][oh−PH+kh·DH][ow−PW+kw·DW]
func ConvFlatForward(x, w, b []float32, c, f int, g Geom, y []float32) {
	fc := NewFlatConv(w, c, f, g, false)
	defer fc.Release()
	fc.Forward(x, b, y)
}

// ConvFlatBackward is FlatConv.Backward for one image (no bias gradient)
// with w prepared on the fly:
//
//	dw[f][c][kh][kw] += Σ_{oh,ow} dy[f][oh][ow] · x[c][ih][iw]
//	dx[c][ih][iw]    += Σ_{f,kh,kw} w[f][c][kh][kw] · dy[f][oh][ow]
//
// with ih = oh−PH+kh·DH, iw = ow−PW+kw·DW inside the image.
func ConvFlatBackward(x, w, dy []float32, c, f int, g Geom, dx, dw []float32) {
	fc := NewFlatConv(w, c, f, g, dx != nil)
	defer fc.Release()
	fc.Backward(x, dy, dx, dw, nil)
}

// layoutPlanes clears buf (c planes) and copies each channel of x into its
// padded plane.
func (p *flatPlan) layoutPlanes(x []float32, c int, buf []float32) {
	g := p.g
	clear(buf)
	hw := g.H * g.W
	for ci := 0; ci < c; ci++ {
		xc, pl := x[ci*hw:(ci+1)*hw], buf[ci*p.plane:]
		for iy := 0; iy < g.H; iy++ {
			at := (g.PH+iy)*p.pcw + p.gap
			copy(pl[at:at+g.W], xc[iy*g.W:iy*g.W+g.W])
		}
	}
}

// tapOffsets fills boff[ch·taps + t] = ch·pitch + base + sign·off[t].
func (p *flatPlan) tapOffsets(chans, pitch, sign, base int, boff []int) {
	taps := len(p.off)
	for ch := 0; ch < chans; ch++ {
		for t, o := range p.off {
			boff[ch*taps+t] = ch*pitch + base + sign*o
		}
	}
}

// flatA is the A operand of flatGemm: m×k row-major (a, lda) and, for the
// SIMD kernel, packed into 4-row panels ap[panel][p][r] (zero rows past m).
type flatA struct {
	m, k int
	a    []float32
	lda  int
	ap   []float32
}

func (A *flatA) pack() {
	m, k := A.m, A.k
	for pi := 0; pi < (m+3)/4; pi++ {
		pan := A.ap[pi*4*k : (pi+1)*4*k]
		for r := 0; r < 4; r++ {
			i := pi*4 + r
			if i >= m {
				for p := 0; p < k; p++ {
					pan[p*4+r] = 0
				}
				continue
			}
			for p, v := range A.a[i*A.lda : i*A.lda+k] {
				pan[p*4+r] = v
			}
		}
	}
}

// flatGemm sets c[r*ldc+j] = Σ_{p<k} A(r, p) · b[boff[p]+j] for r < A.m, j < n.
func flatGemm(n int, A *flatA, b []float32, boff []int, c []float32, ldc int) {
	if A.ap != nil && fastOn && flatGemmFast != nil {
		flatGemmFast(n, A, b, boff, c, ldc)
		return
	}
	flatGemmGeneric(A.m, n, A.k, A.a, A.lda, b, boff, c, ldc)
}

// flatDot adds c[r*ldc+q] += Σ_{j<n} d[r*ldd+j] · b[boff[q]+j] for r < m, q < k.
func flatDot(m, k, n int, d []float32, ldd int, b []float32, boff []int, c []float32, ldc int) {
	if fastOn && flatDotFast != nil {
		flatDotFast(m, k, n, d, ldd, b, boff, c, ldc)
		return
	}
	flatDotGeneric(m, k, n, d, ldd, b, boff, c, ldc)
}

// dot2x2 returns the four dots of rows d0, d1 with rows b0, b1 (len(d0) long),
// each summed in two interleaved partial sums.
func dot2x2(d0, d1, b0, b1 []float32) (s00, s01, s10, s11 float32) {
	n := len(d0)
	d1, b0, b1 = d1[:n], b0[:n], b1[:n]
	var t00, t01, t10, t11 float32
	j := 0
	for ; j+2 <= n; j += 2 {
		x0, x1, y0, y1 := d0[j], d1[j], b0[j], b1[j]
		s00 += x0 * y0
		s01 += x0 * y1
		s10 += x1 * y0
		s11 += x1 * y1
		x0, x1, y0, y1 = d0[j+1], d1[j+1], b0[j+1], b1[j+1]
		t00 += x0 * y0
		t01 += x0 * y1
		t10 += x1 * y0
		t11 += x1 * y1
	}
	if j < n {
		x0, x1, y0, y1 := d0[j], d1[j], b0[j], b1[j]
		s00 += x0 * y0
		s01 += x0 * y1
		s10 += x1 * y0
		s11 += x1 * y1
	}
	return s00 + t00, s01 + t01, s10 + t10, s11 + t11
}

// SIMD versions, set by smallm_amd64.go when the CPU has AVX2+FMA.
var (
	flatGemmFast func(n int, A *flatA, b []float32, boff []int, c []float32, ldc int)
	flatDotFast  func(m, k, n int, d []float32, ldd int, b []float32, boff []int, c []float32, ldc int)
)
