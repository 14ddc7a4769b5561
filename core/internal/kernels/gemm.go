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

func gemmNNGeneric(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmGeneric(false, false, m, n, k, a, lda, b, ldb, beta, c, ldc)
}

func gemmNTGeneric(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmGeneric(false, true, m, n, k, a, lda, b, ldb, beta, c, ldc)
}

func gemmTNGeneric(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmGeneric(true, false, m, n, k, a, lda, b, ldb, beta, c, ldc)
}

// Block sizes of the generic GEMM: a kb×nb block of B (128 KiB) stays in L2
// while every row of A streams over it.
const (
	genKB = 128
	genNB = 256
)

// gemmGeneric is the portable GEMM (what wasm runs): C rows are split over
// workers; per row, B is walked in kb×nb blocks and four rows of the block are
// folded into the C row sub-slice per pass (c += a0·b0 + a1·b1 + a2·b2 + a3·b3),
// which quarters the loads and stores of C compared with plain axpy. For Bᵀ the
// block is transposed into scratch first.
func gemmGeneric(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	rows := func(_, lo, hi int) {
		scaleRows(hi-lo, n, beta, c[lo*ldc:], ldc)
		if k <= 0 {
			return
		}
		gemmGenericRows(tA, tB, lo, hi, n, k, a, lda, b, ldb, c, ldc)
	}
	if m*n*k < parallelGemmFlops || m < 2 {
		rows(0, 0, m)
		return
	}
	Parallel(m, rows)
}

func gemmGenericRows(tA, tB bool, i0, i1, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	sai, sap := lda, 1 // A(i, p) = a[i*sai + p*sap]
	if tA {
		sai, sap = 1, lda
	}
	var bt []float32
	if tB {
		s := getScratch(genKB * genNB)
		defer putScratch(s)
		bt = *s
	}
	for jb := 0; jb < n; jb += genNB {
		nb := min(genNB, n-jb)
		for pb := 0; pb < k; pb += genKB {
			kb := min(genKB, k-pb)
			var bb []float32
			ldbb := ldb
			if !tB {
				bb = b[pb*ldb+jb:]
			} else {
				for j := 0; j < nb; j++ {
					src := b[(jb+j)*ldb+pb : (jb+j)*ldb+pb+kb]
					for p, v := range src {
						bt[p*nb+j] = v
					}
				}
				bb, ldbb = bt, nb
			}
			i := i0
			for ; i+2 <= i1; i += 2 {
				c0 := c[i*ldc+jb : i*ldc+jb+nb]
				c1 := c[(i+1)*ldc+jb : (i+1)*ldc+jb+nb]
				a0i, a1i := i*sai+pb*sap, (i+1)*sai+pb*sap
				p := 0
				for ; p+4 <= kb; p += 4 {
					axpy4x2(a[a0i+p*sap], a[a0i+(p+1)*sap], a[a0i+(p+2)*sap], a[a0i+(p+3)*sap],
						a[a1i+p*sap], a[a1i+(p+1)*sap], a[a1i+(p+2)*sap], a[a1i+(p+3)*sap],
						bb[p*ldbb:p*ldbb+nb], bb[(p+1)*ldbb:(p+1)*ldbb+nb],
						bb[(p+2)*ldbb:(p+2)*ldbb+nb], bb[(p+3)*ldbb:(p+3)*ldbb+nb], c0, c1)
				}
				for ; p < kb; p++ {
					axpyGeneric(a[a0i+p*sap], bb[p*ldbb:p*ldbb+nb], c0)
					axpyGeneric(a[a1i+p*sap], bb[p*ldbb:p*ldbb+nb], c1)
				}
			}
			for ; i < i1; i++ {
				ci := c[i*ldc+jb : i*ldc+jb+nb]
				ai := i*sai + pb*sap
				p := 0
				for ; p+4 <= kb; p += 4 {
					axpy4(a[ai+p*sap], a[ai+(p+1)*sap], a[ai+(p+2)*sap], a[ai+(p+3)*sap],
						bb[p*ldbb:p*ldbb+nb], bb[(p+1)*ldbb:(p+1)*ldbb+nb],
						bb[(p+2)*ldbb:(p+2)*ldbb+nb], bb[(p+3)*ldbb:(p+3)*ldbb+nb], ci)
				}
				for ; p < kb; p++ {
					axpyGeneric(a[ai+p*sap], bb[p*ldbb:p*ldbb+nb], ci)
				}
			}
		}
	}
}

// axpy4 computes c[j] += a0·b0[j] + a1·b1[j] + a2·b2[j] + a3·b3[j].
func axpy4(a0, a1, a2, a3 float32, b0, b1, b2, b3, c []float32) {
	n := len(c)
	b0, b1, b2, b3 = b0[:n], b1[:n], b2[:n], b3[:n]
	for j := range c {
		c[j] += a0*b0[j] + a1*b1[j] + a2*b2[j] + a3*b3[j]
	}
}

// axpy4x2 is axpy4 on two C rows sharing the four B rows (half the B loads).
func axpy4x2(a0, a1, a2, a3, e0, e1, e2, e3 float32, b0, b1, b2, b3, c0, c1 []float32) {
	n := len(c0)
	b0, b1, b2, b3, c1 = b0[:n], b1[:n], b2[:n], b3[:n], c1[:n]
	for j := range c0 {
		x0, x1, x2, x3 := b0[j], b1[j], b2[j], b3[j]
		c0[j] += a0*x0 + a1*x1 + a2*x2 + a3*x3
		c1[j] += e0*x0 + e1*x1 + e2*x2 + e3*x3
	}
}
