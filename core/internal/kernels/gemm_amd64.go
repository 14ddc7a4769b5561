//go:build goexperiment.simd && amd64 && !noasm

// The two micro-kernels are written from one template (mr=4 rows × 2 vectors):
// change them together.

package kernels

import (
	"simd/archsimd"
	"unsafe"
)

// kernelAVX2 is the 4×16 micro-kernel on Float32x8 (see microKernel).
func kernelAVX2(kc int, a, b, c []float32, ldc int) {
	if kc <= 0 {
		return
	}
	_ = a[kc*4-1]
	_ = b[kc*16-1]
	_ = c[3*ldc+15]
	pa, pb := unsafe.Pointer(&a[0]), unsafe.Pointer(&b[0])
	var c00, c01, c10, c11, c20, c21, c30, c31 archsimd.Float32x8
	for p := 0; p < kc; p++ {
		b0 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(pb, 0)))
		b1 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(pb, 32)))
		a0 := archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(pa, 0)))
		c00 = a0.MulAdd(b0, c00)
		c01 = a0.MulAdd(b1, c01)
		a1 := archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(pa, 4)))
		c10 = a1.MulAdd(b0, c10)
		c11 = a1.MulAdd(b1, c11)
		a2 := archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(pa, 8)))
		c20 = a2.MulAdd(b0, c20)
		c21 = a2.MulAdd(b1, c21)
		a3 := archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Add(pa, 12)))
		c30 = a3.MulAdd(b0, c30)
		c31 = a3.MulAdd(b1, c31)
		if p == kc-1 {
			break // no pointer past the end of a or b: checkptr (-race) refuses one
		}
		pa = unsafe.Add(pa, 16)
		pb = unsafe.Add(pb, 64)
	}
	r00 := c[0*ldc+0 : 0*ldc+8]
	archsimd.LoadFloat32x8Slice(r00).Add(c00).StoreSlice(r00)
	r01 := c[0*ldc+8 : 0*ldc+16]
	archsimd.LoadFloat32x8Slice(r01).Add(c01).StoreSlice(r01)
	r10 := c[1*ldc+0 : 1*ldc+8]
	archsimd.LoadFloat32x8Slice(r10).Add(c10).StoreSlice(r10)
	r11 := c[1*ldc+8 : 1*ldc+16]
	archsimd.LoadFloat32x8Slice(r11).Add(c11).StoreSlice(r11)
	r20 := c[2*ldc+0 : 2*ldc+8]
	archsimd.LoadFloat32x8Slice(r20).Add(c20).StoreSlice(r20)
	r21 := c[2*ldc+8 : 2*ldc+16]
	archsimd.LoadFloat32x8Slice(r21).Add(c21).StoreSlice(r21)
	r30 := c[3*ldc+0 : 3*ldc+8]
	archsimd.LoadFloat32x8Slice(r30).Add(c30).StoreSlice(r30)
	r31 := c[3*ldc+8 : 3*ldc+16]
	archsimd.LoadFloat32x8Slice(r31).Add(c31).StoreSlice(r31)
	archsimd.ClearAVXUpperBits()
}

// kernelAVX512 is the 4×32 micro-kernel on Float32x16 (see microKernel).
func kernelAVX512(kc int, a, b, c []float32, ldc int) {
	if kc <= 0 {
		return
	}
	_ = a[kc*4-1]
	_ = b[kc*32-1]
	_ = c[3*ldc+31]
	pa, pb := unsafe.Pointer(&a[0]), unsafe.Pointer(&b[0])
	var c00, c01, c10, c11, c20, c21, c30, c31 archsimd.Float32x16
	for p := 0; p < kc; p++ {
		b0 := archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(pb, 0)))
		b1 := archsimd.LoadFloat32x16((*[16]float32)(unsafe.Add(pb, 64)))
		a0 := archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(pa, 0)))
		c00 = a0.MulAdd(b0, c00)
		c01 = a0.MulAdd(b1, c01)
		a1 := archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(pa, 4)))
		c10 = a1.MulAdd(b0, c10)
		c11 = a1.MulAdd(b1, c11)
		a2 := archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(pa, 8)))
		c20 = a2.MulAdd(b0, c20)
		c21 = a2.MulAdd(b1, c21)
		a3 := archsimd.BroadcastFloat32x16(*(*float32)(unsafe.Add(pa, 12)))
		c30 = a3.MulAdd(b0, c30)
		c31 = a3.MulAdd(b1, c31)
		if p == kc-1 {
			break // no pointer past the end of a or b: checkptr (-race) refuses one
		}
		pa = unsafe.Add(pa, 16)
		pb = unsafe.Add(pb, 128)
	}
	r00 := c[0*ldc+0 : 0*ldc+16]
	archsimd.LoadFloat32x16Slice(r00).Add(c00).StoreSlice(r00)
	r01 := c[0*ldc+16 : 0*ldc+32]
	archsimd.LoadFloat32x16Slice(r01).Add(c01).StoreSlice(r01)
	r10 := c[1*ldc+0 : 1*ldc+16]
	archsimd.LoadFloat32x16Slice(r10).Add(c10).StoreSlice(r10)
	r11 := c[1*ldc+16 : 1*ldc+32]
	archsimd.LoadFloat32x16Slice(r11).Add(c11).StoreSlice(r11)
	r20 := c[2*ldc+0 : 2*ldc+16]
	archsimd.LoadFloat32x16Slice(r20).Add(c20).StoreSlice(r20)
	r21 := c[2*ldc+16 : 2*ldc+32]
	archsimd.LoadFloat32x16Slice(r21).Add(c21).StoreSlice(r21)
	r30 := c[3*ldc+0 : 3*ldc+16]
	archsimd.LoadFloat32x16Slice(r30).Add(c30).StoreSlice(r30)
	r31 := c[3*ldc+16 : 3*ldc+32]
	archsimd.LoadFloat32x16Slice(r31).Add(c31).StoreSlice(r31)
	archsimd.ClearAVXUpperBits()
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

// kernel6x16FMA is in gemm_amd64.s (AVX2+FMA). archsimd's MulAdd only has
// the 213 form, whose result overwrites a multiplicand: the compiler then adds
// a register copy per FMA and a move per accumulator per iteration, which caps
// the archsimd kernels at about half the FMA rate (measured); this one keeps
// 12 accumulators in place.
//
//go:noescape
func kernel6x16FMA(kc int, a, b, c *float32, ldc int, acc int)

// kernelAVX2Asm is the 6×16 microKernel around kernel6x16FMA.
func kernelAVX2Asm(kc int, a, b, c []float32, ldc int) {
	if kc <= 0 {
		return
	}
	_, _, _ = a[6*kc-1], b[16*kc-1], c[5*ldc+15]
	kernel6x16FMA(kc, &a[0], &b[0], &c[0], ldc, 1)
}

// kernelAVX2AsmSet is kernelAVX2Asm overwriting the tile instead of adding to it.
func kernelAVX2AsmSet(kc int, a, b, c []float32, ldc int) {
	if kc <= 0 {
		return
	}
	_, _, _ = a[6*kc-1], b[16*kc-1], c[5*ldc+15]
	kernel6x16FMA(kc, &a[0], &b[0], &c[0], ldc, 0)
}
