//go:build goexperiment.simd && amd64 && !noasm

package kernels

// pointwiseAVX2 is Pointwise.Apply on flatKernel4x24 tiles. The last,
// partial column block is computed whole (reading up to 24 columns past n,
// within x) and only its valid columns kept; when x ends too early for that,
// the remaining columns run the generic loop.
func pointwiseAVX2(A *flatA, x []float32, boff []int, n int, y []float32) {
	m, k := A.m, A.k
	if m <= 0 || n <= 0 || k <= 0 {
		flatGemmGeneric(m, n, k, A.a, A.lda, x, boff, y, n)
		return
	}
	boff = boff[:k]
	last := boff[k-1] // offsets are increasing (rows of x)
	_ = y[(m-1)*n+n-1]
	panels := (m + 3) / 4
	ap := A.ap[:panels*4*k]
	var tile [4 * flatNR]float32
	for j := 0; j < n; j += flatNR {
		if j+last+flatNR > len(x) {
			flatGemmGeneric(m, n-j, k, A.a, A.lda, x[j:], boff, y[j:], n)
			return
		}
		cols := min(flatNR, n-j)
		// a last block of at most 16 columns (all of a 4×4 map) on the
		// 16-column kernel: no third of the 24-column one wasted
		// (direct calls: through a func value tile would escape)
		narrow := cols <= 16
		for pi := 0; pi < panels; pi++ {
			rows := min(4, m-pi*4)
			c, ldc := &tile[0], flatNR
			if rows == 4 && (cols == flatNR || cols == 16) {
				c, ldc = &y[pi*4*n+j], n
			}
			if narrow {
				flatKernel4x16(k, &ap[pi*4*k], &x[j], &boff[0], c, ldc)
			} else {
				flatKernel4x24(k, &ap[pi*4*k], &x[j], &boff[0], c, ldc)
			}
			if c != &tile[0] {
				continue
			}
			for r := 0; r < rows; r++ {
				copy(y[(pi*4+r)*n+j:(pi*4+r)*n+j+cols], tile[r*flatNR:r*flatNR+cols])
			}
		}
	}
}
