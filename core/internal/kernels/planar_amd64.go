//go:build goexperiment.simd && amd64 && !noasm

package kernels

import (
	"math"
	"simd/archsimd"
)

// The AVX2 kernels of the planar layout (planar.go); the assembly ones are
// in planar_amd64.s.

// corr64 is in planar_amd64.s: Corr over blocks of 64 flat outputs, rounding
// exactly as corrGeneric.
//
//go:noescape
func corr64(blocks int, out, in, w *float32, off *int, taps int)

// rowsReLUY and rowsMaskedAddY are in planar_amd64.s.
//
//go:noescape
func rowsReLUY(x, dst *float32, pos *int, rows, ldx, pad, n8, x4, lim int) (ok bool)

//go:noescape
func rowsMaskedAddY(src, x, dx *float32, pos *int, rows, ldx, pad, n8, x4, lim int) (ok bool)

// corrRest is in planar_amd64.s: corr64's sums for the 8 ≤ n < 64 outputs
// after the 64-blocks, the last block of 8 ending at n.
//
//go:noescape
func corrRest(n int, out, in, w *float32, off *int, taps int)

// dotTaps9 is in planar_amd64.s: dotTaps8 for 9 taps.
//
//go:noescape
func dotTaps9(n8 int, in *float32, off *int, q *float32, acc *float32)

// dotTaps8 is in planar_amd64.s: the tap dots of DotTaps for 8 taps over the
// first n8 (a positive multiple of 8) positions, added to acc.
//
//go:noescape
func dotTaps8(n8 int, in *float32, off *int, q *float32, acc *float32)

// corrAVX2 is corrGeneric on Float32x8, 32 flat outputs per pass held in
// four registers across all taps (Mul then Add: exact vs corrGeneric).
func corrAVX2(out, in, w []float32, tp taps) {
	off := tp.off
	n := len(out)
	w = w[:len(off)]
	if n < 8 {
		corrTail(out, in, w, off, 0)
		return
	}
	// every read in[j+off[t]], j < n, must be inside in
	if len(off) > 0 && tp.lo >= 0 && n+tp.hi <= len(in) {
		nb := n / 64
		if nb > 0 {
			corr64(nb, &out[0], &in[0], &w[0], &off[0], len(off))
		}
		if j := 64 * nb; j < n {
			if n-j >= 8 {
				corrRest(n-j, &out[j], &in[j], &w[0], &off[0], len(off))
			} else { // the last block of 8 ends at n
				corrRest(8, &out[n-8], &in[n-8], &w[0], &off[0], len(off))
			}
		}
		return
	}
	j := 0
	for ; j+32 <= n; j += 32 {
		var s0, s1, s2, s3 archsimd.Float32x8
		for t, o := range off {
			wt := archsimd.BroadcastFloat32x8(w[t])
			x := in[j+o : j+o+32]
			s0 = s0.Add(wt.Mul(archsimd.LoadFloat32x8Slice(x)))
			s1 = s1.Add(wt.Mul(archsimd.LoadFloat32x8Slice(x[8:])))
			s2 = s2.Add(wt.Mul(archsimd.LoadFloat32x8Slice(x[16:])))
			s3 = s3.Add(wt.Mul(archsimd.LoadFloat32x8Slice(x[24:])))
		}
		o := out[j : j+32]
		s0.StoreSlice(o)
		s1.StoreSlice(o[8:])
		s2.StoreSlice(o[16:])
		s3.StoreSlice(o[24:])
	}
	// two blocks of 8 side by side: two dependent chains of adds per tap
	// instead of one (the runs of 16 and 48 left by the 64-blocks, the 8×8
	// and 4×4 planes)
	for ; j+16 <= n; j += 16 {
		var s0, s1 archsimd.Float32x8
		for t, o := range off {
			wt := archsimd.BroadcastFloat32x8(w[t])
			x := in[j+o : j+o+16]
			s0 = s0.Add(wt.Mul(archsimd.LoadFloat32x8Slice(x)))
			s1 = s1.Add(wt.Mul(archsimd.LoadFloat32x8Slice(x[8:])))
		}
		o := out[j : j+16]
		s0.StoreSlice(o)
		s1.StoreSlice(o[8:])
	}
	for ; j < n; j += 8 {
		// the last block ends at n and may overlap the one before it: its
		// outputs are the same sums in the same order, so the overlap writes
		// what is already there (out and in never share memory)
		j = min(j, n-8)
		var s0 archsimd.Float32x8
		for t, o := range off {
			s0 = s0.Add(archsimd.BroadcastFloat32x8(w[t]).Mul(archsimd.LoadFloat32x8Slice(in[j+o:])))
		}
		s0.StoreSlice(out[j : j+8])
	}
	archsimd.ClearAVXUpperBits()
}

// evenOddPerm puts x0…x7 in the order x0,x2,x4,x6,x1,x3,x5,x7;
// oddEvenPerm undoes it.
var evenOddPerm, oddEvenPerm = [8]int32{0, 2, 4, 6, 1, 3, 5, 7}, [8]int32{0, 4, 1, 5, 2, 6, 3, 7}

// rowsReLUAVX2 copies max(x, 0) of rows of w floats (x rows w apart) to
// dst rows pitch apart, for the rows of pos: dst[pos[r] + i] for i < w.
// One call per plane instead of one per row (rows of 8–32 floats).
func rowsReLUAVX2(x, dst []float32, pos []int, w, pad int) {
	if len(pos) == 0 || w == 0 {
		return
	}
	if w%4 == 0 { // every DARTS map: the whole plane in one call
		_ = x[len(pos)*w-1]
		if len(dst) < w || !rowsReLUY(&x[0], &dst[0], &pos[0], len(pos), w, pad, w/8, w%8/4, len(dst)-w) {
			panic("kernels: rowsReLUAVX2: a row outside dst")
		}
		return
	}
	var zero archsimd.Float32x8
	w8 := w &^ 7
	for r, rp := range pos {
		xr, dr := x[r*w:r*w+w], dst[rp+pad:rp+pad+w]
		i := 0
		for ; i < w8; i += 8 {
			v := archsimd.LoadFloat32x8Slice(xr[i : i+8])
			v.Masked(v.Greater(zero)).StoreSlice(dr[i : i+8])
		}
		if i+4 <= w { // rows of 4 (4×4 maps)
			v := archsimd.LoadFloat32x4Slice(xr[i : i+4])
			v.Masked(v.Greater(zero.GetLo())).StoreSlice(dr[i : i+4])
			i += 4
		}
		for ; i < w; i++ {
			v := xr[i]
			dr[i] = math.Float32frombits(math.Float32bits(v) & posMask(v))
		}
	}
	archsimd.ClearAVXUpperBits()
}

// rowsMaskedAddAVX2 is the adjoint of rowsReLUAVX2's copy with the ReLU
// mask: dx row r [i] += src[pos[r]+pad+i] where x row r [i] > 0.
func rowsMaskedAddAVX2(src, x, dx []float32, pos []int, w, pad int) {
	if len(pos) == 0 || w == 0 {
		return
	}
	if w%4 == 0 {
		_ = x[len(pos)*w-1]
		_ = dx[len(pos)*w-1]
		if len(src) < w || !rowsMaskedAddY(&src[0], &x[0], &dx[0], &pos[0], len(pos), w, pad, w/8, w%8/4, len(src)-w) {
			panic("kernels: rowsMaskedAddAVX2: a row outside src")
		}
		return
	}
	var zero archsimd.Float32x8
	w8 := w &^ 7
	for r, rp := range pos {
		xr, dr, sr := x[r*w:r*w+w], dx[r*w:r*w+w], src[rp+pad:rp+pad+w]
		i := 0
		for ; i < w8; i += 8 {
			m := archsimd.LoadFloat32x8Slice(xr[i : i+8]).Greater(zero)
			d := archsimd.LoadFloat32x8Slice(sr[i : i+8]).Masked(m)
			archsimd.LoadFloat32x8Slice(dr[i : i+8]).Add(d).StoreSlice(dr[i : i+8])
		}
		if i+4 <= w {
			m := archsimd.LoadFloat32x4Slice(xr[i : i+4]).Greater(zero.GetLo())
			d := archsimd.LoadFloat32x4Slice(sr[i : i+4]).Masked(m)
			archsimd.LoadFloat32x4Slice(dr[i : i+4]).Add(d).StoreSlice(dr[i : i+4])
			i += 4
		}
		for ; i < w; i++ {
			dr[i] += math.Float32frombits(math.Float32bits(sr[i]) & posMask(xr[i]))
		}
	}
	archsimd.ClearAVXUpperBits()
}

// dotTapsAVX2 is DotTaps four taps at a time, sharing each load of q
// (FMA accumulators: agrees with dotTapsGeneric to rounding).
func dotTapsAVX2(in []float32, off []int, q, acc []float32) {
	n := len(q)
	acc = acc[:len(off)]
	if n < 16 {
		dotTapsGeneric(in, off, q, acc)
		return
	}
	t := 0
	n8 := n &^ 7
	if len(off)%8 == 1 && len(off) >= 9 { // 3×3, 5×5: nine taps per load of q first
		for _, o := range off[:9] {
			_ = in[o : o+n] // bounds: every tap's run is inside in
		}
		dotTaps9(n8, &in[0], &off[0], &q[0], &acc[0])
		t = 9
	}
	for ; t+8 <= len(off); t += 8 {
		for _, o := range off[t : t+8] {
			_ = in[o : o+n]
		}
		dotTaps8(n8, &in[0], &off[t], &q[0], &acc[t])
	}
	if n8 < n { // the last n mod 8 positions of the taps done above
		for k, o := range off[:t] {
			x := in[o:]
			var s float32
			for j := n8; j < n; j++ {
				s += x[j] * q[j]
			}
			acc[k] += s
		}
	}
	for ; t+4 <= len(off); t += 4 {
		x0, x1, x2, x3 := in[off[t]:off[t]+n], in[off[t+1]:off[t+1]+n], in[off[t+2]:off[t+2]+n], in[off[t+3]:off[t+3]+n]
		var s0, s1, s2, s3 archsimd.Float32x8
		j := 0
		for ; j+8 <= n; j += 8 {
			qv := archsimd.LoadFloat32x8Slice(q[j:])
			s0 = archsimd.LoadFloat32x8Slice(x0[j:]).MulAdd(qv, s0)
			s1 = archsimd.LoadFloat32x8Slice(x1[j:]).MulAdd(qv, s1)
			s2 = archsimd.LoadFloat32x8Slice(x2[j:]).MulAdd(qv, s2)
			s3 = archsimd.LoadFloat32x8Slice(x3[j:]).MulAdd(qv, s3)
		}
		var l0, l1, l2, l3 [8]float32
		s0.Store(&l0)
		s1.Store(&l1)
		s2.Store(&l2)
		s3.Store(&l3)
		archsimd.ClearAVXUpperBits()
		var a0, a1, a2, a3 float32
		for k := 0; k < 8; k++ {
			a0, a1, a2, a3 = a0+l0[k], a1+l1[k], a2+l2[k], a3+l3[k]
		}
		for ; j < n; j++ {
			a0 += x0[j] * q[j]
			a1 += x1[j] * q[j]
			a2 += x2[j] * q[j]
			a3 += x3[j] * q[j]
		}
		acc[t], acc[t+1], acc[t+2], acc[t+3] = acc[t]+a0, acc[t+1]+a1, acc[t+2]+a2, acc[t+3]+a3
	}
	for ; t < len(off); t++ {
		acc[t] += dotAVX2(in[off[t]:off[t]+n], q)
	}
}

// maxTapsAVX2 is maxTapsGeneric on Float32x8 with the winning tap kept in an
// Int32x8 (strict Greater then Merge: the same first-wins ties, exact).
func maxTapsAVX2(out []float32, arg []int32, in []float32, off []int) {
	n := len(out)
	arg = arg[:n]
	j := 0
	for ; j+8 <= n; j += 8 {
		best := archsimd.LoadFloat32x8Slice(in[j+off[0]:])
		var bt archsimd.Int32x8
		for t := 1; t < len(off); t++ {
			v := archsimd.LoadFloat32x8Slice(in[j+off[t]:])
			m := v.Greater(best)
			best = v.Merge(best, m)
			bt = archsimd.BroadcastInt32x8(int32(t)).Merge(bt, m)
		}
		best.StoreSlice(out[j:])
		bt.StoreSlice(arg[j:])
	}
	archsimd.ClearAVXUpperBits()
	if j < n {
		maxTapsGeneric(out[j:], arg[j:], in[j:], off)
	}
}

// maxTapsValAVX2 is maxTapsAVX2 with each winner's val[t] kept instead of t
// (maxTapsZ on ymm): strict Greater then Merge, the same first-wins ties,
// exact. len(out) is a multiple of 8 (the caller rounds its run up and gives
// in the slack).
func maxTapsValAVX2(out []float32, arg []int32, in []float32, off []int, val []int32) {
	n := len(out)
	if n%8 != 0 {
		panic("kernels: maxTapsValAVX2: run not a multiple of 8")
	}
	arg, val = arg[:n], val[:len(off)]
	for j := 0; j < n; j += 8 {
		best := archsimd.LoadFloat32x8Slice(in[j+off[0]:])
		bt := archsimd.BroadcastInt32x8(val[0])
		for t := 1; t < len(off); t++ {
			v := archsimd.LoadFloat32x8Slice(in[j+off[t]:])
			m := v.Greater(best)
			best = v.Merge(best, m)
			bt = archsimd.BroadcastInt32x8(val[t]).Merge(bt, m)
		}
		best.StoreSlice(out[j:])
		bt.StoreSlice(arg[j:])
	}
	archsimd.ClearAVXUpperBits()
}

// maxPoolRowsAVX2 is maxPoolRowsAVX512 on ymm and xmm: the maxima over the
// −Inf padded plane with each winner's index offset in x's plane (tapIdx),
// then per output row the values copied out and the indices completed by a
// vector add of the window origins (idxBase), 8 then 4 columns at a time; a
// row holding −Inf (an all −Inf or NaN window, where the padding may have
// won) goes through the scalar check of maxPoolPlanar.
func maxPoolRowsAVX2(p *planar, x []float32, c int, y []float32, idx []int32) {
	g := p.g
	hw, ohw, ow, pcw := g.H*g.W, p.oh*p.ow, p.ow, p.pcw
	// the flat run rounded up to whole vectors, with the slack its reads and
	// writes need; what lands past the last valid output is never read
	n := roundUp(p.l-pcw+ow, 8)
	bl := max(p.bufLen, n+p.offT.hi)
	sc := getScratch(bl + n)
	defer putScratch(sc)
	buf, out := (*sc)[:bl], (*sc)[bl:bl+n]
	ninf := float32(math.Inf(-1))
	for i := range buf {
		buf[i] = ninf
	}
	arg := getArgScratch(n)
	defer argScratch.Put(arg)
	for ci := 0; ci < c; ci++ {
		p.layout(x[ci*hw:ci*hw+hw], buf)
		maxTapsValAVX2(out, (*arg)[:n], buf, p.off, p.tapIdx32)
		yc := y[ci*ohw : ci*ohw+ohw]
		var ic []int32
		if idx != nil {
			ic = idx[ci*ohw : ci*ohw+ohw]
		}
		v8, v4 := archsimd.BroadcastFloat32x8(ninf), archsimd.BroadcastFloat32x4(ninf)
		for oy := 0; oy < p.oh; oy++ {
			br, ar := out[oy*pcw:oy*pcw+ow], (*arg)[oy*pcw:oy*pcw+ow]
			yr := yc[oy*ow : oy*ow+ow]
			slow := false
			j := 0
			for ; j+8 <= ow; j += 8 {
				v := archsimd.LoadFloat32x8Slice(br[j:])
				slow = slow || v.Equal(v8).ToBits() != 0
				v.StoreSlice(yr[j:])
				if ic != nil {
					b := archsimd.LoadInt32x8Slice(p.idxBase[oy*ow+j:])
					archsimd.LoadInt32x8Slice(ar[j:]).Add(b).StoreSlice(ic[oy*ow+j:])
				}
			}
			for ; j+4 <= ow; j += 4 {
				v := archsimd.LoadFloat32x4Slice(br[j:])
				slow = slow || v.Equal(v4).ToBits() != 0
				v.StoreSlice(yr[j:])
				if ic != nil {
					b := archsimd.LoadInt32x4Slice(p.idxBase[oy*ow+j:])
					archsimd.LoadInt32x4Slice(ar[j:]).Add(b).StoreSlice(ic[oy*ow+j:])
				}
			}
			for ; j < ow; j++ {
				yr[j] = br[j]
				slow = slow || br[j] == ninf
				if ic != nil {
					ic[oy*ow+j] = p.idxBase[oy*ow+j] + ar[j]
				}
			}
			if !slow {
				continue
			}
			for ox := range yr { // −Inf or NaN inputs: the padding may have won
				if yr[ox] == ninf {
					best, bt := p.maxPoolSlow(buf, oy, ox)
					yr[ox] = best
					if ic != nil {
						ic[oy*ow+ox] = p.idxBase[oy*ow+ox] + p.tapIdx32[bt]
					}
				}
			}
		}
		archsimd.ClearAVXUpperBits()
	}
}

// copyRowsAVX2 is copyRowsImpl for rows of 8k+4j floats, in one call
// (copyRowsY): the planar layouts' and spread's row copies, one memmove per
// row of 4-32 floats before.
func copyRowsAVX2(src, dst []float32, rows, w, ldd int) bool {
	if w%4 != 0 || rows <= 0 || w == 0 || ldd < w {
		return false
	}
	_ = src[rows*w-1]
	_ = dst[(rows-1)*ldd+w-1]
	copyRowsY(&src[0], &dst[0], rows, ldd, w/8, w%8/4)
	return true
}

// copyRowsY is in planar_amd64.s.
//
//go:noescape
func copyRowsY(src, dst *float32, rows, ldd, n8, x4 int)

// rows2Y and rows2MaskedAddY are in planar_amd64.s.
//
//go:noescape
func rows2Y(x, dst *float32, pos *int, rows, ldx, eOff, oOff, n8 int, relu bool, idx *int32, eLim, oLim int) (ok bool)

//go:noescape
func rows2MaskedAddY(src, x, dx *float32, pos *int, rows, ldx, eOff, oOff, n8 int, idx *int32, eLim, oLim int) (ok bool)

// rows2ReLUAVX2 is layoutReLU's stride-2 rows a plane per call (rows2Y)
// for rows of 8k floats (the reduction cells' 8-, 16- and 32-wide maps),
// else row by row.
func rows2ReLUAVX2(x, dst []float32, pos []int, w, eOff, oOff int) {
	if len(pos) == 0 || w == 0 {
		return
	}
	if w%8 != 0 {
		rows2ReLUGeneric(x, dst, pos, w, eOff, oOff)
		return
	}
	_ = x[len(pos)*w-1]
	if len(dst) < w/2 || !rows2Y(&x[0], &dst[0], &pos[0], len(pos), w, eOff, oOff, w/8, true,
		&evenOddPerm[0], len(dst)-w/2, len(dst)-w/2) {
		panic("kernels: rows2ReLUAVX2: a row outside dst")
	}
}

// rows2CopyAVX2 is rows2CopyImpl for rows of 8k floats (rows2Y without
// the ReLU): the stride-2 pools' layouts.
func rows2CopyAVX2(x, dst []float32, pos []int, w, eOff, oOff int) bool {
	if len(pos) == 0 || w == 0 || w%8 != 0 {
		return false
	}
	_ = x[len(pos)*w-1]
	if len(dst) < w/2 || !rows2Y(&x[0], &dst[0], &pos[0], len(pos), w, eOff, oOff, w/8, false,
		&evenOddPerm[0], len(dst)-w/2, len(dst)-w/2) {
		panic("kernels: rows2CopyAVX2: a row outside dst")
	}
	return true
}

// rows2MaskedAddAVX2 is rows2ReLUAVX2's adjoint (addBackMasked's stride-2
// rows).
func rows2MaskedAddAVX2(src, x, dx []float32, pos []int, w, eOff, oOff int) {
	if len(pos) == 0 || w == 0 {
		return
	}
	if w%8 != 0 {
		rows2MaskedAddGeneric(src, x, dx, pos, w, eOff, oOff)
		return
	}
	_ = x[len(pos)*w-1]
	_ = dx[len(pos)*w-1]
	if len(src) < w/2 || !rows2MaskedAddY(&src[0], &x[0], &dx[0], &pos[0], len(pos), w, eOff, oOff, w/8,
		&oddEvenPerm[0], len(src)-w/2, len(src)-w/2) {
		panic("kernels: rows2MaskedAddAVX2: a row outside src")
	}
}

// rows2ReLUGeneric is rows2ReLUImpl's contract in scalar code: row r's even
// columns j of x (rows w apart) rectified to dst[pos[r] + eOff + j/2], its
// odd ones to dst[pos[r] + oOff + j/2].
func rows2ReLUGeneric(x, dst []float32, pos []int, w, eOff, oOff int) {
	for r, rp := range pos {
		for j, v := range x[r*w : r*w+w] {
			at := rp + eOff + j/2
			if j&1 == 1 {
				at = rp + oOff + j/2
			}
			dst[at] = math.Float32frombits(math.Float32bits(v) & posMask(v)) // NaN → 0
		}
	}
}

// rows2MaskedAddGeneric is rows2ReLUGeneric's adjoint.
func rows2MaskedAddGeneric(src, x, dx []float32, pos []int, w, eOff, oOff int) {
	for r, rp := range pos {
		xr, dr := x[r*w:r*w+w], dx[r*w:r*w+w]
		for j, v := range xr {
			at := rp + eOff + j/2
			if j&1 == 1 {
				at = rp + oOff + j/2
			}
			dr[j] += math.Float32frombits(math.Float32bits(src[at]) & posMask(v))
		}
	}
}
