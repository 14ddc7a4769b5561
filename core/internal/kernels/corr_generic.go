//go:build !wasm

package kernels

// corrGeneric takes 8 outputs at a time; natively it walks their taps three
// at a time (each output's sum still adds tap by tap, so the rounding is the
// single-tap loop's): Go's amd64 code schedules a loop-carried add after all
// of a pass's products, and with one tap per pass the 8 sums, the weight and
// the 8 products spill two registers; with three, only the last add of each
// sum is carried. V8's wasm code runs slower with the triples, 9 taps or 25
// (BENCHMARKS.md, round 9): corr_wasm.go keeps the one-tap loop there.
// The narrower blocks and the tail are the same in both files.
func corrGeneric(out, in, w []float32, off []int) {
	n := len(out)
	w = w[:len(off)]
	nt3 := len(off) - len(off)%3   // taps taken three at a time
	off1, w1 := off[nt3:], w[nt3:] // the taps taken one at a time
	j := 0
	for ; j+8 <= n; j += 8 {
		var s0, s1, s2, s3, s4, s5, s6, s7 float32
		for t := 0; t < nt3; t += 3 {
			wa, wb, wc := w[t], w[t+1], w[t+2]
			x := in[j+off[t] : j+off[t]+8]
			y := in[j+off[t+1] : j+off[t+1]+8]
			z := in[j+off[t+2] : j+off[t+2]+8]
			s0 = float32(float32(s0+float32(wa*x[0]))+float32(wb*y[0])) + float32(wc*z[0])
			s1 = float32(float32(s1+float32(wa*x[1]))+float32(wb*y[1])) + float32(wc*z[1])
			s2 = float32(float32(s2+float32(wa*x[2]))+float32(wb*y[2])) + float32(wc*z[2])
			s3 = float32(float32(s3+float32(wa*x[3]))+float32(wb*y[3])) + float32(wc*z[3])
			s4 = float32(float32(s4+float32(wa*x[4]))+float32(wb*y[4])) + float32(wc*z[4])
			s5 = float32(float32(s5+float32(wa*x[5]))+float32(wb*y[5])) + float32(wc*z[5])
			s6 = float32(float32(s6+float32(wa*x[6]))+float32(wb*y[6])) + float32(wc*z[6])
			s7 = float32(float32(s7+float32(wa*x[7]))+float32(wb*y[7])) + float32(wc*z[7])
		}
		for t, o := range off1 {
			wt := w1[t]
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
