//go:build goexperiment.simd && amd64 && !noasm

package kernels

import (
	"math"

	"simd/archsimd"
	"unsafe"
)

// corr128Z is in avx512_amd64.s: Corr over blocks of 128 flat outputs on
// zmm, rounding exactly as corrGeneric.
//
//go:noescape
func corr128Z(blocks int, out, in, w *float32, off *int, taps int)

// corr64ZM is in avx512_amd64.s: Corr over up to 64 outputs, masked.
//
//go:noescape
func corr64ZM(out, in, w *float32, off *int, taps int, masks uint64)

// corrAVX512 is corrGeneric on zmm: blocks of 128 flat outputs
// (corr128Z), then the rest up to 64 at a time with the loads and stores
// masked to the outputs left (corr64ZM), so no run is too short or too
// near the end of in for the vector kernels. Exact vs corrGeneric.
func corrAVX512(out, in, w []float32, tp taps) {
	off := tp.off
	n := len(out)
	if n == 0 {
		return
	}
	w = w[:len(off)]
	if tp.lo < 0 {
		corrGeneric(out, in, w, tp)
		return
	}
	if len(off) > 0 {
		_ = in[n-1+tp.hi] // every read in[j+off[t]], j < n, is inside in
	}
	j := 0
	if nb := n / 128; nb > 0 && len(off) > 0 {
		corr128Z(nb, &out[0], &in[0], &w[0], &off[0], len(off))
		j = 128 * nb
	}
	var w0 *float32
	var off0 *int
	if len(off) > 0 {
		w0, off0 = &w[0], &off[0]
	}
	for ; j < n; j += 64 {
		left := min(64, n-j)
		masks := uint64(1)<<left - 1
		if left == 64 {
			masks = ^uint64(0)
		}
		corr64ZM(&out[j], &in[j], w0, off0, len(off), masks)
	}
}

// flatKernel4x48Z and flatKernel8x16ZM are in avx512_amd64.s.
//
//go:noescape
func flatKernel4x48Z(k int, a, b *float32, boff *int, c *float32, ldc int)

//go:noescape
func flatKernel8x16ZM(k int, a0, a1, b *float32, boff *int, c *float32, ldc int, mask uint16)

// pointwiseAVX512 is Pointwise.Apply on zmm: 4×48 tiles over A's packed
// panels, then the last n mod 48 columns 16 at a time in 8-row tiles whose
// loads and stores are masked to the valid columns (it reads nothing past
// x's K·n). Each output sums its K products in order from zero with one
// FMA each, as pointwiseAVX2 does.
func pointwiseAVX512(A *flatA, x []float32, boff []int, n int, y []float32) {
	m, k := A.m, A.k
	if m <= 0 || n <= 0 || k <= 0 {
		flatGemmGeneric(m, n, k, A.a, A.lda, x, boff, y, n)
		return
	}
	boff = boff[:k]
	_ = x[boff[k-1]+n-1] // offsets are increasing (rows of x)
	_ = y[(m-1)*n+n-1]
	panels := (m + 3) / 4
	ap := A.ap[:panels*4*k]
	var tile [8 * 48]float32
	j := 0
	for ; j+48 <= n; j += 48 {
		for pi := 0; pi < panels; pi++ {
			rows := min(4, m-pi*4)
			if rows == 4 {
				flatKernel4x48Z(k, &ap[pi*4*k], &x[j], &boff[0], &y[pi*4*n+j], n)
				continue
			}
			flatKernel4x48Z(k, &ap[pi*4*k], &x[j], &boff[0], &tile[0], 48)
			for r := 0; r < rows; r++ {
				copy(y[(pi*4+r)*n+j:(pi*4+r)*n+j+48], tile[r*48:r*48+48])
			}
		}
	}
	for ; j < n; j += 16 {
		cols := min(16, n-j)
		mask := uint16(1<<cols - 1)
		for pi := 0; pi < panels; pi += 2 {
			rows := min(8, m-pi*4)
			if rows == 8 {
				flatKernel8x16ZM(k, &ap[pi*4*k], &ap[(pi+1)*4*k], &x[j], &boff[0], &y[pi*4*n+j], n, mask)
				continue
			}
			a1 := pi * 4 * k // a lone last panel: its rows again in the tile's lower half
			if pi+1 < panels {
				a1 += 4 * k
			}
			flatKernel8x16ZM(k, &ap[pi*4*k], &ap[a1], &x[j], &boff[0], &tile[0], 16, mask)
			for r := 0; r < rows; r++ {
				copy(y[(pi*4+r)*n+j:(pi*4+r)*n+j+cols], tile[r*16:r*16+cols])
			}
		}
	}
}

// flatDot4x3Z is in avx512_amd64.s.
//
//go:noescape
func flatDot4x3Z(nv int, d *float32, ldd int, b *float32, boff *int, out *float32, mask uint16)

// flatDotAVX512 is flatDot on zmm 4×3 tiles over all n columns (the last
// n mod 16 through masked loads); the rows past m − m mod 4 run the generic
// dot, and the last k mod 3 offsets a tile with the last one repeated.
func flatDotAVX512(m, k, n int, d []float32, ldd int, b []float32, boff []int, c []float32, ldc int) {
	if m <= 0 || k <= 0 || n <= 0 {
		return
	}
	boff = boff[:k]
	if n <= flatDotShortN && m >= 4 && k >= 4 {
		flatDotShort(m, k, n, d, ldd, b, boff, c, ldc)
		return
	}
	nv, mask := n/16, uint16(1<<(n%16)-1)
	m4, k3 := m/4*4, k/3*3
	if m4 > 0 {
		for _, o := range boff {
			_ = b[o+n-1]
		}
		_ = d[(m4-1)*ldd+n-1]
		var out [12]float32
		for r := 0; r < m4; r += 4 {
			for q := 0; q < k3; q += 3 {
				flatDot4x3Z(nv, &d[r*ldd], ldd, &b[0], &boff[q], &out[0], mask)
				addDotTile(c[r*ldc+q:], ldc, &out, 3)
			}
		}
		if k3 < k { // the last 1 or 2 offsets, repeated to fill the tile
			last := [3]int{boff[k3], boff[k-1], boff[k-1]}
			for r := 0; r < m4; r += 4 {
				flatDot4x3Z(nv, &d[r*ldd], ldd, &b[0], &last[0], &out[0], mask)
				addDotTile(c[r*ldc+k3:], ldc, &out, k-k3)
			}
		}
	}
	if m4 < m {
		flatDotGeneric(m-m4, k, n, d[m4*ldd:], ldd, b, boff, c[m4*ldc:], ldc)
	}
}

// flatDotShortN is the row length up to which flatDotAVX512 goes through
// flatDotShort: a dot product of one or two vectors costs less than its
// horizontal reduction there.
const flatDotShortN = 32

// flatDotShort is flatDot for short rows as the product pointwiseAVX512
// computes: with d packed into its 4-row panels and bᵀ (n×k, the k rows of b
// side by side) copied out, t = d·bᵀ sums over j < n along the kernels'
// inner dimension, one FMA per term in order; then c += t.
func flatDotShort(m, k, n int, d []float32, ldd int, b []float32, boff []int, c []float32, ldc int) {
	np := roundUp(m, 4) * n
	s := getScratch(np + n*k + m*k)
	defer putScratch(s)
	ap, bt, t := (*s)[:np], (*s)[np:np+n*k], (*s)[np+n*k:np+n*k+m*k]
	for q, o := range boff {
		for j, v := range b[o : o+n] {
			bt[j*k+q] = v
		}
	}
	A := flatA{m: m, k: n, a: d, lda: ldd, ap: ap}
	A.pack()
	pointwiseAVX512(&A, bt, rowOffsets(n, k), k, t)
	for i := 0; i < m; i++ {
		addImpl(t[i*k:i*k+k], c[i*ldc:i*ldc+k])
	}
}

// dotTaps8Z and dotTaps9Z are in avx512_amd64.s.
//
//go:noescape
func dotTaps8Z(nv int, in *float32, off *int, q *float32, acc *float32, mask uint16)

//go:noescape
func dotTaps9Z(nv int, in *float32, off *int, q *float32, acc *float32, mask uint16)

// dotTapsAVX512 is DotTaps eight or nine taps at a time on zmm, each load
// of q shared by them, every position in the kernel (the last n mod 16
// through masked loads): a 3×3 window in one pass, a 5×5 one as 9+8+8;
// the taps left of other counts run the zmm Dot. FMA accumulators: agrees
// with dotTapsGeneric to rounding.
func dotTapsAVX512(in []float32, off []int, q, acc []float32) {
	n := len(q)
	acc = acc[:len(off)]
	if n == 0 {
		return
	}
	nv, mask := n/16, uint16(1<<(n%16)-1)
	t := 0
	if len(off)%8 == 1 && len(off) >= 9 {
		for _, o := range off[:9] {
			_ = in[o : o+n] // bounds: every tap's run is inside in
		}
		dotTaps9Z(nv, &in[0], &off[0], &q[0], &acc[0], mask)
		t = 9
	}
	for ; t+8 <= len(off); t += 8 {
		for _, o := range off[t : t+8] {
			_ = in[o : o+n]
		}
		dotTaps8Z(nv, &in[0], &off[t], &q[0], &acc[t], mask)
	}
	for ; t < len(off); t++ {
		acc[t] += dotAVX512(in[off[t]:off[t]+n], q)
	}
}

// corrRows4MAZ is in avx512_amd64.s.
//
//go:noescape
func corrRows4MAZ(dx, x *float32, ldx int, q *float32, ldq int, w *float32, off *int, taps int, masks uint64)

//go:noescape
func corrRows8MAZ(dx, x *float32, ldx int, q *float32, ldq int, w *float32, off *int, taps int, cols uint16)

// gatherMaskedAddAVX512 is gatherDx then addBackMasked for a stride-1
// layout in one pass: the gradient of each image row is summed in registers
// (eight or four rows, 16 columns at a time) and added into dx where x > 0,
// without the padded plane in between and without the padding columns'
// outputs.
// The same sums, the same masked add: exact vs the two steps (at 4×4 too,
// where 12 of the 16 lanes idle, it beats them: 0.22-0.32 s against
// 0.37-0.51 + 0.32-0.42 s in profiles of the reduced config). It reports
// false (and does nothing) for strided layouts.
func gatherMaskedAddAVX512(p *planar, wc, q, xc, dxc []float32) bool {
	g := p.g
	if p.nph != 1 || len(p.phTaps[0]) == 0 {
		return false
	}
	tp := p.phQOffT[0]
	if tp.lo < 0 {
		return false
	}
	w := wc[:len(tp.off)]     // one phase: its taps are all the taps, in order
	base := g.PH*p.pcw + g.PW // the plane position of image pixel (0, 0)
	_ = q[base+(g.H-1)*p.pcw+g.W-1+tp.hi]
	_ = xc[g.H*g.W-1]
	_ = dxc[g.H*g.W-1]
	shapes := corrRowsFor(p.sqK, p.sqD)
	for c0 := 0; c0 < g.W; c0 += 16 {
		cm := uint64(1)<<min(16, g.W-c0) - 1
		full := cm | cm<<16 | cm<<32 | cm<<48
		r0 := 0
		for _, s := range shapes {
			if n := (g.H - r0) / s.rows; n > 0 {
				at := r0*g.W + c0
				s.maskedAdd(&dxc[at], &xc[at], g.W, &q[base+r0*p.pcw+c0+tp.off[0]], p.pcw, &w[0], n, uint16(cm))
				r0 += n * s.rows
			}
		}
		for ; r0+8 <= g.H; r0 += 8 {
			at := r0*g.W + c0
			corrRows8MAZ(&dxc[at], &xc[at], g.W, &q[base+r0*p.pcw+c0], p.pcw, &w[0], &tp.off[0], len(w), uint16(cm))
		}
		for ; r0 < g.H; r0 += 4 {
			masks := full
			if left := g.H - r0; left < 4 {
				masks &= 1<<(16*left) - 1
			}
			at := r0*g.W + c0
			corrRows4MAZ(&dxc[at], &xc[at], g.W, &q[base+r0*p.pcw+c0], p.pcw, &w[0], &tp.off[0], len(w), masks)
		}
	}
	return true
}

// corrRowsShape is one pair of generated row-block correlations
// (corrrows_amd64.s, go run ./internal/gencorrrows): k×k taps of dilation d
// at stride 1 over blocks of rows output rows, each input row loaded once
// per block for all the taps that read it, where corrRows8Z and
// corrRows8MAZ load it once per tap (BENCHMARKS.md round 11). store is
// corrRows8Z's sum for a block's rows and the columns in cols, in pointing
// at tap 0 of output (0, 0); maskedAdd is corrRows8MAZ's, q pointing at tap
// 0 of image pixel (0, 0). Both exact vs corrGeneric.
type corrRowsShape struct {
	k, d, rows int
	store      func(out *float32, ldo int, in *float32, ldi int, w *float32, blocks int, cols uint16)
	maskedAdd  func(dx, x *float32, ldx int, q *float32, ldq int, w *float32, blocks int, cols uint16)
}

// corrRowsFor returns the generated kernels of k×k taps of dilation d, most
// rows first (none for k = 0 or a window without them).
func corrRowsFor(k, d int) []corrRowsShape {
	if k < len(corrRowsByWindow) && d < len(corrRowsByWindow[k]) {
		return corrRowsByWindow[k][d]
	}
	return nil
}

// corrRowsByWindow[k][d] is corrRowsFor(k, d) (a table: it is asked once per
// plane).
var corrRowsByWindow = func() (t [6][3][]corrRowsShape) {
	for _, s := range corrRowsShapes {
		t[s.k][s.d] = append(t[s.k][s.d], s)
	}
	return t
}()

// corrRows8Z and corrRows4Z are in avx512_amd64.s.
//
//go:noescape
func corrRows8Z(out *float32, ldo int, in *float32, ldi int, w *float32, off *int, taps int, cols uint16)

//go:noescape
func corrRows4Z(out *float32, ldo int, in *float32, ldi int, w *float32, off *int, taps int, masks uint64)

// corrOutRowsAVX512 is corrOut then extract in one pass on zmm: each output
// row's valid columns only, eight (or four) rows side by side, written
// compactly into yc (OH×OW). Any stride and dilation: the phases are in the
// offsets. Exact vs corrGeneric.
func corrOutRowsAVX512(p *planar, yc, in, w []float32) bool {
	tp := p.offT
	oh, ow, pcw := p.oh, p.ow, p.pcw
	if len(tp.off) == 0 || tp.lo < 0 { // not from newPlanar: row by row
		for oy := 0; oy < oh; oy++ {
			corrGeneric(yc[oy*ow:oy*ow+ow], in[oy*pcw:], w, tp)
		}
		return true
	}
	w = w[:len(tp.off)]
	_ = in[(oh-1)*pcw+ow-1+tp.hi]
	_ = yc[oh*ow-1]
	shapes := corrRowsFor(p.sqK, p.sqD)
	for c0 := 0; c0 < ow; c0 += 16 {
		cm := uint64(1)<<min(16, ow-c0) - 1
		full := cm | cm<<16 | cm<<32 | cm<<48
		r0 := 0
		for _, s := range shapes {
			if n := (oh - r0) / s.rows; n > 0 {
				s.store(&yc[r0*ow+c0], ow, &in[r0*pcw+c0+tp.off[0]], pcw, &w[0], n, uint16(cm))
				r0 += n * s.rows
			}
		}
		for ; r0+8 <= oh; r0 += 8 {
			corrRows8Z(&yc[r0*ow+c0], ow, &in[r0*pcw+c0], pcw, &w[0], &tp.off[0], len(w), uint16(cm))
		}
		for ; r0 < oh; r0 += 4 {
			masks := full
			if left := oh - r0; left < 4 {
				masks &= 1<<(16*left) - 1
			}
			corrRows4Z(&yc[r0*ow+c0], ow, &in[r0*pcw+c0], pcw, &w[0], &tp.off[0], len(w), masks)
		}
	}
	return true
}

// maxTapsZ is maxTapsAVX2 on zmm, each winner's val[t] kept instead of t:
// strict Greater then Merge, the same first-wins ties, exact. len(out) is a
// multiple of 16 (the caller rounds its run up and gives in the slack): no
// masked partial loads, as archsimd's SlicePart helpers convert a short
// slice to a 16-element array pointer, which -race's checkptr rejects at the
// end of an allocation.
func maxTapsZ(out []float32, arg []int32, in []float32, off []int, val []int32) {
	n := len(out)
	if n%16 != 0 {
		panic("kernels: maxTapsZ: run not a multiple of 16")
	}
	if n == 0 {
		return
	}
	arg, val = arg[:n], val[:len(off)]
	// every tap's run inside in, checked once: the loads go through
	// pointers (slicing per tap and vector was a third of the kernel)
	lo, hi := off[0], off[0]
	for _, o := range off {
		lo, hi = min(lo, o), max(hi, o)
	}
	if lo < 0 || hi+n > len(in) {
		panic("kernels: maxTapsZ: a tap's run outside in")
	}
	pin := unsafe.Pointer(&in[0])
	ld := func(o int) archsimd.Float32x16 {
		return archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(pin, uintptr(o)*4)))
	}
	for j := 0; j < n; j += 16 {
		best := ld(j + off[0])
		bt := archsimd.BroadcastInt32x16(val[0])
		for t := 1; t < len(off); t++ {
			v := ld(j + off[t])
			m := v.Greater(best)
			best = v.Merge(best, m)
			bt = archsimd.BroadcastInt32x16(val[t]).Merge(bt, m)
		}
		best.Store((*[16]float32)(out[j : j+16]))
		bt.Store((*[16]int32)(arg[j : j+16]))
	}
	archsimd.ClearAVXUpperBits()
}

// maxPoolRowsAVX512 is maxPoolPlanar on zmm: the maxima over the −Inf
// padded plane with each winner's index offset in x's plane (tapIdx), then
// per output row the values copied out and the indices completed by a
// vector add of the window origins (idxBase); a row holding −Inf (an all
// −Inf or NaN window, where the padding may have won) goes through the
// scalar check of maxPoolPlanar.
func maxPoolRowsAVX512(p *planar, x []float32, c int, y []float32, idx []int32) {
	g := p.g
	hw, ohw, ow, pcw := g.H*g.W, p.oh*p.ow, p.ow, p.pcw
	// The flat run rounded up to whole vectors (no scalar tail in maxTapsZ):
	// the plane and the outputs get the slack its reads and writes need;
	// what lands past the last valid output is never read.
	n := roundUp(p.l-pcw+ow, 16)
	bl := max(p.bufLen, n+p.offT.hi)
	sc := getScratch(bl + n)
	defer putScratch(sc)
	buf, out := (*sc)[:bl], (*sc)[bl:bl+n]
	ninf := float32(math.Inf(-1))
	for i := range buf {
		buf[i] = ninf
	}
	arg := getArgScratch(n)
	defer argScratch.Put(arg)
	for ci := 0; ci < c; ci++ {
		p.layout(x[ci*hw:ci*hw+hw], buf)
		maxTapsZ(out, (*arg)[:n], buf, p.off, p.tapIdx32)
		vninf := archsimd.BroadcastFloat32x16(ninf) // after maxTapsZ's VZEROUPPER
		yc := y[ci*ohw : ci*ohw+ohw]
		var ic []int32
		if idx != nil {
			ic = idx[ci*ohw : ci*ohw+ohw]
		}
		for oy := 0; oy < p.oh; oy++ {
			br, ar := out[oy*pcw:oy*pcw+ow], (*arg)[oy*pcw:oy*pcw+ow]
			yr := yc[oy*ow : oy*ow+ow]
			slow := false
			j := 0
			for ; j+16 <= ow; j += 16 {
				v := archsimd.LoadFloat32x16Slice(br[j:])
				if v.Equal(vninf).ToBits() != 0 {
					slow = true
				}
				v.StoreSlice(yr[j:])
				if ic != nil {
					b := archsimd.LoadInt32x16Slice(p.idxBase[oy*ow+j:])
					archsimd.LoadInt32x16Slice(ar[j:]).Add(b).StoreSlice(ic[oy*ow+j:])
				}
			}
			for ; j < ow; j++ { // rows under 16 wide, and the rest of others
				yr[j] = br[j]
				slow = slow || br[j] == ninf
				if ic != nil {
					ic[oy*ow+j] = p.idxBase[oy*ow+j] + ar[j]
				}
			}
			if !slow {
				continue
			}
			for ox := range yr { // −Inf or NaN inputs: the padding may have won
				if yr[ox] == ninf {
					best, bt := p.maxPoolSlow(buf, oy, ox)
					yr[ox] = best
					if ic != nil {
						ic[oy*ow+ox] = p.idxBase[oy*ow+ox] + p.tapIdx32[bt]
					}
				}
			}
		}
	}
	archsimd.ClearAVXUpperBits()
}

// affineZ is affineGeneric on Float32x16 (Mul then Add: exact); the last
// len(src) mod 16 run the generic loop (see maxTapsZ on partial loads).
// Batch norm's element-wise passes load through pointers after one bounds
// check: slicing per vector (src[i:]) cost them 10-25% on a Xeon
// (BenchmarkBNPasses with the planes in cache).
func affineZ(dst, src []float32, a, b float32) {
	n := len(src)
	dst = dst[:n]
	n16 := n &^ 15
	if n16 > 0 {
		av, bv := archsimd.BroadcastFloat32x16(a), archsimd.BroadcastFloat32x16(b)
		ps, pd := unsafe.Pointer(&src[0]), unsafe.Pointer(&dst[0])
		for o := uintptr(0); o < uintptr(n16)*4; o += 64 {
			archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(ps, o))).Mul(av).Add(bv).Store((*[16]float32)(unsafe.Add(pd, o)))
		}
		archsimd.ClearAVXUpperBits()
	}
	affineGeneric(dst[n16:], src[n16:], a, b)
}

// affine2Z is affine2Generic on Float32x16 (same rounding).
func affine2Z(dst, x, y []float32, a, b, c float32) {
	n := len(x)
	dst, y = dst[:n], y[:n]
	n16 := n &^ 15
	if n16 > 0 {
		av, bv, cv := archsimd.BroadcastFloat32x16(a), archsimd.BroadcastFloat32x16(b), archsimd.BroadcastFloat32x16(c)
		px, py, pd := unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), unsafe.Pointer(&dst[0])
		for o := uintptr(0); o < uintptr(n16)*4; o += 64 {
			xv := archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(px, o)))
			yv := archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(py, o)))
			xv.Mul(av).Add(yv.Mul(bv)).Add(cv).Store((*[16]float32)(unsafe.Add(pd, o)))
		}
		archsimd.ClearAVXUpperBits()
	}
	affine2Generic(dst[n16:], x[n16:], y[n16:], a, b, c)
}

// addAffine2Z is addAffine2Generic on Float32x16 (same rounding order).
func addAffine2Z(dst, x, y []float32, a, b, c float32) {
	n := len(x)
	dst, y = dst[:n], y[:n]
	n16 := n &^ 15
	if n16 > 0 {
		av, bv, cv := archsimd.BroadcastFloat32x16(a), archsimd.BroadcastFloat32x16(b), archsimd.BroadcastFloat32x16(c)
		px, py, pd := unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), unsafe.Pointer(&dst[0])
		for o := uintptr(0); o < uintptr(n16)*4; o += 64 {
			xv := archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(px, o)))
			yv := archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(py, o)))
			d := (*[16]float32)(unsafe.Add(pd, o))
			archsimd.LoadFloat32x16(d).Add(xv.Mul(av).Add(yv.Mul(bv)).Add(cv)).Store(d)
		}
		archsimd.ClearAVXUpperBits()
	}
	addAffine2Generic(dst[n16:], x[n16:], y[n16:], a, b, c)
}

// sumDotZ is SumDot eight lanes wide in float64 (float32 loads widened with
// VCVTPS2PD; products of two float32 are exact in float64), four
// accumulator pairs over 32 elements, then one pair over 8: the generic
// result up to summation order.
func sumDotZ(x, y []float32) (s, d float64) {
	n := len(x)
	y = y[:n]
	n8 := n &^ 7
	if n8 == 0 {
		return sumDotGeneric(x, y)
	}
	px, py := unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0])
	ld := func(p unsafe.Pointer, o uintptr) archsimd.Float64x8 {
		return archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(p, o))).ConvertToFloat64()
	}
	var s0, s1, s2, s3, d0, d1, d2, d3 archsimd.Float64x8
	o, end := uintptr(0), uintptr(n8)*4
	for ; o+128 <= end; o += 128 {
		x0, x1, x2, x3 := ld(px, o), ld(px, o+32), ld(px, o+64), ld(px, o+96)
		s0, s1, s2, s3 = s0.Add(x0), s1.Add(x1), s2.Add(x2), s3.Add(x3)
		d0, d1 = x0.MulAdd(ld(py, o), d0), x1.MulAdd(ld(py, o+32), d1)
		d2, d3 = x2.MulAdd(ld(py, o+64), d2), x3.MulAdd(ld(py, o+96), d3)
	}
	for ; o < end; o += 32 {
		x0 := ld(px, o)
		s0, d0 = s0.Add(x0), x0.MulAdd(ld(py, o), d0)
	}
	var ls, lds [8]float64
	s0.Add(s1).Add(s2.Add(s3)).Store(&ls)
	d0.Add(d1).Add(d2.Add(d3)).Store(&lds)
	archsimd.ClearAVXUpperBits()
	ts, td := sumDotGeneric(x[n8:], y[n8:])
	s = ((ls[0] + ls[1]) + (ls[2] + ls[3])) + ((ls[4] + ls[5]) + (ls[6] + ls[7]))
	d = ((lds[0] + lds[1]) + (lds[2] + lds[3])) + ((lds[4] + lds[5]) + (lds[6] + lds[7]))
	return s + ts, d + td
}

// rowsReLUZ and rowsMaskedAddZ are in avx512_amd64.s.
//
//go:noescape
func rowsReLUZ(x, dst *float32, pos *int, rows, ldx, pad, n16 int, tail uint16, lim int) (ok bool)

//go:noescape
func rowsMaskedAddZ(src, x, dx *float32, pos *int, rows, ldx, pad, n16 int, tail uint16, lim int) (ok bool)

// rowsReLUAVX512 is rowsReLUAVX2 on zmm, each row in whole vectors and one
// masked tail (the AVX2 kernel took rows of 4 in scalar code, and its
// per-row slicing was a third of its time). Exact: the same max(x, +0).
// The kernel checks each row's position as it goes (a scan of pos first
// cost 1.3% of a reduced-config step).
func rowsReLUAVX512(x, dst []float32, pos []int, w, pad int) {
	if len(pos) == 0 || w == 0 {
		return
	}
	_ = x[len(pos)*w-1]
	if len(dst) < w || !rowsReLUZ(&x[0], &dst[0], &pos[0], len(pos), w, pad, w/16, uint16(1)<<(w%16)-1, len(dst)-w) {
		panic("kernels: rowsReLUAVX512: a row outside dst")
	}
}

// rowsMaskedAddAVX512 is rowsMaskedAddAVX2 on zmm, rowsReLUAVX512's adjoint.
func rowsMaskedAddAVX512(src, x, dx []float32, pos []int, w, pad int) {
	if len(pos) == 0 || w == 0 {
		return
	}
	_ = x[len(pos)*w-1]
	_ = dx[len(pos)*w-1]
	if len(src) < w || !rowsMaskedAddZ(&src[0], &x[0], &dx[0], &pos[0], len(pos), w, pad, w/16, uint16(1)<<(w%16)-1, len(src)-w) {
		panic("kernels: rowsMaskedAddAVX512: a row outside src")
	}
}

// rows2ReLUZ and rows2MaskedAddZ are in avx512_amd64.s.
//
//go:noescape
func rows2ReLUZ(x, dst *float32, pos *int, rows, ldx, eOff, oOff, n32 int, masks uint64, idx *int32, eLim, oLim int) (ok bool)

//go:noescape
func rows2MaskedAddZ(src, x, dx *float32, pos *int, rows, ldx, eOff, oOff, n32 int, masks uint64, idx *int32, eLim, oLim int) (ok bool)

// deinterleaveIdx picks the even lanes of a pair of zmm (then the odd
// ones); interleaveIdx merges an even and an odd vector back, first halves
// then second halves.
var deinterleaveIdx, interleaveIdx = func() (d, i [32]int32) {
	for k := range 16 {
		d[k], d[16+k] = int32(2*k), int32(2*k+1)
		i[2*(k%8)+16*(k/8)], i[2*(k%8)+1+16*(k/8)] = int32(k), int32(16+k)
	}
	return
}()

// rows2Masks returns the masks of a stride-2 row's last chunk of m < 32
// columns: its columns in the two halves, its even and its odd outputs
// (MASKS_K1_K4's K1-K4).
func rows2Masks(m int) uint64 {
	bits := func(n int) uint64 { return uint64(1)<<max(n, 0) - 1 }
	return bits(min(m, 16)) | bits(m-16)<<16 | bits((m+1)/2)<<32 | bits(m/2)<<48
}

// rows2ReLUAVX512 is layoutReLU's stride-2 rows (rows2ReLUGeneric) a plane
// at a time on zmm. Exact: the same max(x, +0).
func rows2ReLUAVX512(x, dst []float32, pos []int, w, eOff, oOff int) {
	if len(pos) == 0 || w == 0 {
		return
	}
	_ = x[len(pos)*w-1]
	if len(dst) < (w+1)/2 || !rows2ReLUZ(&x[0], &dst[0], &pos[0], len(pos), w, eOff, oOff, w/32, rows2Masks(w%32),
		&deinterleaveIdx[0], len(dst)-(w+1)/2, len(dst)-w/2) {
		panic("kernels: rows2ReLUAVX512: a row outside dst")
	}
}

// rows2MaskedAddAVX512 is rows2ReLUAVX512's adjoint (addBackMasked's
// stride-2 rows).
func rows2MaskedAddAVX512(src, x, dx []float32, pos []int, w, eOff, oOff int) {
	if len(pos) == 0 || w == 0 {
		return
	}
	_ = x[len(pos)*w-1]
	_ = dx[len(pos)*w-1]
	if len(src) < (w+1)/2 || !rows2MaskedAddZ(&src[0], &x[0], &dx[0], &pos[0], len(pos), w, eOff, oOff, w/32, rows2Masks(w%32),
		&interleaveIdx[0], len(src)-(w+1)/2, len(src)-w/2) {
		panic("kernels: rows2MaskedAddAVX512: a row outside src")
	}
}

// addZ is addAVX2 on Float32x16 (64 floats per pass, then 16): exact like
// addGeneric.
func addZ(x, y []float32) {
	n := len(x)
	y = y[:n]
	n16 := n &^ 15
	if n16 > 0 {
		px, py := unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0])
		ld := func(p unsafe.Pointer, o uintptr) archsimd.Float32x16 {
			return archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(p, o)))
		}
		st := func(v archsimd.Float32x16, o uintptr) { v.Store((*[16]float32)(unsafe.Add(py, o))) }
		o, end := uintptr(0), uintptr(n16)*4
		for ; o+256 <= end; o += 256 {
			y0, y1, y2, y3 := ld(py, o).Add(ld(px, o)), ld(py, o+64).Add(ld(px, o+64)), ld(py, o+128).Add(ld(px, o+128)), ld(py, o+192).Add(ld(px, o+192))
			st(y0, o)
			st(y1, o+64)
			st(y2, o+128)
			st(y3, o+192)
		}
		for ; o < end; o += 64 {
			st(ld(py, o).Add(ld(px, o)), o)
		}
		archsimd.ClearAVXUpperBits()
	}
	for i := n16; i < n; i++ {
		y[i] += x[i]
	}
}
