package kernels

import (
	"math"
	"slices"
	"sync"
)

// planar is the flat layout the depthwise and pooling kernels share. One
// channel of x is copied into a zero-padded plane of (H+2PH)×(W+2PW), split
// into SH·SW phase planes (padded row r goes to phase r mod SH, row r div SH;
// columns likewise), each pcw wide and prow tall. Every window tap (kh, kw)
// then reads the phase plane of (kh·DH mod SH, kw·DW mod SW) at a fixed flat
// offset, so with the outputs laid out pcw apart (columns OW..pcw−1 are junk)
//
//	out[oy·pcw+ox] = Σ_t w[t] · buf[oy·pcw+ox + off[t]]
//
// is one 1-D correlation over the whole plane: no borders, no per-row calls,
// vectorisable along the flat index for any stride, dilation and padding.
type planar struct {
	g             Geom
	oh, ow        int
	pcw, prow     int // phase plane width and height
	psize         int // pcw·prow
	nph           int // SH·SW phases
	l             int // oh·pcw: flat outputs including junk columns
	bufLen        int // buf length: every tap read of every flat output is inside
	off           []int
	offT          taps  // off with its range
	phase         []int // tap → phase
	rc            []int // tap → offset inside its phase plane
	m             int   // max rc: margin of the gradient buffer q
	qLen          int   // m + psize
	phTaps        [][]int
	phQOff        [][]int // per phase: m − rc[t] for its taps (gradient gather)
	phQOffT       []taps  // phQOff with their ranges
	tapIdx        []int   // kh·DH·W + kw·DW: flat index in x's plane relative to the window origin
	tapIdx32      []int32 // tapIdx as int32
	idxBase       []int32 // per output: (oy·SH−PH)·W + ox·SW−PW, the window origin's index in x's plane
	rowPos        []int   // input row iy → buf offset of (iy, 0) without the column part
	colPos        []int   // input column ix → column part of the buf offset
	rowCnt        []int   // pooling: taps of output row oy inside the image
	colCnt        []int
	cntIn         []float32 // average pool divisors without the padding: rowCnt[oy]·colCnt[ox]
	cntAll        []float32 // and with it: KH·KW everywhere
	contiguousRow bool      // SW == 1: an input row is a contiguous run of buf
	phRect        [][4]int  // per phase: image rows [0]..[1) and columns [2]..[3) in phase-plane coordinates
	rowsOut       bool      // with planarRows: corrOut and maxOut go row by row
	sepCol        []int     // maxOutSep: offsets of a window row's taps from its first
	sepRow        []int     // maxOutSep: offsets of the window rows' first taps
	sepRows       []int     // maxOutSep: starts of the plane rows it takes maxima of (nil: not separable)
	rowsGather    []bool    // with planarRows: gatherDx goes row by row in this phase
	sparse        bool      // with gatherSparse: the input gradient through ReLU is gathered at x > 0 only
	sqK, sqD      int       // stride 1, KH = KW = sqK, DH = DW = sqD (else sqK = 0): tap t = kh·sqK + kw is at kh·sqD·pcw + kw·sqD
	quads         bool      // oh, ow, H and W are multiples of 4
}

// rowCallCost is what one more kernel call costs on the portable path, in
// multiply-adds (output·tap pairs): ~5 ns against ~0.3 ns per pair, measured
// with the generic corr on 4×4 … 16×16 planes. Going row by row saves the
// junk outputs' pairs and pays this per extra call: at 16×16 a dilated 5×5
// gains 1.4× forward and 2.1× in the gather, a stride-2 3×3 would lose 1.2×
// and 1.4×, so each layout picks per geometry (newPlanar).
const rowCallCost = 16

// planarRows makes the planar drivers visit only the valid outputs, a row at
// a time, instead of the whole flat plane with its junk columns (and, in the
// gradient gather, the padding ring). The portable kernels are scalar, so
// every junk output costs as much as a valid one: 12-50% more outputs at
// 16×16, up to 3× at 4×4 with a dilated 5×5 (more in the gather). The SIMD
// kernels want long flat runs instead. Set by the dispatch (fastpath.go).
var planarRows = true

var planarCache memo[Geom, *planar]

// planFor returns the (cached) layout of g.
func planFor(g Geom) *planar {
	h := uint64(g.H)
	for _, f := range [...]int{g.W, g.KH, g.KW, g.SH, g.SW, g.PH, g.PW, g.DH, g.DW} {
		h = h*31 + uint64(f)
	}
	return planarCache.get(g, h, func() *planar { return newPlanar(g) })
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func newPlanar(g Geom) *planar {
	p := &planar{g: g, oh: g.OH(), ow: g.OW()}
	ph, pw := g.H+2*g.PH, g.W+2*g.PW
	p.pcw, p.prow = ceilDiv(pw, g.SW), ceilDiv(ph, g.SH)
	p.psize = p.pcw * p.prow
	p.nph = g.SH * g.SW
	p.l = p.oh * p.pcw
	taps := g.KH * g.KW
	p.off, p.phase, p.rc, p.tapIdx = make([]int, taps), make([]int, taps), make([]int, taps), make([]int, taps)
	p.phTaps, p.phQOff = make([][]int, p.nph), make([][]int, p.nph)
	maxOff := 0
	for kh := 0; kh < g.KH; kh++ {
		for kw := 0; kw < g.KW; kw++ {
			t := kh*g.KW + kw
			dy, dx := kh*g.DH, kw*g.DW
			ph := (dy%g.SH)*g.SW + dx%g.SW
			p.phase[t] = ph
			p.rc[t] = (dy/g.SH)*p.pcw + dx/g.SW
			p.off[t] = ph*p.psize + p.rc[t]
			p.tapIdx[t] = dy*g.W + dx
			p.phTaps[ph] = append(p.phTaps[ph], t)
			p.m = max(p.m, p.rc[t])
			maxOff = max(maxOff, p.off[t])
		}
	}
	for ph, ts := range p.phTaps {
		for _, t := range ts {
			p.phQOff[ph] = append(p.phQOff[ph], p.m-p.rc[t])
		}
	}
	p.offT = newTaps(p.off)
	for _, o := range p.phQOff {
		p.phQOffT = append(p.phQOffT, newTaps(o))
	}
	p.qLen = p.m + p.psize
	p.bufLen = max(p.nph*p.psize, p.l+maxOff)
	p.rowPos, p.colPos = make([]int, g.H), make([]int, g.W)
	for iy := range p.rowPos {
		r := iy + g.PH
		p.rowPos[iy] = (r%g.SH)*g.SW*p.psize + (r/g.SH)*p.pcw
	}
	for ix := range p.colPos {
		c := ix + g.PW
		p.colPos[ix] = (c%g.SW)*p.psize + c/g.SW
	}
	p.contiguousRow = g.SW == 1
	p.quads = p.oh%4 == 0 && p.ow%4 == 0 && g.H%4 == 0 && g.W%4 == 0
	if g.SH == 1 && g.SW == 1 && g.KH == g.KW && g.DH == g.DW {
		p.sqK, p.sqD = g.KH, g.DH
	}
	p.phRect = make([][4]int, p.nph)
	for ph := range p.phRect {
		rph, cph := ph/g.SW, ph%g.SW
		// padded rows r ≡ rph (mod SH) with PH ≤ r < PH+H are phase rows r div SH; columns alike
		rc := [4]int{ceilDiv(g.PH-rph, g.SH), ceilDiv(g.PH+g.H-rph, g.SH), ceilDiv(g.PW-cph, g.SW), ceilDiv(g.PW+g.W-cph, g.SW)}
		p.phRect[ph] = rc
		junk := p.psize - (rc[1]-rc[0])*(rc[3]-rc[2])
		p.rowsGather = append(p.rowsGather, junk*len(p.phTaps[ph]) > (rc[1]-rc[0]-1)*rowCallCost)
	}
	p.rowsOut = (p.l-p.oh*p.ow)*taps > (p.oh-1)*rowCallCost
	// Listing the pixels costs about what four taps of the gather do per
	// pixel; a stride-2 3×3 window (2.25 taps per phase) stays dense.
	nonEmpty := 0
	for _, ts := range p.phTaps {
		if len(ts) > 0 {
			nonEmpty++
		}
	}
	p.sparse = taps >= sparseMinTaps*nonEmpty
	p.rowCnt, p.colCnt = make([]int, p.oh), make([]int, p.ow)
	for oy := range p.rowCnt {
		for kh := 0; kh < g.KH; kh++ {
			if iy := oy*g.SH - g.PH + kh*g.DH; iy >= 0 && iy < g.H {
				p.rowCnt[oy]++
			}
		}
	}
	for ox := range p.colCnt {
		for kw := 0; kw < g.KW; kw++ {
			if ix := ox*g.SW - g.PW + kw*g.DW; ix >= 0 && ix < g.W {
				p.colCnt[ox]++
			}
		}
	}
	for _, t := range p.tapIdx {
		p.tapIdx32 = append(p.tapIdx32, int32(t))
	}
	p.idxBase = make([]int32, p.oh*p.ow)
	for oy := 0; oy < p.oh; oy++ {
		for ox := 0; ox < p.ow; ox++ {
			p.idxBase[oy*p.ow+ox] = int32((oy*g.SH-g.PH)*g.W + ox*g.SW - g.PW)
		}
	}
	p.cntIn, p.cntAll = make([]float32, p.oh*p.ow), make([]float32, p.oh*p.ow)
	for oy := range p.rowCnt {
		for ox := range p.colCnt {
			p.cntIn[oy*p.ow+ox] = float32(p.rowCnt[oy] * p.colCnt[ox])
			p.cntAll[oy*p.ow+ox] = float32(taps)
		}
	}
	p.planSep()
	return p
}

// avgDiv returns the average pool's divisor per output.
func (p *planar) avgDiv(countIncludePad bool) []float32 {
	if countIncludePad {
		return p.cntAll
	}
	return p.cntIn
}

// planSep sets maxOutSep's offsets where every window row's taps sit at the
// same offsets from the row's first tap, and the rows it takes maxima of:
// each output row's window rows, once (a plane row serves several windows).
func (p *planar) planSep() {
	g := p.g
	if g.KH < 2 || g.KW < 2 || p.off[0] != 0 {
		return
	}
	col, row := make([]int, g.KW), make([]int, g.KH)
	for kh := range row {
		row[kh] = p.off[kh*g.KW]
		for kw := range col {
			d := p.off[kh*g.KW+kw] - row[kh]
			if kh == 0 {
				col[kw] = d
			} else if d != col[kw] {
				return
			}
		}
	}
	seen := map[int]bool{}
	for kh := range row {
		for oy := 0; oy < p.oh; oy++ {
			if a := row[kh] + oy*p.pcw; !seen[a] {
				seen[a] = true
				p.sepRows = append(p.sepRows, a)
			}
		}
	}
	slices.Sort(p.sepRows)
	p.sepCol, p.sepRow = col, row
}

// layout copies one channel plane xc (H×W) into buf's phase planes; the
// padding positions are left as they are (the caller fills them once).
func (p *planar) layout(xc, buf []float32) {
	g := p.g
	if f := copyRowsImpl; f != nil && g.SH == 1 && g.SW == 1 && g.H > 0 && f(xc, buf[p.rowPos[0]+g.PW:], g.H, g.W, p.pcw) {
		return // rows pcw apart from the first
	}
	if p.contiguousRow {
		for iy, rp := range p.rowPos {
			at := rp + g.PW
			copy(buf[at:at+g.W], xc[iy*g.W:iy*g.W+g.W])
		}
		return
	}
	if f := rows2CopyImpl; f != nil && g.SW == 2 {
		if eOff, oOff := p.evenOddOff(); f(xc, buf, p.rowPos, g.W, eOff, oOff) {
			return
		}
	}
	cp := p.colPos
	for iy, rp := range p.rowPos {
		xr := xc[iy*g.W : iy*g.W+g.W]
		for ix, v := range xr {
			buf[rp+cp[ix]] = v
		}
	}
}

// addBack accumulates the image positions of buf (laid out like layout) into dxc.
func (p *planar) addBack(buf, dxc []float32) {
	g := p.g
	if p.contiguousRow {
		for iy, rp := range p.rowPos {
			at := rp + g.PW
			Add(buf[at:at+g.W], dxc[iy*g.W:iy*g.W+g.W])
		}
		return
	}
	cp := p.colPos
	for iy, rp := range p.rowPos {
		dr := dxc[iy*g.W : iy*g.W+g.W]
		for ix := range dr {
			dr[ix] += buf[rp+cp[ix]]
		}
	}
}

// rows2CopyImpl, where a kernel set has one, is layout's stride-2 rows a
// plane per call (rows2ReLUImpl without the ReLU); it reports false (and
// does nothing) for widths it does not take.
var rows2CopyImpl func(x, dst []float32, pos []int, w, eOff, oOff int) bool

// copyRowsImpl, where a kernel set has one, copies rows of w floats (src
// rows w apart) to dst rows ldd apart, dst[r·ldd + i] = src[r·w + i] for
// r < rows, i < w, in one call; it reports false (and does nothing) for
// widths it does not take.
var copyRowsImpl func(src, dst []float32, rows, w, ldd int) bool

// extract copies the valid columns of the flat outputs into yc (OH×OW).
func (p *planar) extract(out, yc []float32) {
	ow, pcw := p.ow, p.pcw
	for oy := 0; oy < p.oh; oy++ {
		copy(yc[oy*ow:oy*ow+ow], out[oy*pcw:oy*pcw+ow])
	}
}

// spread writes dyc (OH×OW) into q at margin m with rows pcw apart (the junk
// columns stay zero).
func (p *planar) spread(dyc, q []float32) {
	ow, pcw := p.ow, p.pcw
	if f := copyRowsImpl; f != nil && f(dyc, q[p.m:], p.oh, ow, pcw) {
		return
	}
	for oy := 0; oy < p.oh; oy++ {
		at := p.m + oy*pcw
		copy(q[at:at+ow], dyc[oy*ow:oy*ow+ow])
	}
}

// gatherDx computes, per phase plane, dbuf[i] = Σ_{taps t of the phase}
// w[t]·q[i + m − rc[t]]: the adjoint of the forward correlation, with q the
// spread output gradient. ws is scratch of at least KH·KW.
func (p *planar) gatherDx(corr corrFunc, wc, q, dbuf, ws []float32) {
	for ph, ts := range p.phTaps {
		d := dbuf[ph*p.psize : (ph+1)*p.psize]
		if len(ts) == 0 {
			clear(d)
			continue
		}
		w := ws[:len(ts)]
		for i, t := range ts {
			w[i] = wc[t]
		}
		// only the image positions of the phase plane: addBack reads no others
		rc := p.phRect[ph]
		if rc[0] >= rc[1] || rc[2] >= rc[3] {
			continue
		}
		if !planarRows || !p.rowsGather[ph] {
			// one flat run from the first image position to the last: the
			// padding rows above and below are left out
			lo, hi := rc[0]*p.pcw+rc[2], (rc[1]-1)*p.pcw+rc[3]
			corr(d[lo:hi], q[lo:], w, p.phQOffT[ph])
			continue
		}
		for r := rc[0]; r < rc[1]; r++ {
			a := ph*p.psize + r*p.pcw
			corr(dbuf[a+rc[2]:a+rc[3]], q[r*p.pcw+rc[2]:], w, p.phQOffT[ph])
		}
	}
}

// maxOut is maxTapsImpl(out, arg, in, p.off), with planarRows on the
// valid columns of each output row only, like corrOut; with hm and ha (the
// row maxima's room, where sepOn) it is maxOutSep.
func (p *planar) maxOut(out []float32, arg []int32, in, hm []float32, ha []int32) {
	if hm != nil {
		p.maxOutSep(out, arg, in, hm, ha)
		return
	}
	if !planarRows || !p.rowsOut {
		maxTapsImpl(out, arg, in, p.off)
		return
	}
	for oy := 0; oy < p.oh; oy++ {
		a := oy * p.pcw
		maxTapsImpl(out[a:a+p.ow], arg[a:a+p.ow], in[a:], p.off)
	}
}

// maxOutSep is maxOut on the portable path in two 1-D passes: the maxima
// of every needed plane row over a window row's KW taps (hm, the tap's
// column in ha), then over the KH window rows: 2+2 comparisons per output of
// a 3×3 window instead of 8, without branches. It applies where every
// window row's taps sit at the same offsets from the row's first tap
// (planSep: every stride and dilation, the phases included), and returns
// what the one-pass scan returns, bit for bit and tap for tap: within a row
// the first column reaching the row's maximum, across rows the first row
// whose maximum is strictly greater. The row passes start from −Inf, so a
// NaN or a −Inf never wins one (as it never wins a strict comparison in the
// scan); the window's first tap, where the scan starts, is read as is.
func (p *planar) maxOutSep(out []float32, arg []int32, in, hm []float32, ha []int32) {
	g, pcw := p.g, p.pcw
	for _, a := range p.sepRows {
		rowMax(hm[a:a+p.ow], ha[a:a+p.ow], in[a:], p.sepCol)
	}
	for oy := 0; oy < p.oh; oy++ {
		a := oy * pcw
		colMax(out[a:a+p.ow], arg[a:a+p.ow], in[a:a+p.ow], hm[a:], ha[a:], p.sepRow, g.KW)
	}
}

// sepOn reports whether maxOut goes through maxOutSep: on the portable path
// (the SIMD max scans flat runs), where the window is separable.
func (p *planar) sepOn() bool { return planarRows && p.sepRows != nil }

// corrOut is corr(out, in, w, p.off) over the plane's flat outputs; with
// planarRows it computes the valid columns of each output row only (the
// junk columns of out are left as they were: extract drops them).
func (p *planar) corrOut(corr corrFunc, out, in, w []float32) {
	if !planarRows || !p.rowsOut {
		corr(out[:p.l-p.pcw+p.ow], in, w, p.offT) // the last row's junk columns left out
		return
	}
	for oy := 0; oy < p.oh; oy++ {
		a := oy * p.pcw
		corr(out[a:a+p.ow], in[a:], w, p.offT)
	}
}

// corrExtract is corrOut into out then extract into yc (OH×OW), or the
// kernel set's one pass over the valid outputs (corrOutRowsImpl).
func (p *planar) corrExtract(corr corrFunc, out, in, w, yc []float32) {
	if f := corrOutRowsImpl; f != nil && f(p, yc, in, w) {
		return
	}
	p.corrOut(corr, out, in, w)
	p.extract(out, yc)
}

// corrOutRowsImpl, where a kernel set has one, computes corrOut's valid
// outputs straight into yc (set with that set's corr); it reports false
// (and does nothing) where it does not apply.
var corrOutRowsImpl func(p *planar, yc, in, w []float32) bool

// Corr computes the flat correlation, taps summed in order from zero (one
// rounding per multiply and per add: the fast and generic versions agree
// exactly):
//
//	out[j] = Σ_{t<len(w)} w[t]·in[j+off[t]]    for j < len(out)
//
// out must not share memory with in (the vector kernels may write an
// output twice).
func Corr(out, in, w []float32, off []int) { corrImpl(out, in, w, newTaps(off)) }

// corrFunc is the signature of Corr's implementations.
type corrFunc func(out, in, w []float32, t taps)

// taps is a flat correlation's tap offsets with their range, worked out
// once where the offsets are made (newTaps; the planar layouts keep theirs)
// rather than on every call of the vector kernels, which check every read
// in[j+off[t]] against it before they start.
type taps struct {
	off    []int
	lo, hi int // min and max of off; 0, 0 when empty
}

func newTaps(off []int) taps {
	t := taps{off: off}
	for i, o := range off {
		if i == 0 || o < t.lo {
			t.lo = o
		}
		if i == 0 || o > t.hi {
			t.hi = o
		}
	}
	return t
}

var corrImpl corrFunc = corrGeneric

// corrTail is Corr for the flat outputs from j on, one at a time.
func corrTail(out, in, w []float32, off []int, j int) {
	for ; j < len(out); j++ {
		var s float32
		for t, o := range off {
			s += float32(w[t] * in[j+o])
		}
		out[j] = s
	}
}

// planarScratch holds the per-call buffers of the planar kernels.
type planarScratch struct {
	s                 *[]float32
	buf, out, q, dbuf []float32
	ws                []float32
	hm                []float32 // maxOutSep's row maxima (getPlanarScratchMax)
}

func getPlanarScratch(p *planar, withQ bool) planarScratch {
	return getPlanarScratchMax(p, withQ, false)
}

// getPlanarScratchMax is getPlanarScratch with, when withMax is set and the
// pool is separable on this path, room for maxOutSep's row maxima (hm).
func getPlanarScratchMax(p *planar, withQ, withMax bool) planarScratch {
	n := p.bufLen + p.l + p.g.KH*p.g.KW
	if withQ {
		n += p.qLen + p.nph*p.psize
	}
	sep := withMax && p.sepOn()
	if sep {
		n += p.bufLen
	}
	s := getScratch(n)
	b := *s
	ps := planarScratch{s: s}
	ps.buf, b = b[:p.bufLen], b[p.bufLen:]
	ps.out, b = b[:p.l], b[p.l:]
	ps.ws, b = b[:p.g.KH*p.g.KW], b[p.g.KH*p.g.KW:]
	if withQ {
		ps.q, b = b[:p.qLen], b[p.qLen:]
		ps.dbuf, b = b[:p.nph*p.psize], b[p.nph*p.psize:]
		clear(ps.q)
	}
	if sep {
		ps.hm = b[:p.bufLen]
	}
	return ps
}

// depthwisePlanar is Depthwise through the planar layout, on max(x, 0) when
// relu is set (DepthwiseReLU).
// Channel ci's output plane starts at y[ci·ld] (ld ≥ OH·OW).
func depthwisePlanar(corr corrFunc, x, w []float32, c int, g Geom, y []float32, ld int, relu bool) {
	p := planFor(g)
	s := getPlanarScratch(p, false)
	defer putScratch(s.s)
	clear(s.buf)
	hw, ohw, kk := g.H*g.W, p.oh*p.ow, g.KH*g.KW
	for ci := 0; ci < c; ci++ {
		if relu {
			p.layoutReLU(x[ci*hw:ci*hw+hw], s.buf)
		} else {
			p.layout(x[ci*hw:ci*hw+hw], s.buf)
		}
		p.corrExtract(corr, s.out, s.buf, w[ci*kk:ci*kk+kk], y[ci*ld:ci*ld+ohw])
	}
}

func depthwiseBackwardPlanar(corr corrFunc, dotTaps func(in []float32, off []int, q, acc []float32), x, w, dy []float32, c int, g Geom, dx, dw []float32) {
	p := planFor(g)
	s := getPlanarScratch(p, true)
	defer putScratch(s.s)
	clear(s.buf)
	hw, ohw, kk := g.H*g.W, p.oh*p.ow, g.KH*g.KW
	for ci := 0; ci < c; ci++ {
		p.spread(dy[ci*ohw:ci*ohw+ohw], s.q)
		if dw != nil {
			p.layout(x[ci*hw:ci*hw+hw], s.buf)
			dotTaps(s.buf, p.off, s.q[p.m:p.m+p.l], dw[ci*kk:ci*kk+kk])
		}
		if dx != nil {
			p.gatherDx(corr, w[ci*kk:ci*kk+kk], s.q, s.dbuf, s.ws)
			p.addBack(s.dbuf, dx[ci*hw:ci*hw+hw])
		}
	}
}

// maxPoolPlanar is MaxPool on the planar layout padded with −Inf; with idx
// nil it writes the values only (MaxPoolValues).
func maxPoolPlanar(x []float32, c int, g Geom, y []float32, idx []int32) {
	p := planFor(g)
	if f := maxPoolRowsImpl; f != nil {
		f(p, x, c, y, idx)
		return
	}
	s := getPlanarScratchMax(p, false, true)
	defer putScratch(s.s)
	buf := s.buf
	ninf := float32(math.Inf(-1))
	for i := range buf {
		buf[i] = ninf
	}
	hw, ohw := g.H*g.W, p.oh*p.ow
	tapIdx := p.tapIdx
	var ha []int32
	arg := getArgScratch(p.l + len(s.hm))
	defer argScratch.Put(arg)
	if s.hm != nil {
		ha = (*arg)[p.l:]
	}
	for ci := 0; ci < c; ci++ {
		p.layout(x[ci*hw:ci*hw+hw], buf)
		p.maxOut(s.out, (*arg)[:p.l], buf, s.hm, ha)
		if idx == nil {
			yc := y[ci*ohw : ci*ohw+ohw]
			p.extract(s.out, yc)
			for j, v := range yc {
				if v == ninf { // −Inf or NaN inputs: the padding may have won
					yc[j], _ = p.maxPoolSlow(buf, j/p.ow, j%p.ow)
				}
			}
			continue
		}
		yc, ic := y[ci*ohw:ci*ohw+ohw], idx[ci*ohw:ci*ohw+ohw]
		for oy := 0; oy < p.oh; oy++ {
			yr, ir := yc[oy*p.ow:oy*p.ow+p.ow], ic[oy*p.ow:oy*p.ow+p.ow]
			br, ar := s.out[oy*p.pcw:oy*p.pcw+p.ow], (*arg)[oy*p.pcw:oy*p.pcw+p.ow]
			base := (oy*g.SH - g.PH) * g.W
			for ox := range yr {
				best, bt := br[ox], int(ar[ox])
				if best == ninf { // -Inf or NaN inputs: the padding may have won
					best, bt = p.maxPoolSlow(buf, oy, ox)
				}
				yr[ox] = best
				ir[ox] = int32(base + ox*g.SW - g.PW + tapIdx[bt])
			}
		}
	}
}

// maxPoolRowsImpl, where a kernel set has one, is maxPoolPlanar with the
// values and indices of each output row written by vector code.
var maxPoolRowsImpl func(p *planar, x []float32, c int, y []float32, idx []int32)

var argScratch sync.Pool

func getArgScratch(n int) *[]int32 {
	if p, ok := argScratch.Get().(*[]int32); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	a := make([]int32, n)
	return &a
}

// MaxTaps computes the maximum over the taps and the first tap reaching it
// (strictly greater wins):
//
//	out[j] = max_t in[j+off[t]];  arg[j] = min{t : in[j+off[t]] = out[j]}    for j < len(out)
func MaxTaps(out []float32, arg []int32, in []float32, off []int) { maxTapsImpl(out, arg, in, off) }

var maxTapsImpl = maxTapsGeneric

// maxPoolSlow is one output of MaxPool checking every tap against the image
// bounds (the first inside tap wins unless a later one is greater).
func (p *planar) maxPoolSlow(buf []float32, oy, ox int) (float32, int) {
	g := p.g
	best, bt := float32(0), -1
	for t, o := range p.off {
		kh, kw := t/g.KW, t%g.KW
		iy, ix := oy*g.SH-g.PH+kh*g.DH, ox*g.SW-g.PW+kw*g.DW
		if iy < 0 || iy >= g.H || ix < 0 || ix >= g.W {
			continue
		}
		if v := buf[oy*p.pcw+ox+o]; v > best || bt < 0 {
			best, bt = v, t
		}
	}
	return best, max(bt, 0)
}

// avgPoolPlanar is AvgPool on the zero-padded planar layout.
func avgPoolPlanar(x []float32, c int, g Geom, countIncludePad bool, y []float32) {
	p := planFor(g)
	s := getPlanarScratch(p, false)
	defer putScratch(s.s)
	clear(s.buf)
	ones := s.ws
	for i := range ones {
		ones[i] = 1
	}
	hw, ohw := g.H*g.W, p.oh*p.ow
	div := p.avgDiv(countIncludePad)
	for ci := 0; ci < c; ci++ {
		p.layout(x[ci*hw:ci*hw+hw], s.buf)
		yc := y[ci*ohw : ci*ohw+ohw]
		if f := corrOutRowsImpl; f != nil && f(p, yc, s.buf, ones) { // the window sums straight into yc, then a vector divide
			divImpl(yc, yc, div)
			continue
		}
		// the portable path divides as it extracts: one pass, not two
		p.corrOut(corrImpl, s.out, s.buf, ones)
		for oy := 0; oy < p.oh; oy++ {
			divImpl(yc[oy*p.ow:oy*p.ow+p.ow], s.out[oy*p.pcw:oy*p.pcw+p.ow], div[oy*p.ow:oy*p.ow+p.ow])
		}
	}
}

// avgPoolBackwardPlanar spreads dy/divisor over the windows through the
// adjoint correlation with unit weights.
func avgPoolBackwardPlanar(dy []float32, c int, g Geom, countIncludePad bool, dx []float32) {
	p := planFor(g)
	s := getPlanarScratch(p, true)
	defer putScratch(s.s)
	ones := s.buf[:g.KH*g.KW] // buf is unused here: weights
	for i := range ones {
		ones[i] = 1
	}
	hw, ohw, ow := g.H*g.W, p.oh*p.ow, p.ow
	div := p.avgDiv(countIncludePad)
	for ci := 0; ci < c; ci++ {
		dyc := dy[ci*ohw : ci*ohw+ohw]
		for oy := 0; oy < p.oh; oy++ { // dy/divisor straight into q's rows (spread)
			at := p.m + oy*p.pcw
			divImpl(s.q[at:at+ow], dyc[oy*ow:oy*ow+ow], div[oy*ow:oy*ow+ow])
		}
		p.gatherDx(corrImpl, ones, s.q, s.dbuf, s.ws)
		p.addBack(s.dbuf, dx[ci*hw:ci*hw+hw])
	}
}

// FlatCols returns the column count n′ = OH·(W+2PW) of the flat im2col of a
// stride-1 geometry (output rows W+2PW apart, the last 2PW−(KW−1)DW columns
// of each row junk), or 0 when g is strided and the flat form does not apply.
func FlatCols(g Geom) int {
	if g.SH != 1 || g.SW != 1 {
		return 0
	}
	return planFor(g).l
}

// Im2colFlat is Im2col for FlatCols(g) > 0 with rows of n′ = FlatCols(g)
// flat positions: col[(c·KH+kh)·KW+kw][j] = padded_c[j + kh·DH·(W+2PW) + kw·DW],
// one contiguous copy per row (the junk columns read finite padding or image
// values and are discarded by ExtractFlat).
func Im2colFlat(x []float32, c int, g Geom, col []float32) {
	p := planFor(g)
	s := getPlanarScratch(p, false)
	defer putScratch(s.s)
	clear(s.buf)
	hw, kk, n := g.H*g.W, g.KH*g.KW, p.l
	for ci := 0; ci < c; ci++ {
		p.layout(x[ci*hw:ci*hw+hw], s.buf)
		for t, o := range p.off {
			r := ci*kk + t
			copy(col[r*n:r*n+n], s.buf[o:o+n])
		}
	}
}

// Col2imFlat is the adjoint of Im2colFlat: dx (C×H×W) += the image part of
// Σ_rows dcol scattered back to the padded planes:
//
//	padded_c[j + kh·DH·(W+2PW) + kw·DW] += dcol[(c·KH+kh)·KW+kw][j]    for j < n′; dx[c] += the image part of padded_c
func Col2imFlat(dcol []float32, c int, g Geom, dx []float32) {
	p := planFor(g)
	s := getPlanarScratch(p, false)
	defer putScratch(s.s)
	hw, kk, n := g.H*g.W, g.KH*g.KW, p.l
	for ci := 0; ci < c; ci++ {
		clear(s.buf)
		for t, o := range p.off {
			r := ci*kk + t
			Add(dcol[r*n:r*n+n], s.buf[o:o+n])
		}
		p.addBack(s.buf, dx[ci*hw:ci*hw+hw])
	}
}

// ExtractFlat copies rows planes of flat outputs (n′ = FlatCols(g) apart)
// into y (rows×OH×OW), dropping the junk columns:
//
//	y[r][oh][ow] = yflat[r·n′ + oh·(W+2PW) + ow]
func ExtractFlat(yflat []float32, rows int, g Geom, y []float32) {
	p := planFor(g)
	ohw := p.oh * p.ow
	for r := 0; r < rows; r++ {
		p.extract(yflat[r*p.l:(r+1)*p.l], y[r*ohw:(r+1)*ohw])
	}
}

// SpreadFlat is the adjoint layout of ExtractFlat: dyflat (rows×n′) gets dy
// (rows×OH×OW) with zero junk columns:
//
//	dyflat[r·n′ + oh·(W+2PW) + ow] = dy[r][oh][ow];  every other element 0
func SpreadFlat(dy []float32, rows int, g Geom, dyflat []float32) {
	p := planFor(g)
	ohw, ow, pcw := p.oh*p.ow, p.ow, p.pcw
	for r := 0; r < rows; r++ {
		d, src := dyflat[r*p.l:(r+1)*p.l], dy[r*ohw:(r+1)*ohw]
		for oy := 0; oy < p.oh; oy++ {
			row := d[oy*pcw : oy*pcw+pcw]
			copy(row[:ow], src[oy*ow:oy*ow+ow])
			clear(row[ow:])
		}
	}
}
