package kernels

// fastName names the fast path the CPU supports ("generic" when none);
// fastInstall, when non-nil, switches the dispatch variables to it.
var (
	fastName    = "generic"
	fastInstall func()
	fastOn      bool
)

// FastPath returns the kernel set in use: "avx512" (AVX-512 Dot/Axpy, AVX2+FMA
// assembly GEMM micro-kernel), "avx2" (AVX2+FMA) or "generic".
func FastPath() string {
	if fastOn {
		return fastName
	}
	return "generic"
}

// SetFastPath switches between the CPU's fast kernels (on, the default when
// the build has them) and the portable generic kernels (off). Tests and
// benchmarks use it to compare; call it before work starts, not concurrently.
func SetFastPath(on bool) {
	useGeneric()
	fastOn = false
	if on && fastInstall != nil {
		fastInstall()
		fastOn = true
	}
}

// useGeneric restores every dispatch variable to its generic function.
func useGeneric() {
	gemmNNImpl, gemmNTImpl, gemmTNImpl = gemmNNGeneric, gemmNTGeneric, gemmTNGeneric
	packBT8Impl = packBT8Generic
	addImpl, dotImpl, axpyImpl, sumImpl, sumSqImpl = addGeneric, dotGeneric, axpyGeneric, sumGeneric, sumSqGeneric
	im2colImpl, col2imImpl = im2colGeneric, col2imGeneric
	depthwiseImpl, depthwiseBackwardImpl = depthwiseGeneric, depthwiseBackwardGeneric
	corrImpl, dotTapsImpl, maxTapsImpl = corrGeneric, dotTapsGeneric, maxTapsGeneric
	reluImpl, reluBackwardImpl, affineImpl, addAffine2Impl = reluGeneric, reluBackwardGeneric, affineGeneric, addAffine2Generic
	sumDotImpl, affine2Impl, sumDotBlocksImpl = sumDotGeneric, affine2Generic, sumDotGeneric
	deinterleaveReLU2Impl, rowsReLUImpl, rowsMaskedAddImpl, interleaveMaskedAdd2Impl = nil, nil, nil, nil
	planarRows = true
}
