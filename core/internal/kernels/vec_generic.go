package kernels

import "math"

// The portable kernels of vec.go: the reference the fast paths agree with,
// and what wasm and -tags noasm run.

func addGeneric(x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += v
	}
}

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

func affine2Generic(dst, x, y []float32, a, b, c float32) {
	n := len(x)
	dst, y = dst[:n], y[:n]
	for i, v := range x {
		dst[i] = (float32(a*v) + float32(b*y[i])) + c
	}
}

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

func dotTapsGeneric(in []float32, off []int, q, acc []float32) {
	acc = acc[:len(off)]
	for t, o := range off {
		acc[t] += dotGeneric(in[o:o+len(q)], q)
	}
}
