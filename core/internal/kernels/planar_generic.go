package kernels

// The portable tap kernels of planar.go.

func corrGeneric(out, in, w []float32, off []int) {
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
