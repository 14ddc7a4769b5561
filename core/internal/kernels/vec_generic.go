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
//
// v > 0 exactly when its bits b are in [1, 0x7f800000] (+Inf the top): b−1
// (+0 wraps to 2³²−1) is below 0x7f800000 as an unsigned number, which the
// sign of a 64-bit subtraction tells; three operations instead of seven.
func posMask(v float32) uint32 {
	d := uint64(math.Float32bits(v) - 1)
	return uint32(int64(d-0x7f800000) >> 63)
}

func divGeneric(dst, x, y []float32) {
	dst, y = dst[:len(x)], y[:len(x)]
	for i, v := range x {
		dst[i] = v / y[i]
	}
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

// dotTapsGeneric is DotTaps. Three taps of a kernel row (offsets stepping by
// 1 or 2: dilation 1 or 2) share one pass over q and their input window, six
// running sums (even and odd elements per tap), instead of a dot each; the
// taps left over go two to a pass (dot2).
func dotTapsGeneric(in []float32, off []int, q, acc []float32) {
	acc = acc[:len(off)]
	n := len(q)
	for t := 0; t < len(off); {
		o := off[t]
		if t+2 < len(off) && n >= 2 {
			var a, b, c float32
			step := true
			switch d := off[t+1] - o; {
			case d == 1 && off[t+2]-off[t+1] == 1:
				a, b, c = dot3Step1(in[o:o+n+2], q)
			case d == 2 && off[t+2]-off[t+1] == 2:
				a, b, c = dot3Step2(in[o:o+n+4], q)
			default:
				step = false
			}
			if step {
				acc[t] += a
				acc[t+1] += b
				acc[t+2] += c
				t += 3
				continue
			}
		}
		if t+1 < len(off) && n >= 2 {
			a, b := dot2(in[o:o+n], in[off[t+1]:off[t+1]+n], q)
			acc[t] += a
			acc[t+1] += b
			t += 2
			continue
		}
		acc[t] += dotGeneric(in[o:o+n], q)
		t++
	}
}

// dot2 returns Σ q[i]·x[i] and Σ q[i]·y[i] in one pass over q: the taps
// left over by the three-tap passes (the last two of a 5×5 row, the taps
// of stride 2, whose phases interleave), 3 loads per 2 products instead of
// 4, with even and odd running sums as in dot3Step1.
func dot2(x, y, q []float32) (a, b float32) {
	n := len(q)
	x, y = x[:n], y[:n]
	var a0, a1, b0, b1 float32
	i := 0
	for ; i+2 <= n; i += 2 {
		qs, xs, ys := q[i:i+2], x[i:i+2], y[i:i+2]
		q0, q1 := qs[0], qs[1]
		a0 += q0 * xs[0]
		a1 += q1 * xs[1]
		b0 += q0 * ys[0]
		b1 += q1 * ys[1]
	}
	if i < n {
		a0 += q[i] * x[i]
		b0 += q[i] * y[i]
	}
	return a0 + a1, b0 + b1
}

// dot3Step1 returns Σ q[i]·x[i], Σ q[i]·x[i+1] and Σ q[i]·x[i+2] (len(x) =
// len(q)+2 ≥ 4): per two elements two loads of q and two of x for six
// products, the window carried in registers.
func dot3Step1(x, q []float32) (a, b, c float32) {
	n := len(q)
	x = x[:n+2]
	var a0, a1, b0, b1, c0, c1 float32
	xa, xb := x[0], x[1]
	i := 0
	for ; i+2 <= n; i += 2 {
		qs, xs := q[i:i+2], x[i+2:i+4]
		q0, q1, xc, xd := qs[0], qs[1], xs[0], xs[1]
		a0 += q0 * xa
		a1 += q1 * xb
		b0 += q0 * xb
		b1 += q1 * xc
		c0 += q0 * xc
		c1 += q1 * xd
		xa, xb = xc, xd
	}
	if i < n {
		q0 := q[i]
		a0 += q0 * x[i]
		b0 += q0 * x[i+1]
		c0 += q0 * x[i+2]
	}
	return a0 + a1, b0 + b1, c0 + c1
}

// dot3Step2 is dot3Step1 for taps two apart: Σ q[i]·x[i+2k], k = 0, 1, 2
// (len(x) = len(q)+4).
func dot3Step2(x, q []float32) (a, b, c float32) {
	n := len(q)
	x = x[:n+4]
	var a0, a1, b0, b1, c0, c1 float32
	xa, xb, xc, xd := x[0], x[1], x[2], x[3]
	i := 0
	for ; i+2 <= n; i += 2 {
		qs, xs := q[i:i+2], x[i+4:i+6]
		q0, q1, xe, xf := qs[0], qs[1], xs[0], xs[1]
		a0 += q0 * xa
		a1 += q1 * xb
		b0 += q0 * xc
		b1 += q1 * xd
		c0 += q0 * xe
		c1 += q1 * xf
		xa, xb, xc, xd = xc, xd, xe, xf
	}
	if i < n {
		q0 := q[i]
		a0 += q0 * x[i]
		b0 += q0 * x[i+2]
		c0 += q0 * x[i+4]
	}
	return a0 + a1, b0 + b1, c0 + c1
}
