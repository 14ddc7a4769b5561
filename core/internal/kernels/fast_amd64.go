//go:build goexperiment.simd && amd64 && !noasm

package kernels

import "simd/archsimd"

var (
	gemmAVX2     = &packedGemm{mr: 6, nr: 16, mc: 96, kc: 256, nc: 2048, kern: kernelAVX2Asm}
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
	dotImpl, axpyImpl = dot, axpy
	rows := &dwRows{dot: dot, axpy: axpy, row3: row3AVX2, row5: row5AVX2}
	depthwiseImpl = func(x, w []float32, c int, g Geom, y []float32) { depthwiseWith(rows, x, w, c, g, y) }
	depthwiseBackwardImpl = func(x, w, dy []float32, c int, g Geom, dx, dw []float32) {
		depthwiseBackwardWith(rows, x, w, dy, c, g, dx, dw)
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

// row3AVX2 is row3Generic on Float32x8 (same operation order: exact).
func row3AVX2(w0, w1, w2 float32, x0, x1, x2, y []float32) {
	n := len(y)
	x0, x1, x2 = x0[:n], x1[:n], x2[:n]
	if n < 16 {
		row3Generic(w0, w1, w2, x0, x1, x2, y)
		return
	}
	v0, v1, v2 := archsimd.BroadcastFloat32x8(w0), archsimd.BroadcastFloat32x8(w1), archsimd.BroadcastFloat32x8(w2)
	j := 0
	for ; j+8 <= n; j += 8 {
		s := v0.Mul(archsimd.LoadFloat32x8Slice(x0[j:])).Add(v1.Mul(archsimd.LoadFloat32x8Slice(x1[j:])))
		s = s.Add(v2.Mul(archsimd.LoadFloat32x8Slice(x2[j:])))
		yj := y[j : j+8]
		archsimd.LoadFloat32x8Slice(yj).Add(s).StoreSlice(yj)
	}
	archsimd.ClearAVXUpperBits()
	for ; j < n; j++ {
		y[j] += w0*x0[j] + w1*x1[j] + w2*x2[j]
	}
}

// row5AVX2 is row5Generic on Float32x8 (same operation order: exact).
func row5AVX2(w0, w1, w2, w3, w4 float32, x0, x1, x2, x3, x4, y []float32) {
	n := len(y)
	x0, x1, x2, x3, x4 = x0[:n], x1[:n], x2[:n], x3[:n], x4[:n]
	if n < 16 {
		row5Generic(w0, w1, w2, w3, w4, x0, x1, x2, x3, x4, y)
		return
	}
	v0, v1, v2 := archsimd.BroadcastFloat32x8(w0), archsimd.BroadcastFloat32x8(w1), archsimd.BroadcastFloat32x8(w2)
	v3, v4 := archsimd.BroadcastFloat32x8(w3), archsimd.BroadcastFloat32x8(w4)
	j := 0
	for ; j+8 <= n; j += 8 {
		s := v0.Mul(archsimd.LoadFloat32x8Slice(x0[j:])).Add(v1.Mul(archsimd.LoadFloat32x8Slice(x1[j:])))
		s = s.Add(v2.Mul(archsimd.LoadFloat32x8Slice(x2[j:])))
		s = s.Add(v3.Mul(archsimd.LoadFloat32x8Slice(x3[j:])))
		s = s.Add(v4.Mul(archsimd.LoadFloat32x8Slice(x4[j:])))
		yj := y[j : j+8]
		archsimd.LoadFloat32x8Slice(yj).Add(s).StoreSlice(yj)
	}
	archsimd.ClearAVXUpperBits()
	for ; j < n; j++ {
		y[j] += w0*x0[j] + w1*x1[j] + w2*x2[j] + w3*x3[j] + w4*x4[j]
	}
}
