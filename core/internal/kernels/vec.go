package kernels

// Dot returns Σ x[i]·y[i] over len(x) elements (y at least as long).
func Dot(x, y []float32) float32 { return dotImpl(x, y) }

// Axpy computes y[i] += a·x[i] over len(x) elements.
func Axpy(a float32, x, y []float32) { axpyImpl(a, x, y) }

// Sum returns Σ x[i], accumulated in float64 for stability.
func Sum(x []float32) float64 { return sumImpl(x) }

// SumSq returns Σ x[i]², accumulated in float64.
func SumSq(x []float32) float64 { return sumSqImpl(x) }

// Scale computes x[i] *= a.
func Scale(a float32, x []float32) {
	for i := range x {
		x[i] *= a
	}
}

// Add computes y[i] += x[i].
func Add(x, y []float32) {
	if len(x) < 32 { // edge tiles and short rows: no indirect call
		addGeneric(x, y)
		return
	}
	addImpl(x, y)
}

var (
	addImpl   = addGeneric
	dotImpl   = dotGeneric
	axpyImpl  = axpyGeneric
	sumImpl   = sumGeneric
	sumSqImpl = sumSqGeneric
)

// SumSumSq returns Σ x[i] and Σ x[i]² in one pass, accumulated in float64
// (the fast path sums blocks of 128 in float32 lanes, then in float64).
func SumSumSq(x []float32) (s, ss float64) { return sumDotImpl(x, x) }

// SumDot returns Σ x[i] and Σ x[i]·y[i] over len(x) elements in one pass,
// accumulated as SumSumSq.
func SumDot(x, y []float32) (s, d float64) { return sumDotImpl(x, y) }

var sumDotImpl = sumDotGeneric

// SumDotBlocks is SumDot with float32 partial sums over blocks of 128
// elements, added in float64: relative error about 128·2⁻²⁴ of Σ|x| and
// Σ|x·y| per block, for gradient statistics (BN backward) where nothing
// cancels; a vector FMA loop without widening on the fast path.
func SumDotBlocks(x, y []float32) (s, d float64) { return sumDotBlocksImpl(x, y) }

var sumDotBlocksImpl = sumDotGeneric

// Affine2 writes dst[i] = (a·x[i] + b·y[i]) + c over len(x) elements
// (rounded as AddAffine2 without the accumulation).
func Affine2(dst, x, y []float32, a, b, c float32) { affine2Impl(dst, x, y, a, b, c) }

var affine2Impl = affine2Generic

// ReLUInto writes dst[i] = max(src[i], 0) over len(src) elements (dst may be src).
func ReLUInto(dst, src []float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		if v < 0 {
			v = 0
		}
		dst[i] = v
	}
}

// ReLU writes dst[i] = src[i] if src[i] > 0, else 0 (NaN → 0), over len(src)
// elements (dst may be src).
func ReLU(dst, src []float32) { reluImpl(dst, src) }

// ReLUBackward accumulates dx[i] += dy[i] where y[i] > 0, over len(y) elements.
func ReLUBackward(y, dy, dx []float32) { reluBackwardImpl(y, dy, dx) }

// Affine writes dst[i] = src[i]·a + b (rounded after the multiply and after
// the add) over len(src) elements: batch norm's fused normalisation.
func Affine(dst, src []float32, a, b float32) { affineImpl(dst, src, a, b) }

// AddAffine2 accumulates dst[i] += (a·x[i] + b·y[i]) + c over len(x) elements
// (batch norm's input gradient).
func AddAffine2(dst, x, y []float32, a, b, c float32) { addAffine2Impl(dst, x, y, a, b, c) }

// Div writes dst[i] = x[i] / y[i] over len(x) elements (the average pools'
// divisors).
func Div(dst, x, y []float32) { divImpl(dst, x, y) }

var (
	divImpl          = divGeneric
	reluImpl         = reluGeneric
	reluBackwardImpl = reluBackwardGeneric
	affineImpl       = affineGeneric
	addAffine2Impl   = addAffine2Generic
)

// DotTaps accumulates acc[t] += Σ_j in[off[t]+j]·q[j] over j < len(q) for
// every tap t (the depthwise filter gradient: one dot per tap, q shared).
func DotTaps(in []float32, off []int, q, acc []float32) { dotTapsImpl(in, off, q, acc) }

var dotTapsImpl = dotTapsGeneric
