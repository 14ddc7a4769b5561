//go:build goexperiment.simd && amd64 && !noasm

package kernels

import (
	"math"
	"simd/archsimd"
)

var (
	gemmAVX2     = &packedGemm{mr: 6, nr: 16, mc: 96, kc: 256, nc: 2048, kern: kernelAVX2Asm, set: kernelAVX2AsmSet}
	gemmAVX2SIMD = &packedGemm{mr: 4, nr: 16, mc: 128, kc: 256, nc: 2048, kern: kernelAVX2}
	gemmAVX512   = &packedGemm{mr: 4, nr: 32, mc: 128, kc: 256, nc: 2048, kern: kernelAVX512}
)

func init() {
	if archsimd.X86.AVX2() && archsimd.X86.FMA() {
		testGemms["avx2-asm"], testGemms["avx2-archsimd"] = gemmAVX2, gemmAVX2SIMD
	}
	if archsimd.X86.AVX512() {
		testGemms["avx512-archsimd"] = gemmAVX512
	}
	switch {
	case archsimd.X86.AVX512():
		fastName = "avx512"
		// GEMM keeps the AVX2 assembly kernel: it runs at ~peak FMA rate here,
		// while archsimd kernels lose about half to register copies (see
		// kernel_asm_amd64.go); gemmAVX512 stays a test/benchmark candidate.
		fastInstall = func() { install(gemmAVX2, dotAVX512, axpyAVX512) }
	case archsimd.X86.AVX2() && archsimd.X86.FMA():
		fastName = "avx2"
		fastInstall = func() { install(gemmAVX2, dotAVX2, axpyAVX2) }
	}
	SetFastPath(true)
}

// install points the dispatch variables at one fast kernel set.
func install(g *packedGemm, dot func(x, y []float32) float32, axpy func(a float32, x, y []float32)) {
	gemmNNImpl = func(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
		g.gemm(false, false, m, n, k, a, lda, b, ldb, beta, c, ldc)
	}
	gemmNTImpl = func(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
		g.gemm(false, true, m, n, k, a, lda, b, ldb, beta, c, ldc)
	}
	gemmTNImpl = func(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
		g.gemm(true, false, m, n, k, a, lda, b, ldb, beta, c, ldc)
	}
	addImpl, dotImpl, axpyImpl = addAVX2, dot, axpy
	packBT8Impl = packBT8AVX2
	corrImpl, dotTapsImpl, maxTapsImpl = corrAVX2, dotTapsAVX2, maxTapsAVX2
	reluImpl, reluBackwardImpl, affineImpl, addAffine2Impl = reluAVX2, reluBackwardAVX2, affineAVX2, addAffine2AVX2
	sumDotImpl, affine2Impl, sumDotBlocksImpl = sumDotAVX2, affine2AVX2, sumDotBlocksAVX2
	deinterleaveReLU2Impl = deinterleaveReLU2AVX2
	rowsReLUImpl, rowsMaskedAddImpl = rowsReLUAVX2, rowsMaskedAddAVX2
	interleaveMaskedAdd2Impl = interleaveMaskedAdd2AVX2
	depthwiseImpl = func(x, w []float32, c int, g Geom, y []float32) { depthwisePlanar(corrAVX2, x, w, c, g, y, false) }
	depthwiseBackwardImpl = func(x, w, dy []float32, c int, g Geom, dx, dw []float32) {
		depthwiseBackwardPlanar(corrAVX2, dotTapsAVX2, x, w, dy, c, g, dx, dw)
	}
}

// packBT8AVX2 is packBT8Generic with 8×8 register transposes (two rounds
// of VSHUFPS within 128-bit lanes, then VPERM2F128 across them); exact.
func packBT8AVX2(pan []float32, nr int, b []float32, ldb, kc int) {
	_ = b[7*ldb+kc-1]
	p := 0
	for ; p+8 <= kc; p += 8 {
		r0 := archsimd.LoadFloat32x8Slice(b[p:])
		r1 := archsimd.LoadFloat32x8Slice(b[ldb+p:])
		r2 := archsimd.LoadFloat32x8Slice(b[2*ldb+p:])
		r3 := archsimd.LoadFloat32x8Slice(b[3*ldb+p:])
		r4 := archsimd.LoadFloat32x8Slice(b[4*ldb+p:])
		r5 := archsimd.LoadFloat32x8Slice(b[5*ldb+p:])
		r6 := archsimd.LoadFloat32x8Slice(b[6*ldb+p:])
		r7 := archsimd.LoadFloat32x8Slice(b[7*ldb+p:])
		// per lane: s01 = {r0[0] r0[1] r1[0] r1[1]}, s01h = {r0[2] r0[3] r1[2] r1[3]}, ...
		s01, s01h := r0.SelectFromPairGrouped(0, 1, 4, 5, r1), r0.SelectFromPairGrouped(2, 3, 6, 7, r1)
		s23, s23h := r2.SelectFromPairGrouped(0, 1, 4, 5, r3), r2.SelectFromPairGrouped(2, 3, 6, 7, r3)
		s45, s45h := r4.SelectFromPairGrouped(0, 1, 4, 5, r5), r4.SelectFromPairGrouped(2, 3, 6, 7, r5)
		s67, s67h := r6.SelectFromPairGrouped(0, 1, 4, 5, r7), r6.SelectFromPairGrouped(2, 3, 6, 7, r7)
		// t_c (rows 0-3) and u_c (rows 4-7): column c in the low lane, c+4 in the high lane
		t0, t1 := s01.SelectFromPairGrouped(0, 2, 4, 6, s23), s01.SelectFromPairGrouped(1, 3, 5, 7, s23)
		t2, t3 := s01h.SelectFromPairGrouped(0, 2, 4, 6, s23h), s01h.SelectFromPairGrouped(1, 3, 5, 7, s23h)
		u0, u1 := s45.SelectFromPairGrouped(0, 2, 4, 6, s67), s45.SelectFromPairGrouped(1, 3, 5, 7, s67)
		u2, u3 := s45h.SelectFromPairGrouped(0, 2, 4, 6, s67h), s45h.SelectFromPairGrouped(1, 3, 5, 7, s67h)
		d := pan[p*nr:]
		t0.Select128FromPair(0, 2, u0).StoreSlice(d[0:8])
		t1.Select128FromPair(0, 2, u1).StoreSlice(d[nr : nr+8])
		t2.Select128FromPair(0, 2, u2).StoreSlice(d[2*nr : 2*nr+8])
		t3.Select128FromPair(0, 2, u3).StoreSlice(d[3*nr : 3*nr+8])
		t0.Select128FromPair(1, 3, u0).StoreSlice(d[4*nr : 4*nr+8])
		t1.Select128FromPair(1, 3, u1).StoreSlice(d[5*nr : 5*nr+8])
		t2.Select128FromPair(1, 3, u2).StoreSlice(d[6*nr : 6*nr+8])
		t3.Select128FromPair(1, 3, u3).StoreSlice(d[7*nr : 7*nr+8])
	}
	archsimd.ClearAVXUpperBits()
	if p < kc {
		packBT8Generic(pan[p*nr:], nr, b[p:], ldb, kc-p)
	}
}

// addAVX2 is Add (y += x) on Float32x8, 32 floats per pass; exact like
// addGeneric. Col2imFlat folds every tap's column row in with it.
func addAVX2(x, y []float32) {
	n := len(x)
	y = y[:n]
	i := 0
	for ; i+32 <= n; i += 32 {
		y0, y1, y2, y3 := y[i:i+8], y[i+8:i+16], y[i+16:i+24], y[i+24:i+32]
		archsimd.LoadFloat32x8Slice(y0).Add(archsimd.LoadFloat32x8Slice(x[i:])).StoreSlice(y0)
		archsimd.LoadFloat32x8Slice(y1).Add(archsimd.LoadFloat32x8Slice(x[i+8:])).StoreSlice(y1)
		archsimd.LoadFloat32x8Slice(y2).Add(archsimd.LoadFloat32x8Slice(x[i+16:])).StoreSlice(y2)
		archsimd.LoadFloat32x8Slice(y3).Add(archsimd.LoadFloat32x8Slice(x[i+24:])).StoreSlice(y3)
	}
	for ; i+8 <= n; i += 8 {
		y0 := y[i : i+8]
		archsimd.LoadFloat32x8Slice(y0).Add(archsimd.LoadFloat32x8Slice(x[i:])).StoreSlice(y0)
	}
	archsimd.ClearAVXUpperBits()
	for ; i < n; i++ {
		y[i] += x[i]
	}
}

// dotAVX2 is Dot with four Float32x8 accumulators (lanes added at the end).
func dotAVX2(x, y []float32) float32 {
	n := len(x)
	y = y[:n]
	if n < 16 { // short rows (depthwise): the scalar loop, no AVX state to clear
		return dotGeneric(x, y)
	}
	var s0, s1, s2, s3 archsimd.Float32x8
	i := 0
	for ; i+32 <= n; i += 32 {
		s0 = archsimd.LoadFloat32x8Slice(x[i:]).MulAdd(archsimd.LoadFloat32x8Slice(y[i:]), s0)
		s1 = archsimd.LoadFloat32x8Slice(x[i+8:]).MulAdd(archsimd.LoadFloat32x8Slice(y[i+8:]), s1)
		s2 = archsimd.LoadFloat32x8Slice(x[i+16:]).MulAdd(archsimd.LoadFloat32x8Slice(y[i+16:]), s2)
		s3 = archsimd.LoadFloat32x8Slice(x[i+24:]).MulAdd(archsimd.LoadFloat32x8Slice(y[i+24:]), s3)
	}
	for ; i+8 <= n; i += 8 {
		s0 = archsimd.LoadFloat32x8Slice(x[i:]).MulAdd(archsimd.LoadFloat32x8Slice(y[i:]), s0)
	}
	var lanes [8]float32
	s0.Add(s1).Add(s2.Add(s3)).Store(&lanes)
	archsimd.ClearAVXUpperBits()
	var s float32
	for _, v := range lanes {
		s += v
	}
	for ; i < n; i++ {
		s += x[i] * y[i]
	}
	return s
}

// axpyAVX2 is Axpy on Float32x8; Mul then Add (no FMA), so it rounds exactly
// like axpyGeneric.
func axpyAVX2(a float32, x, y []float32) {
	n := len(x)
	y = y[:n]
	if n < 16 {
		axpyGeneric(a, x, y)
		return
	}
	av := archsimd.BroadcastFloat32x8(a)
	i := 0
	for ; i+16 <= n; i += 16 {
		y0, y1 := y[i:i+8], y[i+8:i+16]
		archsimd.LoadFloat32x8Slice(x[i:]).Mul(av).Add(archsimd.LoadFloat32x8Slice(y0)).StoreSlice(y0)
		archsimd.LoadFloat32x8Slice(x[i+8:]).Mul(av).Add(archsimd.LoadFloat32x8Slice(y1)).StoreSlice(y1)
	}
	for ; i+8 <= n; i += 8 {
		y0 := y[i : i+8]
		archsimd.LoadFloat32x8Slice(x[i:]).Mul(av).Add(archsimd.LoadFloat32x8Slice(y0)).StoreSlice(y0)
	}
	archsimd.ClearAVXUpperBits()
	for ; i < n; i++ {
		y[i] += a * x[i]
	}
}

// dotAVX512 is Dot with four Float32x16 accumulators.
func dotAVX512(x, y []float32) float32 {
	n := len(x)
	y = y[:n]
	if n < 16 {
		return dotGeneric(x, y)
	}
	var s0, s1, s2, s3 archsimd.Float32x16
	i := 0
	for ; i+64 <= n; i += 64 {
		s0 = archsimd.LoadFloat32x16Slice(x[i:]).MulAdd(archsimd.LoadFloat32x16Slice(y[i:]), s0)
		s1 = archsimd.LoadFloat32x16Slice(x[i+16:]).MulAdd(archsimd.LoadFloat32x16Slice(y[i+16:]), s1)
		s2 = archsimd.LoadFloat32x16Slice(x[i+32:]).MulAdd(archsimd.LoadFloat32x16Slice(y[i+32:]), s2)
		s3 = archsimd.LoadFloat32x16Slice(x[i+48:]).MulAdd(archsimd.LoadFloat32x16Slice(y[i+48:]), s3)
	}
	for ; i+16 <= n; i += 16 {
		s0 = archsimd.LoadFloat32x16Slice(x[i:]).MulAdd(archsimd.LoadFloat32x16Slice(y[i:]), s0)
	}
	var lanes [16]float32
	s0.Add(s1).Add(s2.Add(s3)).Store(&lanes)
	archsimd.ClearAVXUpperBits()
	var s float32
	for _, v := range lanes {
		s += v
	}
	for ; i < n; i++ {
		s += x[i] * y[i]
	}
	return s
}

// axpyAVX512 is Axpy on Float32x16 (Mul then Add: exact vs axpyGeneric).
func axpyAVX512(a float32, x, y []float32) {
	n := len(x)
	y = y[:n]
	if n < 16 {
		axpyGeneric(a, x, y)
		return
	}
	av := archsimd.BroadcastFloat32x16(a)
	i := 0
	for ; i+16 <= n; i += 16 {
		y0 := y[i : i+16]
		archsimd.LoadFloat32x16Slice(x[i:]).Mul(av).Add(archsimd.LoadFloat32x16Slice(y0)).StoreSlice(y0)
	}
	for ; i+8 <= n; i += 8 {
		y0 := y[i : i+8]
		archsimd.LoadFloat32x8Slice(x[i:]).Mul(av.GetLo()).Add(archsimd.LoadFloat32x8Slice(y0)).StoreSlice(y0)
	}
	archsimd.ClearAVXUpperBits()
	for ; i < n; i++ {
		y[i] += a * x[i]
	}
}

// corrAVX2 is corrGeneric on Float32x8, 32 flat outputs per pass held in
// four registers across all taps (Mul then Add: exact vs corrGeneric).
func corrAVX2(out, in, w []float32, off []int) {
	n := len(out)
	w = w[:len(off)]
	if n < 16 {
		corrTail(out, in, w, off, 0)
		return
	}
	j := 0
	if nb := n / 64; nb > 0 && len(off) > 0 {
		// every read in[j+off[t]+i], j+i < 64·nb, must be inside in
		maxOff := 0
		for _, o := range off {
			if o < 0 {
				maxOff = -1
				break
			}
			maxOff = max(maxOff, o)
		}
		if maxOff >= 0 && 64*nb+maxOff <= len(in) {
			corr64(nb, &out[0], &in[0], &w[0], &off[0], len(off))
			j = 64 * nb
		}
	}
	for ; j+32 <= n; j += 32 {
		var s0, s1, s2, s3 archsimd.Float32x8
		for t, o := range off {
			wt := archsimd.BroadcastFloat32x8(w[t])
			x := in[j+o : j+o+32]
			s0 = s0.Add(wt.Mul(archsimd.LoadFloat32x8Slice(x)))
			s1 = s1.Add(wt.Mul(archsimd.LoadFloat32x8Slice(x[8:])))
			s2 = s2.Add(wt.Mul(archsimd.LoadFloat32x8Slice(x[16:])))
			s3 = s3.Add(wt.Mul(archsimd.LoadFloat32x8Slice(x[24:])))
		}
		o := out[j : j+32]
		s0.StoreSlice(o)
		s1.StoreSlice(o[8:])
		s2.StoreSlice(o[16:])
		s3.StoreSlice(o[24:])
	}
	for ; j+8 <= n; j += 8 {
		var s0 archsimd.Float32x8
		for t, o := range off {
			s0 = s0.Add(archsimd.BroadcastFloat32x8(w[t]).Mul(archsimd.LoadFloat32x8Slice(in[j+o:])))
		}
		s0.StoreSlice(out[j : j+8])
	}
	archsimd.ClearAVXUpperBits()
	corrTail(out, in, w, off, j)
}

// reluAVX2 is reluGeneric on Float32x8 (lanes > 0 kept, others zeroed).
func reluAVX2(dst, src []float32) {
	n := len(src)
	dst = dst[:n]
	var zero archsimd.Float32x8
	i := 0
	for ; i+8 <= n; i += 8 {
		v := archsimd.LoadFloat32x8Slice(src[i:])
		v.Masked(v.Greater(zero)).StoreSlice(dst[i:])
	}
	archsimd.ClearAVXUpperBits()
	reluGeneric(dst[i:], src[i:])
}

// reluBackwardAVX2 is reluBackwardGeneric on Float32x8.
func reluBackwardAVX2(y, dy, dx []float32) {
	n := len(y)
	dy, dx = dy[:n], dx[:n]
	var zero archsimd.Float32x8
	i := 0
	for ; i+8 <= n; i += 8 {
		m := archsimd.LoadFloat32x8Slice(y[i:]).Greater(zero)
		d := archsimd.LoadFloat32x8Slice(dy[i:]).Masked(m)
		archsimd.LoadFloat32x8Slice(dx[i:]).Add(d).StoreSlice(dx[i:])
	}
	archsimd.ClearAVXUpperBits()
	reluBackwardGeneric(y[i:], dy[i:], dx[i:])
}

// affineAVX2 is affineGeneric on Float32x8 (Mul then Add: exact).
func affineAVX2(dst, src []float32, a, b float32) {
	n := len(src)
	dst = dst[:n]
	av, bv := archsimd.BroadcastFloat32x8(a), archsimd.BroadcastFloat32x8(b)
	i := 0
	for ; i+8 <= n; i += 8 {
		archsimd.LoadFloat32x8Slice(src[i:]).Mul(av).Add(bv).StoreSlice(dst[i:])
	}
	archsimd.ClearAVXUpperBits()
	affineGeneric(dst[i:], src[i:], a, b)
}

// addAffine2AVX2 is addAffine2Generic on Float32x8 (same rounding order).
func addAffine2AVX2(dst, x, y []float32, a, b, c float32) {
	n := len(x)
	dst, y = dst[:n], y[:n]
	av, bv, cv := archsimd.BroadcastFloat32x8(a), archsimd.BroadcastFloat32x8(b), archsimd.BroadcastFloat32x8(c)
	i := 0
	for ; i+8 <= n; i += 8 {
		s := archsimd.LoadFloat32x8Slice(x[i:]).Mul(av).Add(archsimd.LoadFloat32x8Slice(y[i:]).Mul(bv)).Add(cv)
		archsimd.LoadFloat32x8Slice(dst[i:]).Add(s).StoreSlice(dst[i:])
	}
	archsimd.ClearAVXUpperBits()
	addAffine2Generic(dst[i:], x[i:], y[i:], a, b, c)
}

// deinterleaveReLU2AVX2 writes max(x[j], 0) for the even j of row x to e
// and for the odd j to o (len(x) = 2·len(e) or 2·len(e)−1 ≤ 2·len(o)+1),
// 16 columns per step: the stride-2 planar layout of a rectified row. It
// returns how many leading columns of x it handled (a multiple of 16).
func deinterleaveReLU2AVX2(x, e, o []float32) int {
	perm := archsimd.LoadInt32x8(&pool2x2Perm).AsUint32x8()
	var zero archsimd.Float32x8
	j := 0
	for ; j+16 <= len(x) && j/2+8 <= len(e) && j/2+8 <= len(o); j += 16 {
		a, b := archsimd.LoadFloat32x8Slice(x[j:j+8]), archsimd.LoadFloat32x8Slice(x[j+8:j+16])
		a, b = a.Masked(a.Greater(zero)), b.Masked(b.Greater(zero))
		a.SelectFromPairGrouped(0, 2, 4, 6, b).Permute(perm).StoreSlice(e[j/2 : j/2+8])
		a.SelectFromPairGrouped(1, 3, 5, 7, b).Permute(perm).StoreSlice(o[j/2 : j/2+8])
	}
	archsimd.ClearAVXUpperBits()
	return j
}

// rowsReLUAVX2 copies max(x, 0) of rows of w floats (x rows w apart) to
// dst rows pitch apart, for the rows of pos: dst[pos[r] + i] for i < w.
// One call per plane instead of one per row (rows of 8–32 floats).
func rowsReLUAVX2(x, dst []float32, pos []int, w, pad int) {
	var zero archsimd.Float32x8
	w8 := w &^ 7
	for r, rp := range pos {
		xr, dr := x[r*w:r*w+w], dst[rp+pad:rp+pad+w]
		i := 0
		for ; i < w8; i += 8 {
			v := archsimd.LoadFloat32x8Slice(xr[i : i+8])
			v.Masked(v.Greater(zero)).StoreSlice(dr[i : i+8])
		}
		for ; i < w; i++ {
			v := xr[i]
			dr[i] = math.Float32frombits(math.Float32bits(v) & posMask(v))
		}
	}
	archsimd.ClearAVXUpperBits()
}

// rowsMaskedAddAVX2 is the adjoint of rowsReLUAVX2's copy with the ReLU
// mask: dx row r [i] += src[pos[r]+pad+i] where x row r [i] > 0.
func rowsMaskedAddAVX2(src, x, dx []float32, pos []int, w, pad int) {
	var zero archsimd.Float32x8
	w8 := w &^ 7
	for r, rp := range pos {
		xr, dr, sr := x[r*w:r*w+w], dx[r*w:r*w+w], src[rp+pad:rp+pad+w]
		i := 0
		for ; i < w8; i += 8 {
			m := archsimd.LoadFloat32x8Slice(xr[i : i+8]).Greater(zero)
			d := archsimd.LoadFloat32x8Slice(sr[i : i+8]).Masked(m)
			archsimd.LoadFloat32x8Slice(dr[i : i+8]).Add(d).StoreSlice(dr[i : i+8])
		}
		for ; i < w; i++ {
			dr[i] += math.Float32frombits(math.Float32bits(sr[i]) & posMask(xr[i]))
		}
	}
	archsimd.ClearAVXUpperBits()
}

// interleavePerm puts [e0,e1,o0,o1,e2,e3,o2,o3] in the order e0,o0,e1,o1,….
var interleavePerm = [8]int32{0, 2, 1, 3, 4, 6, 5, 7}

// interleaveMaskedAdd2AVX2 is the adjoint of deinterleaveReLU2AVX2:
// dx[j] += (j even ? e[j/2] : o[j/2]) where x[j] > 0, 16 columns per step.
// It returns how many leading columns it handled (a multiple of 16).
func interleaveMaskedAdd2AVX2(e, o, x, dx []float32) int {
	perm := archsimd.LoadInt32x8(&interleavePerm).AsUint32x8()
	var zero archsimd.Float32x8
	j := 0
	for ; j+16 <= len(x) && j+16 <= len(dx) && j/2+8 <= len(e) && j/2+8 <= len(o); j += 16 {
		ev, ov := archsimd.LoadFloat32x8Slice(e[j/2:j/2+8]), archsimd.LoadFloat32x8Slice(o[j/2:j/2+8])
		lo := ev.SelectFromPairGrouped(0, 1, 4, 5, ov) // [e0 e1 o0 o1 | e4 e5 o4 o5]
		hi := ev.SelectFromPairGrouped(2, 3, 6, 7, ov) // [e2 e3 o2 o3 | e6 e7 o6 o7]
		v0 := lo.Select128FromPair(0, 2, hi).Permute(perm)
		v1 := lo.Select128FromPair(1, 3, hi).Permute(perm)
		m0 := archsimd.LoadFloat32x8Slice(x[j : j+8]).Greater(zero)
		m1 := archsimd.LoadFloat32x8Slice(x[j+8 : j+16]).Greater(zero)
		archsimd.LoadFloat32x8Slice(dx[j : j+8]).Add(v0.Masked(m0)).StoreSlice(dx[j : j+8])
		archsimd.LoadFloat32x8Slice(dx[j+8 : j+16]).Add(v1.Masked(m1)).StoreSlice(dx[j+8 : j+16])
	}
	archsimd.ClearAVXUpperBits()
	return j
}

// sumDotAVX2 is SumDot four lanes wide in float64 (float32 loads widened
// with VCVTPS2PD; products of two float32 are exact in float64), two
// accumulator pairs: the generic result up to summation order.
func sumDotAVX2(x, y []float32) (s, d float64) {
	n := len(x)
	y = y[:n]
	var s0, s1, d0, d1 archsimd.Float64x4
	i := 0
	for ; i+8 <= n; i += 8 {
		x0, x1 := archsimd.LoadFloat32x4Slice(x[i:]).ConvertToFloat64(), archsimd.LoadFloat32x4Slice(x[i+4:]).ConvertToFloat64()
		y0, y1 := archsimd.LoadFloat32x4Slice(y[i:]).ConvertToFloat64(), archsimd.LoadFloat32x4Slice(y[i+4:]).ConvertToFloat64()
		s0, s1 = s0.Add(x0), s1.Add(x1)
		d0, d1 = x0.MulAdd(y0, d0), x1.MulAdd(y1, d1)
	}
	var ls, ld [4]float64
	s0.Add(s1).Store(&ls)
	d0.Add(d1).Store(&ld)
	archsimd.ClearAVXUpperBits()
	ts, td := sumDotGeneric(x[i:], y[i:])
	return ((ls[0] + ls[1]) + (ls[2] + ls[3])) + ts, ((ld[0] + ld[1]) + (ld[2] + ld[3])) + td
}

// sumDotBlocksAVX2 is SumDotBlocks: four float32 accumulator pairs (FMA for
// the products) over blocks of 128, each block's lanes added in float64.
func sumDotBlocksAVX2(x, y []float32) (s, d float64) {
	n := len(x)
	y = y[:n]
	i := 0
	var ls, ld [8]float32
	for i+32 <= n {
		end := min(i+128, n&^31)
		var s0, s1, s2, s3, d0, d1, d2, d3 archsimd.Float32x8
		for ; i < end; i += 32 {
			x0, x1 := archsimd.LoadFloat32x8Slice(x[i:i+8]), archsimd.LoadFloat32x8Slice(x[i+8:i+16])
			x2, x3 := archsimd.LoadFloat32x8Slice(x[i+16:i+24]), archsimd.LoadFloat32x8Slice(x[i+24:i+32])
			s0, s1, s2, s3 = s0.Add(x0), s1.Add(x1), s2.Add(x2), s3.Add(x3)
			d0 = x0.MulAdd(archsimd.LoadFloat32x8Slice(y[i:i+8]), d0)
			d1 = x1.MulAdd(archsimd.LoadFloat32x8Slice(y[i+8:i+16]), d1)
			d2 = x2.MulAdd(archsimd.LoadFloat32x8Slice(y[i+16:i+24]), d2)
			d3 = x3.MulAdd(archsimd.LoadFloat32x8Slice(y[i+24:i+32]), d3)
		}
		s0.Add(s1).Add(s2.Add(s3)).Store(&ls)
		d0.Add(d1).Add(d2.Add(d3)).Store(&ld)
		for k := range ls {
			s += float64(ls[k])
			d += float64(ld[k])
		}
	}
	archsimd.ClearAVXUpperBits()
	ts, td := sumDotGeneric(x[i:], y[i:])
	return s + ts, d + td
}

// affine2AVX2 is affine2Generic on Float32x8 (same rounding).
func affine2AVX2(dst, x, y []float32, a, b, c float32) {
	n := len(x)
	dst, y = dst[:n], y[:n]
	av, bv, cv := archsimd.BroadcastFloat32x8(a), archsimd.BroadcastFloat32x8(b), archsimd.BroadcastFloat32x8(c)
	i := 0
	for ; i+8 <= n; i += 8 {
		archsimd.LoadFloat32x8Slice(x[i:]).Mul(av).Add(archsimd.LoadFloat32x8Slice(y[i:]).Mul(bv)).Add(cv).StoreSlice(dst[i:])
	}
	archsimd.ClearAVXUpperBits()
	affine2Generic(dst[i:], x[i:], y[i:], a, b, c)
}

// dotTapsAVX2 is DotTaps four taps at a time, sharing each load of q
// (FMA accumulators: agrees with dotTapsGeneric to rounding).
func dotTapsAVX2(in []float32, off []int, q, acc []float32) {
	n := len(q)
	acc = acc[:len(off)]
	if n < 16 {
		dotTapsGeneric(in, off, q, acc)
		return
	}
	t := 0
	if n8 := n &^ 7; n8 > 0 {
		var lanes [64]float32
		for ; t+8 <= len(off); t += 8 {
			for _, o := range off[t : t+8] {
				_ = in[o : o+n] // bounds: every tap's run is inside in
			}
			dotTaps8(n8, &in[0], &off[t], &q[0], &lanes[0])
			for k := 0; k < 8; k++ {
				var a float32
				for _, v := range lanes[8*k : 8*k+8] {
					a += v
				}
				x := in[off[t+k]:]
				for j := n8; j < n; j++ {
					a += x[j] * q[j]
				}
				acc[t+k] += a
			}
		}
	}
	for ; t+4 <= len(off); t += 4 {
		x0, x1, x2, x3 := in[off[t]:off[t]+n], in[off[t+1]:off[t+1]+n], in[off[t+2]:off[t+2]+n], in[off[t+3]:off[t+3]+n]
		var s0, s1, s2, s3 archsimd.Float32x8
		j := 0
		for ; j+8 <= n; j += 8 {
			qv := archsimd.LoadFloat32x8Slice(q[j:])
			s0 = archsimd.LoadFloat32x8Slice(x0[j:]).MulAdd(qv, s0)
			s1 = archsimd.LoadFloat32x8Slice(x1[j:]).MulAdd(qv, s1)
			s2 = archsimd.LoadFloat32x8Slice(x2[j:]).MulAdd(qv, s2)
			s3 = archsimd.LoadFloat32x8Slice(x3[j:]).MulAdd(qv, s3)
		}
		var l0, l1, l2, l3 [8]float32
		s0.Store(&l0)
		s1.Store(&l1)
		s2.Store(&l2)
		s3.Store(&l3)
		archsimd.ClearAVXUpperBits()
		var a0, a1, a2, a3 float32
		for k := 0; k < 8; k++ {
			a0, a1, a2, a3 = a0+l0[k], a1+l1[k], a2+l2[k], a3+l3[k]
		}
		for ; j < n; j++ {
			a0 += x0[j] * q[j]
			a1 += x1[j] * q[j]
			a2 += x2[j] * q[j]
			a3 += x3[j] * q[j]
		}
		acc[t], acc[t+1], acc[t+2], acc[t+3] = acc[t]+a0, acc[t+1]+a1, acc[t+2]+a2, acc[t+3]+a3
	}
	for ; t < len(off); t++ {
		acc[t] += dotAVX2(in[off[t]:off[t]+n], q)
	}
}

// maxTapsAVX2 is maxTapsGeneric on Float32x8 with the winning tap kept in an
// Int32x8 (strict Greater then Merge: the same first-wins ties, exact).
func maxTapsAVX2(out []float32, arg []int32, in []float32, off []int) {
	n := len(out)
	arg = arg[:n]
	j := 0
	for ; j+8 <= n; j += 8 {
		best := archsimd.LoadFloat32x8Slice(in[j+off[0]:])
		var bt archsimd.Int32x8
		for t := 1; t < len(off); t++ {
			v := archsimd.LoadFloat32x8Slice(in[j+off[t]:])
			m := v.Greater(best)
			best = v.Merge(best, m)
			bt = archsimd.BroadcastInt32x8(int32(t)).Merge(bt, m)
		}
		best.StoreSlice(out[j:])
		bt.StoreSlice(arg[j:])
	}
	archsimd.ClearAVXUpperBits()
	if j < n {
		maxTapsGeneric(out[j:], arg[j:], in[j:], off)
	}
}
