package kernels

import (
	"math"
)

// Kernels of the fused ReLU → depthwise units (nn.ReLUSepBN): the ReLU is
// applied while a channel is copied into the planar layout, so the rectified
// input is never stored, and its mask is applied when the input gradient is
// folded back.

// DepthwiseReLU is Depthwise on max(x, 0) for one image x (C×H×W), without
// writing the rectified copy anywhere but the per-channel planar scratch:
//
//	y[c·ld + oh·OW + ow] = Σ_kh,kw w[c][kh][kw] · max(x[c][oh*SH−PH+kh*DH][ow*SW−PW+kw*DW], 0)
//
// with the output planes ld ≥ OH·OW floats apart (PlaneStride).
func DepthwiseReLU(x, w []float32, c int, g Geom, y []float32, ld int) {
	depthwisePlanar(corrImpl, x, w, c, g, y, ld, true)
}

// rowsReLUImpl and rowsMaskedAddImpl, when the CPU has them, run the
// stride-1 rectified layout and its masked fold-back a plane at a time.
var (
	rowsReLUImpl      func(x, dst []float32, pos []int, w, pad int)
	rowsMaskedAddImpl func(src, x, dx []float32, pos []int, w, pad int)
)

// rows2ReLUImpl and rows2MaskedAddImpl, when the CPU has them, run the
// stride-2 rectified layout (even columns to one phase, odd ones to the
// other: eOff and oOff from a row's position) and its masked fold-back a
// plane at a time.
var (
	rows2ReLUImpl      func(x, dst []float32, pos []int, w, eOff, oOff int)
	rows2MaskedAddImpl func(src, x, dx []float32, pos []int, w, eOff, oOff int)
)

// PlanarLen returns the length of one channel's plane in the layout that
// PlanarReLU writes for geometry g.
func PlanarLen(g Geom) int { return planFor(g).bufLen }

// PlanarReLU lays out max(x, 0) of one image x (C×H×W) as C planes of
// PlanarLen(g) floats for the depthwise kernels below, so the backward pass
// of a fused unit lays an image out once for both of its uses. Only image
// positions are written: clear planes once before its first use (the padding
// stays zero). With the plane split into SH·SW phase planes of the padded
// image (Hp = H+2PH rows of Wp = W+2PW), each of PH′×PW′ = ⌈Hp/SH⌉×⌈Wp/SW⌉:
//
//	planes[c·PlanarLen + (ph·SW+pw)·PH′·PW′ + (ih+PH)/SH·PW′ + (iw+PW)/SW] = max(x[c][ih][iw], 0)
//	    where ph = (ih+PH) mod SH, pw = (iw+PW) mod SW
func PlanarReLU(x []float32, c int, g Geom, planes []float32) {
	p := planFor(g)
	hw, bl := g.H*g.W, p.bufLen
	for ci := 0; ci < c; ci++ {
		p.layoutReLU(x[ci*hw:ci*hw+hw], planes[ci*bl:ci*bl+bl])
	}
}

// DepthwisePlanes is Depthwise on planes written by PlanarReLU, that is
// DepthwiseReLU on the image the planes hold, output planes ld apart:
//
//	y[c·ld + oh·OW + ow] = Σ_kh,kw w[c][kh][kw] · max(x[c][oh*SH−PH+kh*DH][ow*SW−PW+kw*DW], 0)
func DepthwisePlanes(planes, w []float32, c int, g Geom, y []float32, ld int) {
	p := planFor(g)
	s := getScratch(p.l)
	defer putScratch(s)
	out := *s
	ohw, kk, bl := p.oh*p.ow, g.KH*g.KW, p.bufLen
	for ci := 0; ci < c; ci++ {
		p.corrExtract(corrImpl, out, planes[ci*bl:ci*bl+bl], w[ci*kk:ci*kk+kk], y[ci*ld:ci*ld+ohw])
	}
}

// DepthwisePlanesBackward accumulates the gradients of the depthwise
// convolution of max(x, 0) for one image, given its planes (PlanarReLU):
// dw += the tap correlations of the planes with dy, and
// dx += [x > 0] · (the adjoint convolution of dy). dx or dw may be nil:
//
//	dw[c][kh][kw] += max(x[c][ih][iw], 0) · dy[c][oh][ow]
//	dx[c][ih][iw] += [x[c][ih][iw] > 0] · w[c][kh][kw] · dy[c][oh][ow]
//
// with ih = oh*SH−PH+kh*DH, iw = ow*SW−PW+kw*DW inside the image.
func DepthwisePlanesBackward(planes, x, w, dy []float32, c int, g Geom, dx, dw []float32) {
	p := planFor(g)
	s := getPlanarScratch(p, true)
	defer putScratch(s.s)
	hw, ohw, kk, bl := g.H*g.W, p.oh*p.ow, g.KH*g.KW, p.bufLen
	// the lists of gatherMaskedAddSparse(Dw): with both gradients wherever
	// sparseDw is set, the input gradient alone where gatherSparse is
	fuse := dx != nil && dw != nil && p.fusesDw()
	var idx, pos []int32
	if fuse || dx != nil && gatherSparse && p.sparse {
		a := getArgScratch(2 * hw)
		defer argScratch.Put(a)
		idx, pos = (*a)[:hw], (*a)[hw:]
	}
	for ci := 0; ci < c; ci++ {
		p.spread(dy[ci*ohw:ci*ohw+ohw], s.q)
		if fuse {
			p.gatherMaskedAddSparseDw(w[ci*kk:ci*kk+kk], s.q, x[ci*hw:ci*hw+hw], dx[ci*hw:ci*hw+hw], dw[ci*kk:ci*kk+kk], s.ws, idx, pos)
			continue
		}
		if dw != nil {
			dotTapsImpl(planes[ci*bl:ci*bl+bl], p.off, s.q[p.m:p.m+p.l], dw[ci*kk:ci*kk+kk])
		}
		if dx != nil {
			xc, dxc := x[ci*hw:ci*hw+hw], dx[ci*hw:ci*hw+hw]
			if idx != nil {
				p.gatherMaskedAddSparse(w[ci*kk:ci*kk+kk], s.q, xc, dxc, s.ws, idx, pos)
			} else if f := gatherMaskedAddImpl; f == nil || !f(p, w[ci*kk:ci*kk+kk], s.q, xc, dxc) {
				p.gatherDx(corrImpl, w[ci*kk:ci*kk+kk], s.q, s.dbuf, s.ws)
				p.addBackMasked(s.dbuf, xc, dxc)
			}
		}
	}
}

// DepthwisePlanesBackwardReadsPlanes reports whether DepthwisePlanesBackward
// reads its planes for geometry g, given which gradients it computes: the
// weight gradient does, unless both come from x's lists (sparseDw), so a
// caller can skip laying them out (PlanarReLU).
func DepthwisePlanesBackwardReadsPlanes(g Geom, dx, dw bool) bool {
	return dw && !(dx && planFor(g).fusesDw())
}

// fusesDw: the backward takes both gradients from the lists on this path.
func (p *planar) fusesDw() bool {
	return sparseDw && p.sparse && p.g.KH*p.g.KW <= sparseDwMax
}

// gatherMaskedAddImpl, where a kernel set has one, is gatherDx and
// addBackMasked in one pass (it reports false where it does not apply).
var gatherMaskedAddImpl func(p *planar, wc, q, xc, dxc []float32) bool

// gatherSparse has DepthwisePlanesBackward gather its input gradient at the
// pixels ReLU lets through only (gatherMaskedAddSparse): set on the portable
// path natively (sparseOnGeneric: not in wasm), whose scalar kernels pay per
// output; the vector kernels' dense passes are faster than lists.
var gatherSparse = sparseOnGeneric

// sparseDw has DepthwisePlanesBackward compute both gradients from the lists
// (gatherMaskedAddSparseDw) where it needs both: set on the portable path,
// in wasm too, where the weight gradient's half of the work makes lists pay
// (BenchmarkGatherSparseDw).
var sparseDw = true

// sparseMinTaps: a layout gathers sparsely (planar.sparse) where its phases
// with taps have this many on average; measured with BenchmarkGatherSparse
// on the DARTS windows (a stride-2 3×3, 2.25 per phase, ran 0.6-0.8× as
// fast sparsely, every other window 0.9-2.1×).
const sparseMinTaps = 4

// layoutReLU is layout of max(xc, 0).
func (p *planar) layoutReLU(xc, buf []float32) {
	g := p.g
	if p.contiguousRow {
		if f := rowsReLUImpl; f != nil {
			f(xc, buf, p.rowPos, g.W, g.PW)
			return
		}
		for iy, rp := range p.rowPos {
			at := rp + g.PW
			reluImpl(buf[at:at+g.W], xc[iy*g.W:iy*g.W+g.W])
		}
		return
	}
	if g.SW == 2 {
		// even padded columns to phase 0, odd ones to phase 1: two runs
		eOff, oOff := p.evenOddOff()
		if f := rows2ReLUImpl; f != nil {
			f(xc, buf, p.rowPos, g.W, eOff, oOff)
			return
		}
		for iy, rp := range p.rowPos {
			xr := xc[iy*g.W : iy*g.W+g.W]
			for par := 0; par < 2; par++ {
				ix := (par + g.PW) & 1 // first column with (ix+PW) mod 2 = par
				if ix >= len(xr) {
					continue
				}
				d := buf[rp+par*p.psize+(ix+g.PW)>>1:]
				for j := 0; ix < len(xr); ix, j = ix+2, j+1 {
					v := xr[ix] // branch-free ReLU (NaN → 0)
					d[j] = math.Float32frombits(math.Float32bits(v) & posMask(v))
				}
			}
		}
		return
	}
	cp := p.colPos
	for iy, rp := range p.rowPos {
		xr := xc[iy*g.W : iy*g.W+g.W]
		for ix, v := range xr {
			if !(v > 0) { // NaN → 0, as ReLU
				v = 0
			}
			buf[rp+cp[ix]] = v
		}
	}
}

// evenOddOff returns where a stride-2 layout puts an input row's even and
// odd columns, relative to the row's position (rowPos): in the phase plane
// of their padded column's parity, at half that column.
func (p *planar) evenOddOff() (e, o int) {
	pw := p.g.PW
	return (pw&1)*p.psize + pw>>1, ((1+pw)&1)*p.psize + (1+pw)>>1
}

// addBackMasked is addBack keeping only the positions where xc > 0.
func (p *planar) addBackMasked(buf, xc, dxc []float32) {
	g := p.g
	if p.contiguousRow {
		if f := rowsMaskedAddImpl; f != nil {
			f(buf, xc, dxc, p.rowPos, g.W, g.PW)
			return
		}
		for iy, rp := range p.rowPos {
			at := rp + g.PW
			reluBackwardImpl(xc[iy*g.W:iy*g.W+g.W], buf[at:at+g.W], dxc[iy*g.W:iy*g.W+g.W])
		}
		return
	}
	if g.SW == 2 {
		eOff, oOff := p.evenOddOff()
		if f := rows2MaskedAddImpl; f != nil {
			f(buf, xc, dxc, p.rowPos, g.W, eOff, oOff)
			return
		}
		for iy, rp := range p.rowPos {
			xr, dr := xc[iy*g.W:iy*g.W+g.W], dxc[iy*g.W:iy*g.W+g.W]
			for par := 0; par < 2; par++ {
				ix := (par + g.PW) & 1
				if ix >= len(xr) {
					continue
				}
				b := buf[rp+par*p.psize+(ix+g.PW)>>1:]
				for j := 0; ix < len(xr); ix, j = ix+2, j+1 {
					dr[ix] += math.Float32frombits(math.Float32bits(b[j]) & posMask(xr[ix]))
				}
			}
		}
		return
	}
	cp := p.colPos
	for iy, rp := range p.rowPos {
		xr, dr := xc[iy*g.W:iy*g.W+g.W], dxc[iy*g.W:iy*g.W+g.W]
		for ix, v := range xr {
			if v > 0 {
				dr[ix] += buf[rp+cp[ix]]
			}
		}
	}
}

// GemmNTDot adds C += A·Bᵀ as dot products over rows read in place (no
// packing): the weight gradient of a 1×1 convolution with few channels and a
// long image axis, where packing both operands costs as much as the product.
//
//	c[i·ldc+j] += Σ_{p<k} a[i·lda+p]·b[j·ldb+p]    for i < m, j < n
func GemmNTDot(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	flatDot(m, n, k, a, lda, b, rowOffsets(n, ldb), c, ldc)
}

var rowOffsetCache memo[[2]int, []int]

// rowOffsets returns [0, ld, 2·ld, …] of length n (cached, read-only).
func rowOffsets(n, ld int) []int {
	return rowOffsetCache.get([2]int{n, ld}, uint64(n)*1021+uint64(ld), func() []int {
		off := make([]int, n)
		for j := range off {
			off[j] = j * ld
		}
		return off
	})
}

// MaxPoolValues is MaxPool without the argmax (a fused pool unit's forward:
// its backward recomputes the argmax image by image). Same values, NaN and
// −Inf windows included:
//
//	y[c][oh][ow] = max_{kh,kw inside} x[c][oh*SH−PH+kh*DH][ow*SW−PW+kw*DW]
func MaxPoolValues(x []float32, c int, g Geom, y []float32) {
	if g.KH == 2 && g.KW == 2 && g.SH == 2 && g.SW == 2 && g.PH == 0 && g.PW == 0 && g.DH == 1 && g.DW == 1 {
		s := getArgScratch(c * g.OH() * g.OW())
		defer argScratch.Put(s)
		MaxPool(x, c, g, y, *s)
		return
	}
	maxPoolPlanar(x, c, g, y, nil)
}

// Pointwise is a 1×1 convolution's weights w (F×C), or their transpose,
// prepared once (packed into the 4-row panels of flatGemm) for per-image
// products y (M×N) = A (M×K) · x (K×N) with x's rows read in place: no
// packing of the image, no clearing pass. Release returns its buffers.
type Pointwise struct {
	A    flatA
	bufs []*[]float32
}

// NewPointwise prepares A = w (f×c) for x with c rows, or A = wᵀ (c×f) for
// x with f rows when transpose is set (the input gradient Wᵀ·dz).
func NewPointwise(w []float32, f, c int, transpose bool) *Pointwise {
	p := &Pointwise{}
	m, k, a := f, c, w[:f*c]
	if transpose {
		s := getScratch(f * c)
		p.bufs = append(p.bufs, s)
		a = (*s)[:f*c]
		for fi := 0; fi < f; fi++ {
			for ci := 0; ci < c; ci++ {
				a[ci*f+fi] = w[fi*c+ci]
			}
		}
		m, k = c, f
	}
	p.A = flatA{m: m, k: k, a: a, lda: k}
	if fastOn && pointwiseFast != nil {
		s := getScratch(roundUp(m, 4) * k)
		p.bufs = append(p.bufs, s)
		p.A.ap = *s
		p.A.pack()
	}
	return p
}

// Apply sets y (M×n, rows n apart) = A·x for x (K×n, rows ldx ≥ n apart;
// PlaneStride(n) keeps them off each other's cache sets). Give x
// PointwiseSlack floats past its last row's n (scratch) and the last
// columns run as fast as the others. With A = w (f×c) or wᵀ as prepared:
//
//	y[i·n+j] = Σ_{p<K} A[i][p] · x[p·ldx+j]    for i < M, j < n
func (p *Pointwise) Apply(x []float32, ldx, n int, y []float32) {
	boff := rowOffsets(p.A.k, ldx)
	if p.A.ap != nil && fastOn && pointwiseFast != nil {
		pointwiseFast(&p.A, x, boff, n, y)
		return
	}
	flatGemmGeneric(p.A.m, n, p.A.k, p.A.a, p.A.lda, x, boff, y, n)
}

// PointwiseSlack is how far past its end Pointwise.Apply may read x.
const PointwiseSlack = flatNR

// PlaneStride returns the distance, in floats, to give the planes of n
// floats that a 1×1 convolution reads as the rows of its x: n, or n + 32
// where n floats are a whole number of KiB. Rows a multiple of 1 KiB apart
// fall on the same few L1 sets, so the 16 to 64 rows the kernel reads for a
// block of columns evict each other before the next 4 output rows reuse
// them (BenchmarkPointwise, avx2 on Zen 3: apply-ld C=16/32x32 44.9 GFLOP/s
// against apply's 26.0, C=32/16x16 72.2 against 63.7).
func PlaneStride(n int) int {
	if n%256 == 0 {
		return n + 32
	}
	return n
}

// pointwiseFast is Apply's SIMD driver (fused_amd64.go), when the CPU has one.
var pointwiseFast func(A *flatA, x []float32, boff []int, n int, y []float32)

// Release returns the prepared buffers to the scratch pool.
func (p *Pointwise) Release() {
	for _, s := range p.bufs {
		putScratch(s)
	}
	p.bufs = nil
}
