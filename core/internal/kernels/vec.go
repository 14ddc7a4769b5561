package kernels

import "math"

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

func addGeneric(x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += v
	}
}

var (
	addImpl   = addGeneric
	dotImpl   = dotGeneric
	axpyImpl  = axpyGeneric
	sumImpl   = sumGeneric
	sumSqImpl = sumSqGeneric
)

func dotGeneric(x, y []float32) float32 {
	n := len(x)
	y = y[:n]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= n; i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < n; i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

func axpyGeneric(a float32, x, y []float32) {
	n := len(x)
	y = y[:n]
	i := 0
	for ; i+4 <= n; i += 4 {
		y[i] += a * x[i]
		y[i+1] += a * x[i+1]
		y[i+2] += a * x[i+2]
		y[i+3] += a * x[i+3]
	}
	for ; i < n; i++ {
		y[i] += a * x[i]
	}
}

func sumGeneric(x []float32) float64 {
	var s0, s1, s2, s3 float64
	n := len(x)
	i := 0
	for ; i+4 <= n; i += 4 {
		s0 += float64(x[i])
		s1 += float64(x[i+1])
		s2 += float64(x[i+2])
		s3 += float64(x[i+3])
	}
	for ; i < n; i++ {
		s0 += float64(x[i])
	}
	return (s0 + s1) + (s2 + s3)
}

func sumSqGeneric(x []float32) float64 {
	var s0, s1, s2, s3 float64
	n := len(x)
	i := 0
	for ; i+4 <= n; i += 4 {
		s0 += float64(x[i]) * float64(x[i])
		s1 += float64(x[i+1]) * float64(x[i+1])
		s2 += float64(x[i+2]) * float64(x[i+2])
		s3 += float64(x[i+3]) * float64(x[i+3])
	}
	for ; i < n; i++ {
		s0 += float64(x[i]) * float64(x[i])
	}
	return (s0 + s1) + (s2 + s3)
}

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

func sumDotGeneric(x, y []float32) (s, d float64) {
	var s0, s1, q0, q1 float64
	n := len(x)
	y = y[:n]
	i := 0
	for ; i+2 <= n; i += 2 {
		v0, v1 := float64(x[i]), float64(x[i+1])
		s0 += v0
		s1 += v1
		q0 += v0 * float64(y[i])
		q1 += v1 * float64(y[i+1])
	}
	for ; i < n; i++ {
		v := float64(x[i])
		s0 += v
		q0 += v * float64(y[i])
	}
	return s0 + s1, q0 + q1
}

// Affine2 writes dst[i] = (a·x[i] + b·y[i]) + c over len(x) elements
// (rounded as AddAffine2 without the accumulation).
func Affine2(dst, x, y []float32, a, b, c float32) { affine2Impl(dst, x, y, a, b, c) }

var affine2Impl = affine2Generic

func affine2Generic(dst, x, y []float32, a, b, c float32) {
	n := len(x)
	dst, y = dst[:n], y[:n]
	for i, v := range x {
		dst[i] = (float32(a*v) + float32(b*y[i])) + c
	}
}

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

var (
	reluImpl         = reluGeneric
	reluBackwardImpl = reluBackwardGeneric
	affineImpl       = affineGeneric
	addAffine2Impl   = addAffine2Generic
)

// posMask is all ones when the float32 bits v encode a value > 0 (sign clear,
// nonzero, not NaN), else 0: a branch-free ReLU test (random signs defeat the
// branch predictor).
func posMask(v float32) uint32 {
	b := int32(math.Float32bits(v))
	m := uint32((b | -b) >> 31)          // nonzero and positive or negative
	m &^= uint32(b >> 31)                // clear for negative
	m &^= uint32((0x7f800000 - b) >> 31) // clear for NaN (b > 0x7f800000)
	return m
}

func reluGeneric(dst, src []float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = math.Float32frombits(math.Float32bits(v) & posMask(v))
	}
}

func reluBackwardGeneric(y, dy, dx []float32) {
	n := len(y)
	dy, dx = dy[:n], dx[:n]
	for i, v := range y {
		dx[i] += math.Float32frombits(math.Float32bits(dy[i]) & posMask(v))
	}
}

func affineGeneric(dst, src []float32, a, b float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = float32(v*a) + b
	}
}

func addAffine2Generic(dst, x, y []float32, a, b, c float32) {
	n := len(x)
	dst, y = dst[:n], y[:n]
	for i, v := range x {
		dst[i] += (float32(a*v) + float32(b*y[i])) + c
	}
}

// DotTaps accumulates acc[t] += Σ_j in[off[t]+j]·q[j] over j < len(q) for
// every tap t (the depthwise filter gradient: one dot per tap, q shared).
func DotTaps(in []float32, off []int, q, acc []float32) { dotTapsImpl(in, off, q, acc) }

var dotTapsImpl = dotTapsGeneric

func dotTapsGeneric(in []float32, off []int, q, acc []float32) {
	acc = acc[:len(off)]
	for t, o := range off {
		acc[t] += dotGeneric(in[o:o+len(q)], q)
	}
}
