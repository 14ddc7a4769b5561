package kernels

import "sync"

// Implicit-GEMM convolution for stride-1 geometries with few filters (the
// small CNN: M = 16/20 filters). Every channel plane is zero-padded into a flat
// buffer with rows pcw = W+2PW apart, so tap t reads the plane at the fixed
// offset off[t] = kh·DH·pcw + kw·DW and
//
//	yflat[f][j] = Σ_{c,t} w[f][c][t] · buf_c[j + off[t]]
//
// is a GEMM whose B rows are read in place at offsets (no im2col copy, no B
// packing). The weight gradient is the same product contracted over j, and the
// input gradient is the forward form again on the spread output gradient.

// flatNR is the column block of the AVX2 kernel; flat widths are rounded to it.
const flatNR = 24

// flatPlan is the flat layout of one stride-1 geometry.
type flatPlan struct {
	g      Geom
	oh, ow int
	pcw    int   // W + 2PW: flat row pitch
	l      int   // oh·pcw: flat outputs including junk columns
	n      int   // l rounded up to flatNR: columns computed
	s      int   // max tap offset
	plane  int   // per-channel length of the forward buffer (≥ n + s)
	i0     int   // PH·pcw: first image row of a padded plane
	nx     int   // H·pcw rounded up to flatNR: columns of the input gradient
	dplane int   // per-filter length of the output-gradient buffer
	off    []int // tap offsets
}

var flatCache sync.Map // Geom → *flatPlan

func flatFor(g Geom) *flatPlan {
	if p, ok := flatCache.Load(g); ok {
		return p.(*flatPlan)
	}
	p := &flatPlan{g: g, oh: g.OH(), ow: g.OW(), pcw: g.W + 2*g.PW}
	p.l = p.oh * p.pcw
	p.n = roundUp(p.l, flatNR)
	p.off = make([]int, g.KH*g.KW)
	for kh := 0; kh < g.KH; kh++ {
		for kw := 0; kw < g.KW; kw++ {
			p.off[kh*g.KW+kw] = kh*g.DH*p.pcw + kw*g.DW
		}
	}
	p.s = (g.KH-1)*g.DH*p.pcw + (g.KW-1)*g.DW
	p.plane = roundUp(p.n+p.s, 8)
	p.i0 = g.PH * p.pcw
	p.nx = roundUp(g.H*p.pcw, flatNR)
	p.dplane = roundUp(p.s+max(p.n, p.i0+p.nx), 8)
	flatCache.Store(g, p)
	return p
}

// ConvFlatFast reports whether ConvFlatForward / ConvFlatBackward run SIMD
// kernels on this CPU (otherwise they are correct but not faster than
// Im2colFlat + GEMM).
func ConvFlatFast() bool { return fastOn && flatGemmFast != nil }

// ConvFlatForward computes one image's stride-1 convolution, overwriting y:
//
//	y[f][oh][ow] = b[f] + Σ_{c,kh,kw} w[f][c][kh][kw] · x[c][oh−PH+kh·DH][ow−PW+kw·DW]
//
// x is C×H×W, w F×C×KH×KW, y F×OH×OW; b may be nil. g must have stride 1.
func ConvFlatForward(x, w, b []float32, c, f int, g Geom, y []float32) {
	p := flatFor(g)
	kk := c * g.KH * g.KW
	s := getScratch(c*p.plane + f*p.n)
	defer putScratch(s)
	is := getInts(kk)
	defer putInts(is)
	buf, yf, boff := (*s)[:c*p.plane], (*s)[c*p.plane:c*p.plane+f*p.n], *is
	p.layoutPlanes(x, c, buf)
	p.tapOffsets(c, p.plane, 1, 0, boff)
	flatGemm(f, p.n, kk, w, kk, buf, boff, yf, p.n)
	ohw := p.oh * p.ow
	for fi := 0; fi < f; fi++ {
		var bv float32
		if b != nil {
			bv = b[fi]
		}
		src, dst := yf[fi*p.n:], y[fi*ohw:(fi+1)*ohw]
		for oy := 0; oy < p.oh; oy++ {
			row := src[oy*p.pcw : oy*p.pcw+p.ow]
			out := dst[oy*p.ow : oy*p.ow+p.ow]
			for i, v := range row {
				out[i] = v + bv
			}
		}
	}
}

// ConvFlatBackward accumulates the gradients of ConvFlatForward for one image
// (dx or dw may be nil; the bias gradient is Σ dy and left to the caller):
//
//	dw[f][c][kh][kw] += Σ_{oh,ow} dy[f][oh][ow] · x[c][ih][iw]
//	dx[c][ih][iw]    += Σ_{f,kh,kw} w[f][c][kh][kw] · dy[f][oh][ow]
//
// with ih = oh−PH+kh·DH, iw = ow−PW+kw·DW inside the image.
func ConvFlatBackward(x, w, dy []float32, c, f int, g Geom, dx, dw []float32) {
	if dx == nil && dw == nil {
		return
	}
	p := flatFor(g)
	taps := g.KH * g.KW
	kk := c * taps
	need := f * p.dplane
	if dw != nil {
		need += c * p.plane
	}
	if dx != nil {
		need += kk*f + c*p.nx
	}
	s := getScratch(need)
	defer putScratch(s)
	is := getInts(max(kk, f*taps))
	defer putInts(is)
	at := 0
	take := func(n int) []float32 { at += n; return (*s)[at-n : at] }
	dyp := take(f * p.dplane)
	clear(dyp)
	ohw := p.oh * p.ow
	for fi := 0; fi < f; fi++ {
		d := dyp[fi*p.dplane+p.s:]
		for oy := 0; oy < p.oh; oy++ {
			copy(d[oy*p.pcw:oy*p.pcw+p.ow], dy[fi*ohw+oy*p.ow:fi*ohw+oy*p.ow+p.ow])
		}
	}
	if dw != nil {
		buf, boff := take(c*p.plane), (*is)[:kk]
		p.layoutPlanes(x, c, buf)
		p.tapOffsets(c, p.plane, 1, 0, boff)
		flatDot(f, kk, p.n, dyp[p.s:], p.dplane, buf, boff, dw, kk)
	}
	if dx == nil {
		return
	}
	// dbuf[c][i] = Σ_{f,t} w[f][c][t] · dyp[f][s − off[t] + i], i ≥ i0.
	wt := take(kk * f) // wt[c][f·taps + t] = w[f][c][t]
	for fi := 0; fi < f; fi++ {
		for ci := 0; ci < c; ci++ {
			copy(wt[ci*f*taps+fi*taps:ci*f*taps+fi*taps+taps], w[(fi*c+ci)*taps:(fi*c+ci+1)*taps])
		}
	}
	boff := (*is)[:f*taps]
	p.tapOffsets(f, p.dplane, -1, p.s+p.i0, boff)
	dbuf := take(c * p.nx)
	flatGemm(c, p.nx, f*taps, wt, f*taps, dyp, boff, dbuf, p.nx)
	hw := g.H * g.W
	for ci := 0; ci < c; ci++ {
		src, dst := dbuf[ci*p.nx:], dx[ci*hw:(ci+1)*hw]
		for iy := 0; iy < g.H; iy++ {
			Add(src[iy*p.pcw+g.PW:iy*p.pcw+g.PW+g.W], dst[iy*g.W:iy*g.W+g.W])
		}
	}
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
			at := (g.PH+iy)*p.pcw + g.PW
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

var intPool sync.Pool

// getInts returns an int buffer of length n (contents undefined).
func getInts(n int) *[]int {
	if p, ok := intPool.Get().(*[]int); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	v := make([]int, n)
	return &v
}

func putInts(p *[]int) { intPool.Put(p) }

// flatGemm sets c[r*ldc+j] = Σ_{p<k} a[r*lda+p] · b[boff[p]+j] for r < m, j < n.
func flatGemm(m, n, k int, a []float32, lda int, b []float32, boff []int, c []float32, ldc int) {
	if fastOn && flatGemmFast != nil {
		flatGemmFast(m, n, k, a, lda, b, boff, c, ldc)
		return
	}
	flatGemmGeneric(m, n, k, a, lda, b, boff, c, ldc)
}

func flatGemmGeneric(m, n, k int, a []float32, lda int, b []float32, boff []int, c []float32, ldc int) {
	for r := 0; r < m; r++ {
		cr := c[r*ldc : r*ldc+n]
		clear(cr)
		ar := a[r*lda : r*lda+k]
		p := 0
		for ; p+4 <= k; p += 4 {
			axpy4(ar[p], ar[p+1], ar[p+2], ar[p+3], b[boff[p]:boff[p]+n], b[boff[p+1]:boff[p+1]+n],
				b[boff[p+2]:boff[p+2]+n], b[boff[p+3]:boff[p+3]+n], cr)
		}
		for ; p < k; p++ {
			axpyGeneric(ar[p], b[boff[p]:boff[p]+n], cr)
		}
	}
}

// flatDot adds c[r*ldc+q] += Σ_{j<n} d[r*ldd+j] · b[boff[q]+j] for r < m, q < k.
func flatDot(m, k, n int, d []float32, ldd int, b []float32, boff []int, c []float32, ldc int) {
	if fastOn && flatDotFast != nil {
		flatDotFast(m, k, n, d, ldd, b, boff, c, ldc)
		return
	}
	flatDotGeneric(m, k, n, d, ldd, b, boff, c, ldc)
}

func flatDotGeneric(m, k, n int, d []float32, ldd int, b []float32, boff []int, c []float32, ldc int) {
	for r := 0; r < m; r++ {
		dr := d[r*ldd : r*ldd+n]
		for q := 0; q < k; q++ {
			c[r*ldc+q] += dotGeneric(dr, b[boff[q]:boff[q]+n])
		}
	}
}

// SIMD versions, set by smallm_amd64.go when the CPU has AVX2+FMA.
var (
	flatGemmFast func(m, n, k int, a []float32, lda int, b []float32, boff []int, c []float32, ldc int)
	flatDotFast  func(m, k, n int, d []float32, ldd int, b []float32, boff []int, c []float32, ldc int)
)
