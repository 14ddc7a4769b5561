//go:build goexperiment.simd && amd64 && !noasm

package kernels

import "simd/archsimd"

// flatKernel4x24 and flatDot4x3 are in gemm_amd64.s (AVX2+FMA).
//
//go:noescape
func flatKernel4x24(k int, a, b *float32, boff *int, c *float32, ldc int)

// flatKernel4x16 is flatKernel4x24 on 16 columns (gemm_amd64.s).
//
//go:noescape
func flatKernel4x16(k int, a, b *float32, boff *int, c *float32, ldc int)

//go:noescape
func flatDot4x3(n int, d *float32, ldd int, b *float32, boff *int, out *float32)

// flatGemmAVX2 is flatGemm on 4×24 tiles over A's packed panels, B read in
// place. Partial row panels go through a scratch tile; the last n mod 24
// columns run the generic loop.
func flatGemmAVX2(n int, A *flatA, b []float32, boff []int, c []float32, ldc int) {
	m, k := A.m, A.k
	if m <= 0 || n <= 0 {
		return
	}
	if k <= 0 {
		for r := 0; r < m; r++ {
			clear(c[r*ldc : r*ldc+n])
		}
		return
	}
	boff = boff[:k]
	nFull := n / flatNR * flatNR
	if nFull > 0 {
		hi := 0
		for _, o := range boff {
			if o < 0 {
				panic("kernels: flatGemm: negative B offset")
			}
			hi = max(hi, o)
		}
		_ = b[hi+nFull-1]
		_ = c[(m-1)*ldc+n-1]
		panels := (m + 3) / 4
		ap := A.ap[:panels*4*k]
		var tile [4 * flatNR]float32
		for j := 0; j < nFull; j += flatNR {
			for pi := 0; pi < panels; pi++ {
				rows := min(4, m-pi*4)
				if rows == 4 {
					flatKernel4x24(k, &ap[pi*4*k], &b[j], &boff[0], &c[pi*4*ldc+j], ldc)
					continue
				}
				flatKernel4x24(k, &ap[pi*4*k], &b[j], &boff[0], &tile[0], flatNR)
				for r := 0; r < rows; r++ {
					copy(c[(pi*4+r)*ldc+j:(pi*4+r)*ldc+j+flatNR], tile[r*flatNR:(r+1)*flatNR])
				}
			}
		}
	}
	if nFull < n {
		sub := make([]int, k) // rare: only shapes whose width is not a multiple of 24
		for p, o := range boff {
			sub[p] = o + nFull
		}
		flatGemmGeneric(m, n-nFull, k, A.a, A.lda, b, sub, c[nFull:], ldc)
	}
}

// flatDotAVX2 is flatDot on 4×3 tiles over the first n − n mod 8 columns;
// the other rows, offsets and columns run the generic dot.
func flatDotAVX2(m, k, n int, d []float32, ldd int, b []float32, boff []int, c []float32, ldc int) {
	if m <= 0 || k <= 0 || n <= 0 {
		return
	}
	boff = boff[:k]
	n8 := n / 8 * 8
	m4, k3 := m/4*4, k/3*3
	if n8 > 0 && m4 > 0 {
		for _, o := range boff {
			_ = b[o+n8-1]
		}
		_ = d[(m4-1)*ldd+n8-1]
		var out [12]float32
		for r := 0; r < m4; r += 4 {
			for q := 0; q < k3; q += 3 {
				flatDot4x3(n8, &d[r*ldd], ldd, &b[0], &boff[q], &out[0])
				addDotTile(c[r*ldc+q:], ldc, &out, 3)
			}
		}
		if k3 < k { // the last 1 or 2 offsets, repeated to fill the tile
			last := [3]int{boff[k3], boff[k-1], boff[k-1]}
			for r := 0; r < m4; r += 4 {
				flatDot4x3(n8, &d[r*ldd], ldd, &b[0], &last[0], &out[0])
				addDotTile(c[r*ldc+k3:], ldc, &out, k-k3)
			}
			k3 = k
		}
		if n8 < n {
			for r := 0; r < m4; r++ {
				dr := d[r*ldd+n8 : r*ldd+n]
				for q := 0; q < k; q++ {
					c[r*ldc+q] += dotGeneric(dr, b[boff[q]+n8:boff[q]+n])
				}
			}
		}
	} else {
		m4, k3 = 0, 0
	}
	// the generic remainder: rows [m4, m) × all q, and rows [0, m4) × q ≥ k3
	if k3 < k {
		flatDotGeneric(m4, k-k3, n, d, ldd, b, boff[k3:], c[k3:], ldc)
	}
	if m4 < m {
		flatDotGeneric(m-m4, k, n, d[m4*ldd:], ldd, b, boff, c[m4*ldc:], ldc)
	}
}

// addDotTile adds the first cols columns of a flatDot4x3 result (column-major
// 4×3) into c (4 rows ldc apart).
func addDotTile(c []float32, ldc int, out *[12]float32, cols int) {
	for q := 0; q < cols; q++ {
		c[q] += out[q*4]
		c[ldc+q] += out[q*4+1]
		c[2*ldc+q] += out[q*4+2]
		c[3*ldc+q] += out[q*4+3]
	}
}

// pool2x2Perm is the lane order of SelectFromPairGrouped's even/odd split of
// 16 floats (outputs 0, 1, 4, 5, 2, 3, 6, 7); it is its own inverse.
var pool2x2Perm = [8]int32{0, 1, 4, 5, 2, 3, 6, 7}

// maxPool2x2AVX2 is maxPool2x2 on 8 outputs at a time: the even and odd
// columns of the two input rows are split with VSHUFPS, the four taps
// compared in order with strict Greater + Merge (first wins, exact), and the
// lanes put back in order with VPERMPS/VPERMD.
func maxPool2x2AVX2(x []float32, c int, g Geom, y []float32, idx []int32) {
	oh, ow, w := g.OH(), g.OW(), g.W
	hw, ohw := g.H*w, oh*ow
	perm := archsimd.LoadInt32x8(&pool2x2Perm)
	uperm := perm.AsUint32x8()
	lane2 := perm.Add(perm) // 2·(output lane) in the split order
	for ci := 0; ci < c; ci++ {
		for oy := 0; oy < oh; oy++ {
			i0 := ci*hw + 2*oy*w
			r0, r1 := x[i0:i0+2*ow], x[i0+w:i0+w+2*ow]
			o := ci*ohw + oy*ow
			yr, ir := y[o:o+ow], idx[o:o+ow]
			at := int32(2 * oy * w)
			ox := 0
			for ; ox+8 <= ow; ox += 8 {
				j := 2 * ox
				a0, b0 := archsimd.LoadFloat32x8Slice(r0[j:j+8]), archsimd.LoadFloat32x8Slice(r0[j+8:j+16])
				a1, b1 := archsimd.LoadFloat32x8Slice(r1[j:j+8]), archsimd.LoadFloat32x8Slice(r1[j+8:j+16])
				base := archsimd.BroadcastInt32x8(at + int32(j)).Add(lane2)
				best, bi := a0.SelectFromPairGrouped(0, 2, 4, 6, b0), base
				v := a0.SelectFromPairGrouped(1, 3, 5, 7, b0)
				m := v.Greater(best)
				best, bi = v.Merge(best, m), base.Add(archsimd.BroadcastInt32x8(1)).Merge(bi, m)
				v = a1.SelectFromPairGrouped(0, 2, 4, 6, b1)
				m = v.Greater(best)
				best, bi = v.Merge(best, m), base.Add(archsimd.BroadcastInt32x8(int32(w))).Merge(bi, m)
				v = a1.SelectFromPairGrouped(1, 3, 5, 7, b1)
				m = v.Greater(best)
				best, bi = v.Merge(best, m), base.Add(archsimd.BroadcastInt32x8(int32(w+1))).Merge(bi, m)
				best.Permute(uperm).StoreSlice(yr[ox : ox+8])
				bi.Permute(uperm).StoreSlice(ir[ox : ox+8])
			}
			if ox < ow {
				maxPool2x2Row(r0, r1, yr, ir, at, w, ox)
			}
		}
	}
	archsimd.ClearAVXUpperBits()
}
