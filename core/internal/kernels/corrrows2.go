//go:build goexperiment.simd && amd64 && !noasm

package kernels

// corrRows2Kernels is one register width's pair of generated avx2 row-block
// correlations (corrrows2_amd64.s, go run ./internal/gencorrrows -set
// avx2): store is corrOutRows' sum for a block's rows, in pointing at tap 0
// of output (0, 0); maskedAdd is the fused gather's, q pointing at tap 0 of
// image pixel (0, 0).
type corrRows2Kernels struct {
	store     func(out *float32, ldo int, in *float32, ldi int, w *float32, blocks int)
	maskedAdd func(dx, x *float32, ldx int, q *float32, ldq int, w *float32, blocks int)
}

// corrRows2Shape is the avx2 set's corrRowsShape: k×k taps of dilation d
// at stride 1, rows output rows per block, on 8 columns (kern[0], ymm) or 4
// (kern[1], xmm). Exact vs corrGeneric.
type corrRows2Shape struct {
	k, d, rows int
	kern       [2]corrRows2Kernels
}

// corrRows2ByWindow[k][d] lists the avx2 kernels of k×k taps of dilation d,
// most rows first.
var corrRows2ByWindow = func() (t [6][3][]corrRows2Shape) {
	for _, s := range corrRows2Shapes {
		t[s.k][s.d] = append(t[s.k][s.d], s)
	}
	return t
}()

// rows2For returns the avx2 row-block kernels for p's window, 8 rows per
// block then 4, where p's outputs (oh×ow) and image (H×W) come in whole
// blocks of 4 rows and 4 columns, else nil.
func (p *planar) rows2For() []corrRows2Shape {
	if !p.quads || p.sqK >= len(corrRows2ByWindow) || p.sqD >= len(corrRows2ByWindow[0]) {
		return nil
	}
	if s := corrRows2ByWindow[p.sqK][p.sqD]; len(s) == 2 && s[0].rows == 8 && s[1].rows == 4 {
		return s
	}
	return nil
}

// corrOutRowsAVX2 is corrOut and extract in one pass, a block of output
// rows at a time with every input row loaded once per block for all the
// taps that read it, straight into yc. It reports false (and does nothing)
// where no generated kernel applies.
func corrOutRowsAVX2(p *planar, yc, in, w []float32) bool {
	tp := p.offT
	shapes := p.rows2For()
	if shapes == nil || tp.lo < 0 {
		return false
	}
	oh, ow, pcw := p.oh, p.ow, p.pcw
	w = w[:len(tp.off)]
	_ = in[(oh-1)*pcw+ow-1+tp.hi]
	_ = yc[oh*ow-1]
	n8, n4 := oh>>3, oh&7>>2 // blocks of 8 rows, then of 4
	r4 := 8 * n8
	for c0 := 0; c0 < ow; c0 += 8 {
		v := 0
		if ow-c0 < 8 { // 4 columns left: xmm
			v = 1
		}
		if n8 > 0 {
			shapes[0].kern[v].store(&yc[c0], ow, &in[c0+tp.off[0]], pcw, &w[0], n8)
		}
		if n4 > 0 {
			shapes[1].kern[v].store(&yc[r4*ow+c0], ow, &in[r4*pcw+c0+tp.off[0]], pcw, &w[0], n4)
		}
	}
	return true
}

// gatherMaskedAddAVX2 is gatherDx and addBackMasked in one pass for
// stride-1 layouts (gatherMaskedAddAVX512 with the avx2 row blocks): the
// same sums, the same masked add, exact vs the two steps. It reports false
// (and does nothing) where no generated kernel applies.
func gatherMaskedAddAVX2(p *planar, wc, q, xc, dxc []float32) bool {
	g := p.g
	if p.nph != 1 || len(p.phTaps[0]) == 0 {
		return false
	}
	tp := p.phQOffT[0]
	shapes := p.rows2For()
	if shapes == nil || tp.lo < 0 {
		return false
	}
	w := wc[:len(tp.off)]     // one phase: its taps are all the taps, in order
	base := g.PH*p.pcw + g.PW // the plane position of image pixel (0, 0)
	_ = q[base+(g.H-1)*p.pcw+g.W-1+tp.hi]
	_ = xc[g.H*g.W-1]
	_ = dxc[g.H*g.W-1]
	n8, n4 := g.H>>3, g.H&7>>2
	r4 := 8 * n8
	for c0 := 0; c0 < g.W; c0 += 8 {
		v := 0
		if g.W-c0 < 8 {
			v = 1
		}
		if n8 > 0 {
			shapes[0].kern[v].maskedAdd(&dxc[c0], &xc[c0], g.W, &q[base+c0+tp.off[0]], p.pcw, &w[0], n8)
		}
		if n4 > 0 {
			at := r4*g.W + c0
			shapes[1].kern[v].maskedAdd(&dxc[at], &xc[at], g.W, &q[base+r4*p.pcw+c0+tp.off[0]], p.pcw, &w[0], n4)
		}
	}
	return true
}
