package kernels

// The portable tap kernels of planar.go.

func corrGeneric(out, in, w []float32, off []int) {
	if len(off) >= 8 && (len(out) >= 16 || len(out) >= 8 && len(off) >= 16) {
		corrTapsOuter(out, in, w, off)
		return
	}
	corrBlocks(out, in, w, off)
}

// corrTapsOuter is Corr for rows of 16 outputs and more (8 with 5×5 taps): taps
// outer in chunks of 8, then 4, then 1, outputs inner, each output's running
// sum carried in out between chunks (the taps still summed in order from
// zero). Against corrBlocks this keeps the weights in registers, spills no
// accumulators and checks no bounds in the inner loops. BenchmarkDepthwise
// (generic, forward): 1.08-1.16× on rows of 16 and 32 with 3×3 taps,
// 1.26-1.40× with 5×5, 1.09× on rows of 8 with 5×5; 0.91× on rows of 8 with
// 3×3, which corrBlocks keeps.
func corrTapsOuter(out, in, w []float32, off []int) {
	n := len(out)
	out = out[:n]
	w = w[:len(off)]
	w0, w1, w2, w3, w4, w5, w6, w7 := w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]
	x0, x1, x2, x3 := in[off[0]:][:n], in[off[1]:][:n], in[off[2]:][:n], in[off[3]:][:n]
	x4, x5, x6, x7 := in[off[4]:][:n], in[off[5]:][:n], in[off[6]:][:n], in[off[7]:][:n]
	for j := 0; j < n; j++ {
		s := float32(0)
		s += float32(w0 * x0[j])
		s += float32(w1 * x1[j])
		s += float32(w2 * x2[j])
		s += float32(w3 * x3[j])
		s += float32(w4 * x4[j])
		s += float32(w5 * x5[j])
		s += float32(w6 * x6[j])
		s += float32(w7 * x7[j])
		out[j] = s
	}
	t := 8
	for ; t+4 <= len(off); t += 4 {
		w0, w1, w2, w3 := w[t], w[t+1], w[t+2], w[t+3]
		x0, x1, x2, x3 := in[off[t]:][:n], in[off[t+1]:][:n], in[off[t+2]:][:n], in[off[t+3]:][:n]
		for j := 0; j < n; j++ {
			s := out[j]
			s += float32(w0 * x0[j])
			s += float32(w1 * x1[j])
			s += float32(w2 * x2[j])
			s += float32(w3 * x3[j])
			out[j] = s
		}
	}
	for ; t < len(off); t++ {
		wt, x := w[t], in[off[t]:][:n]
		for j := 0; j < n; j++ {
			out[j] += float32(wt * x[j])
		}
	}
}

// corrBlocks is Corr 8, 4, 2 and 1 outputs at a time, taps inner: for short
// rows (the 4×4 and 8×8 maps) and few taps (the phases of stride 2).
func corrBlocks(out, in, w []float32, off []int) {
	n := len(out)
	w = w[:len(off)]
	j := 0
	for ; j+8 <= n; j += 8 {
		var s0, s1, s2, s3, s4, s5, s6, s7 float32
		for t, o := range off {
			wt := w[t]
			x := in[j+o : j+o+8]
			s0 += float32(wt * x[0])
			s1 += float32(wt * x[1])
			s2 += float32(wt * x[2])
			s3 += float32(wt * x[3])
			s4 += float32(wt * x[4])
			s5 += float32(wt * x[5])
			s6 += float32(wt * x[6])
			s7 += float32(wt * x[7])
		}
		o := out[j : j+8]
		o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7] = s0, s1, s2, s3, s4, s5, s6, s7
	}
	// rows of 4 (4×4 maps, the phases of stride-2 8×8 ones) and the ends of others
	for ; j+4 <= n; j += 4 {
		var s0, s1, s2, s3 float32
		for t, o := range off {
			wt := w[t]
			x := in[j+o : j+o+4]
			s0 += float32(wt * x[0])
			s1 += float32(wt * x[1])
			s2 += float32(wt * x[2])
			s3 += float32(wt * x[3])
		}
		o := out[j : j+4]
		o[0], o[1], o[2], o[3] = s0, s1, s2, s3
	}
	for ; j+2 <= n; j += 2 {
		var s0, s1 float32
		for t, o := range off {
			wt := w[t]
			x := in[j+o : j+o+2]
			s0 += float32(wt * x[0])
			s1 += float32(wt * x[1])
		}
		out[j], out[j+1] = s0, s1
	}
	corrTail(out, in, w, off, j)
}

func maxTapsGeneric(out []float32, arg []int32, in []float32, off []int) {
	arg = arg[:len(out)]
	o0 := off[0]
	for j := range out {
		best, bt := in[j+o0], int32(0)
		for t := 1; t < len(off); t++ {
			if v := in[j+off[t]]; v > best {
				best, bt = v, int32(t)
			}
		}
		out[j], arg[j] = best, bt
	}
}
