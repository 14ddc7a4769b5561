//go:build goexperiment.simd && amd64 && !noasm

package kernels

import "simd/archsimd"

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
	if archsimd.X86.AVX512() {
		// GEMM keeps the AVX2 assembly kernel: it runs at ~peak FMA rate here,
		// while archsimd kernels lose about half to register copies (see
		// gemm_amd64.go); gemmAVX512 stays a test/benchmark candidate.
		fastPaths = append(fastPaths, fastPath{"avx512", func() {
			install(kernelSet{gemm: gemmAVX2, add: addZ, dot: dotAVX512, axpy: axpyAVX512, corr: corrAVX512,
				pointwise: pointwiseAVX512, flatDot: flatDotAVX512, dotTaps: dotTapsAVX512,
				gatherMaskedAdd: gatherMaskedAddAVX512, corrOutRows: corrOutRowsAVX512,
				maxPoolRows: maxPoolRowsAVX512, affine: affineZ, affine2: affine2Z, addAffine2: addAffine2Z,
				// sumDotBlocks keeps the AVX2 kernel: its four ymm pairs beat
				// two zmm ones (0.58 vs 0.80 s in a default-config profile)
				sumDot: sumDotZ, sumDotBlocks: sumDotBlocksAVX2,
				rowsReLU: rowsReLUAVX512, rowsMaskedAdd: rowsMaskedAddAVX512,
				rows2ReLU: rows2ReLUAVX512, rows2MaskedAdd: rows2MaskedAddAVX512})
		}})
	}
	if archsimd.X86.AVX2() && archsimd.X86.FMA() {
		fastPaths = append(fastPaths, fastPath{"avx2", func() {
			install(kernelSet{gemm: gemmAVX2, add: addAVX2, dot: dotAVX2, axpy: axpyAVX2, corr: corrAVX2,
				pointwise: pointwiseAVX2, flatDot: flatDotAVX2, dotTaps: dotTapsAVX2,
				affine: affineAVX2, affine2: affine2AVX2, addAffine2: addAffine2AVX2,
				sumDot: sumDotAVX2, sumDotBlocks: sumDotBlocksAVX2,
				rowsReLU: rowsReLUAVX2, rowsMaskedAdd: rowsMaskedAddAVX2,
				corrOutRows: corrOutRowsAVX2, gatherMaskedAdd: gatherMaskedAddAVX2,
				maxPoolRows: maxPoolRowsAVX2, rows2ReLU: rows2ReLUAVX2, rows2MaskedAdd: rows2MaskedAddAVX2})
		}})
	}
	SetFastPath(true)
}

// kernelSet holds the kernels where the avx512 and avx2 sets differ.
type kernelSet struct {
	gemm      *packedGemm
	add       func(x, y []float32)
	dot       func(x, y []float32) float32
	axpy      func(a float32, x, y []float32)
	corr      corrFunc
	pointwise func(A *flatA, x []float32, boff []int, n int, y []float32)
	flatDot   func(m, k, n int, d []float32, ldd int, b []float32, boff []int, c []float32, ldc int)
	dotTaps   func(in []float32, off []int, q, acc []float32)
	// gatherDx and addBackMasked in one pass (nil: none)
	gatherMaskedAdd func(p *planar, wc, q, xc, dxc []float32) bool
	// corrOut and extract in one pass (nil: none)
	corrOutRows func(p *planar, yc, in, w []float32) bool
	// maxPoolPlanar with vector post-processing (nil: none)
	maxPoolRows func(p *planar, x []float32, c int, y []float32, idx []int32)
	// batch norm's element-wise passes and sums
	affine               func(dst, src []float32, a, b float32)
	affine2, addAffine2  func(dst, x, y []float32, a, b, c float32)
	sumDot, sumDotBlocks func(x, y []float32) (s, d float64)
	// ReLU into the planes' rows and its adjoint (layoutReLU, addBackMasked)
	rowsReLU      func(x, dst []float32, pos []int, w, pad int)
	rowsMaskedAdd func(src, x, dx []float32, pos []int, w, pad int)
	// the same for stride-2 layouts a plane at a time (nil: row by row)
	rows2ReLU      func(x, dst []float32, pos []int, w, eOff, oOff int)
	rows2MaskedAdd func(src, x, dx []float32, pos []int, w, eOff, oOff int)
}

// install points the dispatch variables at one fast kernel set: ks and the
// AVX2 kernels both sets share.
func install(ks kernelSet) {
	g, dot, axpy, corr := ks.gemm, ks.dot, ks.axpy, ks.corr
	pointwiseFast, flatDotFast, gatherMaskedAddImpl = ks.pointwise, ks.flatDot, ks.gatherMaskedAdd
	corrOutRowsImpl, maxPoolRowsImpl = ks.corrOutRows, ks.maxPoolRows
	flatGemmFast, maxPool2x2Fast = flatGemmAVX2, maxPool2x2AVX2
	gemmNNImpl = func(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
		g.gemm(false, false, m, n, k, a, lda, b, ldb, beta, c, ldc)
	}
	gemmNTImpl = func(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
		g.gemm(false, true, m, n, k, a, lda, b, ldb, beta, c, ldc)
	}
	gemmTNImpl = func(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
		g.gemm(true, false, m, n, k, a, lda, b, ldb, beta, c, ldc)
	}
	addImpl, dotImpl, axpyImpl = ks.add, dot, axpy
	packBT8Impl = packBT8AVX2
	corrImpl, dotTapsImpl, maxTapsImpl = corr, ks.dotTaps, maxTapsAVX2
	planarRows, gatherSparse, sparseDw = false, false, false
	reluImpl, reluBackwardImpl, affineImpl, addAffine2Impl = reluAVX2, reluBackwardAVX2, ks.affine, ks.addAffine2
	divImpl = divAVX2
	sumDotImpl, affine2Impl, sumDotBlocksImpl = ks.sumDot, ks.affine2, ks.sumDotBlocks
	rowsReLUImpl, rowsMaskedAddImpl = ks.rowsReLU, ks.rowsMaskedAdd
	rows2ReLUImpl, rows2MaskedAddImpl = ks.rows2ReLU, ks.rows2MaskedAdd
	copyRowsImpl, rows2CopyImpl = copyRowsAVX2, rows2CopyAVX2
	depthwiseImpl = func(x, w []float32, c int, g Geom, y []float32) {
		depthwisePlanar(corr, x, w, c, g, y, g.OH()*g.OW(), false)
	}
	depthwiseBackwardImpl = func(x, w, dy []float32, c int, g Geom, dx, dw []float32) {
		depthwiseBackwardPlanar(corr, ks.dotTaps, x, w, dy, c, g, dx, dw)
	}
}
