package kernels

// fastPaths lists the fast kernel sets this CPU can run, the best first
// (amd64 with GOEXPERIMENT=simd: "avx512" where AVX-512 is, then "avx2");
// fastName names the one installed, fastOn says whether one is.
var (
	fastPaths []fastPath
	fastName  = "generic"
	fastOn    bool
)

// fastPath is one fast kernel set: install points the dispatch variables
// at it (after useGeneric).
type fastPath struct {
	name    string
	install func()
}

// FastPath returns the kernel set in use: "avx512" (the AVX2 set with
// AVX-512 Dot/Axpy, flat correlation and 1×1 convolution), "avx2"
// (AVX2+FMA) or "generic".
func FastPath() string {
	if fastOn {
		return fastName
	}
	return "generic"
}

// SetFastPath switches between the CPU's best fast kernels (on, the default
// when the build has them) and the portable generic kernels (off). Tests and
// benchmarks use it to compare; call it before work starts, not concurrently.
func SetFastPath(on bool) {
	if on && len(fastPaths) > 0 {
		useFastPath(fastPaths[0].name)
		return
	}
	useGeneric()
	fastOn = false
}

// FastPaths names the fast kernel sets this CPU and build can run, the best
// first (none: only the generic kernels).
func FastPaths() []string {
	var names []string
	for _, p := range fastPaths {
		names = append(names, p.name)
	}
	return names
}

// UseFastPath installs the fast kernel set called name (one of FastPaths,
// for benchmarks that compare the sets on one machine) and reports whether
// the CPU has it; without it, nothing changes. Call it before work starts.
func UseFastPath(name string) bool {
	for _, p := range fastPaths {
		if p.name == name {
			return useFastPath(name)
		}
	}
	return false
}

// useFastPath installs the fast kernel set called name, or the generic
// kernels where the CPU has none of that name; it reports whether it found
// it. The tests run every set the CPU has through it.
func useFastPath(name string) bool {
	useGeneric()
	fastOn = false
	for _, p := range fastPaths {
		if p.name == name {
			p.install()
			fastName, fastOn = name, true
			return true
		}
	}
	return false
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
	divImpl, gatherMaskedAddImpl, corrOutRowsImpl, maxPoolRowsImpl = divGeneric, nil, nil, nil
	sumDotImpl, affine2Impl, sumDotBlocksImpl = sumDotGeneric, affine2Generic, sumDotGeneric
	rowsReLUImpl, rowsMaskedAddImpl = nil, nil
	copyRowsImpl, rows2CopyImpl = nil, nil
	rows2ReLUImpl, rows2MaskedAddImpl = nil, nil
	pointwiseFast, flatGemmFast, flatDotFast, maxPool2x2Fast = nil, nil, nil, nil
	planarRows, gatherSparse, sparseDw = true, sparseOnGeneric, true
}
