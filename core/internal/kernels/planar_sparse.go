package kernels

// gatherMaskedAddSparse is gatherDx then addBackMasked for the portable
// path, with the adjoint correlation computed only where x > 0:
//
//	dx[i] += Σ_{taps t of i's phase} w[t]·q[pos(i) + m − rc[t]]    where x[i] > 0
//
// Every depthwise convolution of the search cells reads max(x, 0), so ReLU's
// backward masks out about half of what gatherDx gathers; the scalar kernels
// pay for every output they compute, so this gathers the kept pixels only.
// Per phase it lists the pixels with x > 0 (branch-free: random signs would
// defeat the branch predictor), then sums four listed pixels per pass over
// the phase's taps, each sum in corrGeneric's order (tap by tap from +0), so
// it is exact against the two steps (but for the sign of a zero dx at a
// masked pixel: the dense add turns −0 into +0, this leaves it).
// idx and pos are scratch of at least H·W each; ws of at least KH·KW.
func (p *planar) gatherMaskedAddSparse(wc, q, xc, dxc, ws []float32, idx, pos []int32) {
	g := p.g
	xc, dxc = xc[:g.H*g.W], dxc[:g.H*g.W]
	for ph, ts := range p.phTaps {
		if len(ts) == 0 {
			continue
		}
		w := ws[:len(ts)]
		for i, t := range ts {
			w[i] = wc[t]
		}
		n := p.listPositive(ph, xc, idx, pos)
		sparseGather(dxc, q, w, p.phQOff[ph], idx[:n], pos[:n])
	}
}

// listPositive writes the image indices (idx) and phase-plane positions
// (pos) of phase ph's pixels with x > 0 and returns how many there are.
func (p *planar) listPositive(ph int, xc []float32, idx, pos []int32) int {
	g := p.g
	rph, cph := ph/g.SW, ph%g.SW
	base := ph * p.psize
	// the first image row and column of the phase: (iy+PH) mod SH = rph
	iy0 := ((rph-g.PH)%g.SH + g.SH) % g.SH
	ix0 := ((cph-g.PW)%g.SW + g.SW) % g.SW
	n := 0
	if ix0 >= g.W {
		return 0
	}
	for iy := iy0; iy < g.H; iy += g.SH {
		xr := xc[iy*g.W : iy*g.W+g.W]
		// the phase's pixels of the row, written always, kept (m advances)
		// where x > 0; c/SW steps by one from column to column
		ri, rq := int32(iy*g.W), int32(p.rowPos[iy]-base+p.colPos[ix0])
		cols := (g.W - ix0 + g.SW - 1) / g.SW
		is, ps := idx[n:n+cols], pos[n:n+cols]
		m := 0
		if g.SW == 1 { // a range over the row: no column arithmetic, no bounds check on x
			for ix, v := range xr {
				is[m], ps[m] = ri+int32(ix), rq+int32(ix)
				m += int(posMask(v) & 1)
			}
		} else {
			for j, ix := 0, ix0; ix < len(xr); j, ix = j+1, ix+g.SW {
				is[m], ps[m] = ri+int32(ix), rq+int32(j)
				m += int(posMask(xr[ix]) & 1)
			}
		}
		n += m
	}
	return n
}

// sparseGather adds to dx[idx[k]] the correlation Σ_t w[t]·q[pos[k]+off[t]]
// for every listed pixel k, four pixels per pass over the taps (eight would
// spill), each sum in corrGeneric's order.
func sparseGather(dx, q, w []float32, off []int, idx, pos []int32) {
	w = w[:len(off)]
	pos = pos[:len(idx)]
	k := 0
	for ; k+4 <= len(idx); k += 4 {
		ps := pos[k : k+4 : k+4]
		p0, p1, p2, p3 := int(ps[0]), int(ps[1]), int(ps[2]), int(ps[3])
		var s0, s1, s2, s3 float32
		for t, o := range off {
			wt := w[t]
			s0 += float32(wt * q[p0+o])
			s1 += float32(wt * q[p1+o])
			s2 += float32(wt * q[p2+o])
			s3 += float32(wt * q[p3+o])
		}
		is := idx[k : k+4 : k+4]
		dx[is[0]] += s0
		dx[is[1]] += s1
		dx[is[2]] += s2
		dx[is[3]] += s3
	}
	for ; k < len(idx); k++ {
		at := int(pos[k])
		var s float32
		for t, o := range off {
			s += float32(w[t] * q[at+o])
		}
		dx[idx[k]] += s
	}
}

// gatherMaskedAddSparseDw is gatherMaskedAddSparse that also adds the
// weight gradient to dwc from the same loads of q:
//
//	dwc[t] += Σ_{x[i] > 0} x[i]·q[pos(i) + m − rc[t]]
//
// which is dotTaps' Σ max(x, 0)·dy without the products by zero: the pixels
// ReLU zeroed and the layout's padding. Only the order of the sum differs,
// per phase four listed pixels at a time (and an infinite x no longer meets
// the zeros of q's margins: Inf·0 is NaN in dotTaps). Windows of at most
// sparseDwMax taps (its accumulators live on the stack).
func (p *planar) gatherMaskedAddSparseDw(wc, q, xc, dxc, dwc, ws []float32, idx, pos []int32) {
	g := p.g
	var accs [sparseDwMax]float32
	xc, dxc = xc[:g.H*g.W], dxc[:g.H*g.W]
	for ph, ts := range p.phTaps {
		if len(ts) == 0 {
			continue
		}
		w, acc := ws[:len(ts)], accs[:len(ts)]
		for i, t := range ts {
			w[i], acc[i] = wc[t], 0
		}
		n := p.listPositive(ph, xc, idx, pos)
		sparseGatherDw(dxc, q, w, xc, acc, p.phQOff[ph], idx[:n], pos[:n])
		for i, t := range ts {
			dwc[t] += acc[i]
		}
	}
}

// sparseDwMax: the largest window gatherMaskedAddSparseDw takes (7×7).
const sparseDwMax = 49

// sparseGatherDw is sparseGather that also accumulates acc[t] += Σ_k
// x[idx[k]]·q[pos[k]+off[t]].
func sparseGatherDw(dx, q, w, x, acc []float32, off []int, idx, pos []int32) {
	w, acc = w[:len(off)], acc[:len(off)]
	pos = pos[:len(idx)]
	k := 0
	for ; k+4 <= len(idx); k += 4 {
		ps, is := pos[k:k+4:k+4], idx[k:k+4:k+4]
		p0, p1, p2, p3 := int(ps[0]), int(ps[1]), int(ps[2]), int(ps[3])
		x0, x1, x2, x3 := x[is[0]], x[is[1]], x[is[2]], x[is[3]]
		var s0, s1, s2, s3 float32
		for t, o := range off {
			wt := w[t]
			q0, q1, q2, q3 := q[p0+o], q[p1+o], q[p2+o], q[p3+o]
			s0 += float32(wt * q0)
			s1 += float32(wt * q1)
			s2 += float32(wt * q2)
			s3 += float32(wt * q3)
			acc[t] += x0*q0 + x1*q1 + x2*q2 + x3*q3
		}
		dx[is[0]] += s0
		dx[is[1]] += s1
		dx[is[2]] += s2
		dx[is[3]] += s3
	}
	for ; k < len(idx); k++ {
		at, xi := int(pos[k]), x[idx[k]]
		var s float32
		for t, o := range off {
			qv := q[at+o]
			s += float32(w[t] * qv)
			acc[t] += xi * qv
		}
		dx[idx[k]] += s
	}
}
