//go:build goexperiment.simd && amd64 && !noasm

package kernels

import (
	"simd/archsimd"
	"unsafe"
)

// The AVX2 and AVX-512 element-wise kernels of vec.go (fastpath_amd64.go
// installs them); each computes its generic twin in vec_generic.go.

// addAVX2 is Add (y += x) on Float32x8, 32 floats per pass, loading
// through pointers after one bounds check (slicing per vector held it to
// ~2.7 floats a cycle in L1); exact like addGeneric. Col2imFlat folds every
// tap's column row in with it, Fork sums its branches' gradients with it.
func addAVX2(x, y []float32) {
	n := len(x)
	y = y[:n]
	n8 := n &^ 7
	if n8 > 0 {
		px, py := unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0])
		ld := func(p unsafe.Pointer, o uintptr) archsimd.Float32x8 {
			return archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(p, o)))
		}
		st := func(v archsimd.Float32x8, o uintptr) { v.Store((*[8]float32)(unsafe.Add(py, o))) }
		o, end := uintptr(0), uintptr(n8)*4
		for ; o+128 <= end; o += 128 {
			y0, y1, y2, y3 := ld(py, o).Add(ld(px, o)), ld(py, o+32).Add(ld(px, o+32)), ld(py, o+64).Add(ld(px, o+64)), ld(py, o+96).Add(ld(px, o+96))
			st(y0, o)
			st(y1, o+32)
			st(y2, o+64)
			st(y3, o+96)
		}
		for ; o < end; o += 32 {
			st(ld(py, o).Add(ld(px, o)), o)
		}
		archsimd.ClearAVXUpperBits()
	}
	for i := n8; i < n; i++ {
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

// divAVX2 is divGeneric on Float32x8 (the same IEEE division per lane).
func divAVX2(dst, x, y []float32) {
	n := len(x)
	dst, y = dst[:n], y[:n]
	i := 0
	for ; i+8 <= n; i += 8 {
		archsimd.LoadFloat32x8Slice(x[i:]).Div(archsimd.LoadFloat32x8Slice(y[i:])).StoreSlice(dst[i:])
	}
	archsimd.ClearAVXUpperBits()
	divGeneric(dst[i:], x[i:], y[i:])
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

// affineAVX2 is affineGeneric in assembly (affineY: Mul then Add, exact),
// the last n mod 8 elements in affineGeneric.
func affineAVX2(dst, src []float32, a, b float32) {
	n := len(src)
	dst = dst[:n]
	n8 := n &^ 7
	if n8 > 0 {
		affineY(n8, &dst[0], &src[0], a, b)
	}
	affineGeneric(dst[n8:], src[n8:], a, b)
}

// addAffine2AVX2 is addAffine2Generic in assembly (affine2Y, the same
// rounding order).
func addAffine2AVX2(dst, x, y []float32, a, b, c float32) {
	n := len(x)
	dst, y = dst[:n], y[:n]
	n8 := n &^ 7
	if n8 > 0 {
		affine2Y(n8, &dst[0], &x[0], &y[0], a, b, c, true)
	}
	addAffine2Generic(dst[n8:], x[n8:], y[n8:], a, b, c)
}

// sumDotAVX2 is SumDot four lanes wide in float64 (float32 loads widened
// with VCVTPS2PD; products of two float32 are exact in float64), two
// accumulator pairs in assembly (sumDot8; BN's statistics call it per image
// and channel): the generic result up to summation order.
func sumDotAVX2(x, y []float32) (s, d float64) {
	n := len(x)
	y = y[:n]
	n8 := n &^ 7
	if n8 > 0 {
		s, d = sumDot8(n8, &x[0], &y[0])
	}
	ts, td := sumDotGeneric(x[n8:], y[n8:])
	return s + ts, d + td
}

// sumDot8 is in vec_amd64.s.
//
//go:noescape
func sumDot8(n8 int, x, y *float32) (s, d float64)

// sumDotBlocksAVX2 is SumDotBlocks: four float32 accumulator pairs (FMA for
// the products) over blocks of 128, each block's lanes added in float64, in
// assembly (sumDotBlocks8: BN backward calls it per image and channel, on
// 16-1024 elements, where the Go loop's block bookkeeping was a third of
// its time); the last n mod 8 elements in sumDotGeneric.
func sumDotBlocksAVX2(x, y []float32) (s, d float64) {
	n := len(x)
	y = y[:n]
	n8 := n &^ 7
	if n8 > 0 {
		s, d = sumDotBlocks8(n8, &x[0], &y[0])
	}
	ts, td := sumDotGeneric(x[n8:], y[n8:])
	return s + ts, d + td
}

// sumDotBlocks8 is in vec_amd64.s.
//
//go:noescape
func sumDotBlocks8(n8 int, x, y *float32) (s, d float64)

// affine2AVX2 is affine2Generic in assembly (affine2Y, same rounding).
func affine2AVX2(dst, x, y []float32, a, b, c float32) {
	n := len(x)
	dst, y = dst[:n], y[:n]
	n8 := n &^ 7
	if n8 > 0 {
		affine2Y(n8, &dst[0], &x[0], &y[0], a, b, c, false)
	}
	affine2Generic(dst[n8:], x[n8:], y[n8:], a, b, c)
}

// affineY and affine2Y are in vec_amd64.s.
//
//go:noescape
func affineY(n8 int, dst, src *float32, a, b float32)

//go:noescape
func affine2Y(n8 int, dst, x, y *float32, a, b, c float32, add bool)
