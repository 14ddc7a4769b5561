package kernels

// GemmNN computes C = beta·C + A·B for row-major A (m×k, stride lda),
// B (k×n, ldb), C (m×n, ldc). beta is 0 (overwrite) or 1 (accumulate), or any
// scale. Reference loop:
//
//	for i := 0; i < m; i++ {
//		for j := 0; j < n; j++ {
//			var s float32
//			for p := 0; p < k; p++ { s += a[i*lda+p] * b[p*ldb+j] }
//			c[i*ldc+j] = beta*c[i*ldc+j] + s
//		}
//	}
func GemmNN(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmNNImpl(m, n, k, a, lda, b, ldb, beta, c, ldc)
}

// GemmNT computes C = beta·C + A·Bᵀ for A (m×k, lda), B (n×k, ldb), C (m×n, ldc).
//
//	c[i*ldc+j] = beta*c[i*ldc+j] + Σ_p a[i*lda+p] * b[j*ldb+p]
func GemmNT(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmNTImpl(m, n, k, a, lda, b, ldb, beta, c, ldc)
}

// GemmTN computes C = beta·C + Aᵀ·B for A (k×m, lda), B (k×n, ldb), C (m×n, ldc).
//
//	c[i*ldc+j] = beta*c[i*ldc+j] + Σ_p a[p*lda+i] * b[p*ldb+j]
func GemmTN(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmTNImpl(m, n, k, a, lda, b, ldb, beta, c, ldc)
}

// Dispatch: the generic versions unless a fast path replaced them in init.
var (
	gemmNNImpl = gemmNNGeneric
	gemmNTImpl = gemmNTGeneric
	gemmTNImpl = gemmTNGeneric
)

// parallelGemmFlops is the m·n·k above which GEMMs are split over workers.
const parallelGemmFlops = 64 * 64 * 64

func scaleRows(m, n int, beta float32, c []float32, ldc int) {
	if beta == 1 {
		return
	}
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// Block sizes of the generic GEMM: a kb×nb block of B (128 KiB) stays in L2
// while every row of A streams over it.
const (
	genKB = 128
	genNB = 256
)
