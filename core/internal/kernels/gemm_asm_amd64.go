//go:build goexperiment.simd && amd64 && !noasm

package kernels

// kernel6x16FMA is in kernel_amd64.s (AVX2+FMA). archsimd's MulAdd only has
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

// corr64 is in corr_amd64.s: Corr over blocks of 64 flat outputs, rounding
// exactly as corrGeneric.
//
//go:noescape
func corr64(blocks int, out, in, w *float32, off *int, taps int)

// dotTaps8 is in corr_amd64.s: the tap dots of DotTaps for 8 taps over the
// first n8 (a positive multiple of 8) positions, left as 8 lanes per tap.
//
//go:noescape
func dotTaps8(n8 int, in *float32, off *int, q *float32, lanes *float32)
