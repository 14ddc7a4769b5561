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
		for pi := 0; pi < panels; pi++ {
			rows := min(4, m-pi*4)
			if rows == 4 && cols == flatNR {
				flatKernel4x24(k, &ap[pi*4*k], &x[j], &boff[0], &y[pi*4*n+j], n)
				continue
			}
			flatKernel4x24(k, &ap[pi*4*k], &x[j], &boff[0], &tile[0], flatNR)
			for r := 0; r < rows; r++ {
				copy(y[(pi*4+r)*n+j:(pi*4+r)*n+j+cols], tile[r*flatNR:r*flatNR+cols])
			}
		}
	}
}
