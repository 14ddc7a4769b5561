//go:build goexperiment.simd && amd64 && !noasm

package kernels

import "simd/archsimd"

// flatKernel4x24 and flatDot4x3 are in kernel_amd64.s (AVX2+FMA).
//
//go:noescape
func flatKernel4x24(k int, a, b *float32, boff *int, c *float32, ldc int)

//go:noescape
func flatDot4x3(n int, d *float32, ldd int, b *float32, boff *int, out *float32)

func init() {
	if archsimd.X86.AVX2() && archsimd.X86.FMA() {
		flatGemmFast, flatDotFast = flatGemmAVX2, flatDotAVX2
	}
}

// flatGemmAVX2 is flatGemm on 4×24 tiles: A is packed into 4-row panels
// (zero rows past m), B is read in place. Partial row panels go through a
// scratch tile; the last n mod 24 columns run the generic loop.
func flatGemmAVX2(m, n, k int, a []float32, lda int, b []float32, boff []int, c []float32, ldc int) {
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
		s := getScratch(panels*4*k + 4*flatNR)
		defer putScratch(s)
		ap, tile := (*s)[:panels*4*k], (*s)[panels*4*k:]
		for pi := 0; pi < panels; pi++ {
			pan := ap[pi*4*k : (pi+1)*4*k]
			for r := 0; r < 4; r++ {
				i := pi*4 + r
				if i >= m {
					for p := 0; p < k; p++ {
						pan[p*4+r] = 0
					}
					continue
				}
				for p, v := range a[i*lda : i*lda+k] {
					pan[p*4+r] = v
				}
			}
		}
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
		flatGemmGeneric(m, n-nFull, k, a, lda, b, sub, c[nFull:], ldc)
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
	if n8 > 0 && m4 > 0 && k3 > 0 {
		for _, o := range boff {
			_ = b[o : o+n8]
		}
		_ = d[(m4-1)*ldd+n8-1]
		var out [12]float32
		for r := 0; r < m4; r += 4 {
			for q := 0; q < k3; q += 3 {
				flatDot4x3(n8, &d[r*ldd], ldd, &b[0], &boff[q], &out[0])
				for qq := 0; qq < 3; qq++ {
					cr := c[r*ldc+q+qq:]
					cr[0] += out[qq*4]
					cr[ldc] += out[qq*4+1]
					cr[2*ldc] += out[qq*4+2]
					cr[3*ldc] += out[qq*4+3]
				}
			}
		}
		if n8 < n {
			for r := 0; r < m4; r++ {
				dr := d[r*ldd+n8 : r*ldd+n]
				for q := 0; q < k3; q++ {
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
