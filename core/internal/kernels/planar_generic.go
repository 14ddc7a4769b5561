package kernels

import "math"

// The portable tap kernels of planar.go.

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
