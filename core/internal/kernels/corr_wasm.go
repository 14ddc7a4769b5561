//go:build wasm

package kernels

// corrGeneric in wasm is round 8's: 8 outputs at a time, their taps one at
// a time. The triples of corr_generic.go run 10-20% slower under V8 (9 taps
// and 25 alike; BENCHMARKS.md, round 9), so this file keeps the loop the page
// was measured with.
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
