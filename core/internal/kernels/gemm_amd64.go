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
