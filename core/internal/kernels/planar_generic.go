package kernels

import "math"

// The portable tap kernels of planar.go.

// corrGeneric takes 8 outputs at a time; natively it walks their taps three
// at a time (each output's sum still adds tap by tap, so the rounding is the
// single-tap loop's): Go's amd64 code schedules a loop-carried add after all
// of a pass's products, and with one tap per pass the 8 sums, the weight and
// the 8 products spill two registers; with three, only the last add of each
// sum is carried. V8's wasm code runs slower with the triples, 9 taps or 25
// (BENCHMARKS.md, round 9): there corrTriples is false, nt3 is 0 and the
// compiler drops the triple loop, leaving round 8's one-tap loop.
func corrGeneric(out, in, w []float32, tp taps) {
	off := tp.off
	n := len(out)
	w = w[:len(off)]
	nt3 := 0 // taps taken three at a time
	if corrTriples {
		nt3 = len(off) - len(off)%3
	}
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

// rowMax: hm[x] = the maximum of in[x+col[k]] over k by strict comparison
// from −Inf, ha[x] its first k (0 when none beats −Inf).
func rowMax(hm []float32, ha []int32, in []float32, col []int) {
	ninf := float32(math.Inf(-1))
	n := len(hm)
	ha = ha[:n]
	if len(col) == 3 {
		x0, x1, x2 := in[col[0]:][:n], in[col[1]:][:n], in[col[2]:][:n]
		for x := range hm {
			m, _ := gtSelect(x0[x], ninf, 0, 0)
			m, t := gtSelect(x1[x], m, 1, 0)
			m, t = gtSelect(x2[x], m, 2, t)
			hm[x], ha[x] = m, int32(t)
		}
		return
	}
	for x := range hm {
		m, t := ninf, uint32(0)
		for k, o := range col {
			m, t = gtSelect(in[x+o], m, uint32(k), t)
		}
		hm[x], ha[x] = m, int32(t)
	}
}

// gtSelect returns (u, ut) when u > v, else (v, vt), without a branch: the
// comparison's outcome is as good as random on activations, and a
// mispredicted branch costs more than the select.
func gtSelect(u, v float32, ut, vt uint32) (float32, uint32) {
	var m uint32
	if u > v {
		m = ^uint32(0)
	}
	return math.Float32frombits(math.Float32bits(u)&m | math.Float32bits(v)&^m), ut&m | vt&^m
}

// colMax combines the row maxima at the offsets row into the window's
// maximum and tap. The first row stands for a scan started at the window's
// first tap x0: that is (x0, 0) when x0 is NaN or nothing in the row beats
// −Inf, and the row's maximum otherwise.
func colMax(out []float32, arg []int32, x0, hm []float32, ha []int32, row []int, kw int) {
	ninf := float32(math.Inf(-1))
	arg, x0 = arg[:len(out)], x0[:len(out)]
	for x := range out {
		v, t := hm[x], ha[x]
		if f := x0[x]; f != f || v == ninf {
			v, t = f, 0
		}
		ut := uint32(t)
		for k := 1; k < len(row); k++ {
			o := x + row[k]
			v, ut = gtSelect(hm[o], v, uint32(k*kw)+uint32(ha[o]), ut)
		}
		out[x], arg[x] = v, int32(ut)
	}
}
