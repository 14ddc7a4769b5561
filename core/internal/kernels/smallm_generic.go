package kernels

// The portable kernels of smallm.go.

func flatGemmGeneric(m, n, k int, a []float32, lda int, b []float32, boff []int, c []float32, ldc int) {
	r := 0
	for ; r+2 <= m; r += 2 { // two C rows share each pass over four B rows
		c0, c1 := c[r*ldc:r*ldc+n], c[(r+1)*ldc:(r+1)*ldc+n]
		clear(c0)
		clear(c1)
		a0, a1 := a[r*lda:r*lda+k], a[(r+1)*lda:(r+1)*lda+k]
		p := 0
		for ; p+4 <= k; p += 4 {
			axpy4x2(a0[p], a0[p+1], a0[p+2], a0[p+3], a1[p], a1[p+1], a1[p+2], a1[p+3],
				b[boff[p]:boff[p]+n], b[boff[p+1]:boff[p+1]+n], b[boff[p+2]:boff[p+2]+n], b[boff[p+3]:boff[p+3]+n], c0, c1)
		}
		for ; p < k; p++ {
			axpyGeneric(a0[p], b[boff[p]:boff[p]+n], c0)
			axpyGeneric(a1[p], b[boff[p]:boff[p]+n], c1)
		}
	}
	for ; r < m; r++ {
		cr := c[r*ldc : r*ldc+n]
		clear(cr)
		ar := a[r*lda : r*lda+k]
		p := 0
		for ; p+4 <= k; p += 4 {
			axpy4(ar[p], ar[p+1], ar[p+2], ar[p+3], b[boff[p]:boff[p]+n], b[boff[p+1]:boff[p+1]+n],
				b[boff[p+2]:boff[p+2]+n], b[boff[p+3]:boff[p+3]+n], cr)
		}
		for ; p < k; p++ {
			axpyGeneric(ar[p], b[boff[p]:boff[p]+n], cr)
		}
	}
}

func flatDotGeneric(m, k, n int, d []float32, ldd int, b []float32, boff []int, c []float32, ldc int) {
	r := 0
	for ; r+2 <= m; r += 2 { // 2×2 dots per pass: each load feeds two products
		d0, d1 := d[r*ldd:r*ldd+n], d[(r+1)*ldd:(r+1)*ldd+n]
		q := 0
		for ; q+2 <= k; q += 2 {
			s00, s01, s10, s11 := dot2x2(d0, d1, b[boff[q]:boff[q]+n], b[boff[q+1]:boff[q+1]+n])
			c[r*ldc+q] += s00
			c[r*ldc+q+1] += s01
			c[(r+1)*ldc+q] += s10
			c[(r+1)*ldc+q+1] += s11
		}
		for ; q < k; q++ {
			c[r*ldc+q] += dotGeneric(d0, b[boff[q]:boff[q]+n])
			c[(r+1)*ldc+q] += dotGeneric(d1, b[boff[q]:boff[q]+n])
		}
	}
	for ; r < m; r++ {
		dr := d[r*ldd : r*ldd+n]
		for q := 0; q < k; q++ {
			c[r*ldc+q] += dotGeneric(dr, b[boff[q]:boff[q]+n])
		}
	}
}
