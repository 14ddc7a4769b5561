package kernels

// The portable GEMM of gemm.go (blocked loops, no packing) and the portable
// micro-kernel and pack of gemm_packed.go.

func gemmNNGeneric(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmGeneric(false, false, m, n, k, a, lda, b, ldb, beta, c, ldc)
}

func gemmNTGeneric(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmGeneric(false, true, m, n, k, a, lda, b, ldb, beta, c, ldc)
}

func gemmTNGeneric(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmGeneric(true, false, m, n, k, a, lda, b, ldb, beta, c, ldc)
}

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

// packBT8Generic transposes 8 rows of b (kc each, ldb apart) into the first
// 8 columns of a panel: pan[p*nr+j] = b[j*ldb+p], j < 8.
func packBT8Generic(pan []float32, nr int, b []float32, ldb, kc int) {
	s0, s1 := b[:kc], b[ldb:ldb+kc]
	s2, s3 := b[2*ldb:2*ldb+kc], b[3*ldb:3*ldb+kc]
	s4, s5 := b[4*ldb:4*ldb+kc], b[5*ldb:5*ldb+kc]
	s6, s7 := b[6*ldb:6*ldb+kc], b[7*ldb:7*ldb+kc]
	for p := range s0 {
		d := pan[p*nr : p*nr+8 : p*nr+8]
		d[0], d[1], d[2], d[3] = s0[p], s1[p], s2[p], s3[p]
		d[4], d[5], d[6], d[7] = s4[p], s5[p], s6[p], s7[p]
	}
}

// kernelGeneric is the portable 4×4 micro-kernel (16 scalar accumulators); it
// lets the packed driver be tested on every platform.
func kernelGeneric(kc int, a, b, c []float32, ldc int) {
	a, b = a[:4*kc], b[:4*kc]
	var c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 float32
	for p := 0; p < kc; p++ {
		ap, bp := a[4*p:4*p+4], b[4*p:4*p+4]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		a0 := ap[0]
		c00, c01, c02, c03 = c00+a0*b0, c01+a0*b1, c02+a0*b2, c03+a0*b3
		a1 := ap[1]
		c10, c11, c12, c13 = c10+a1*b0, c11+a1*b1, c12+a1*b2, c13+a1*b3
		a2 := ap[2]
		c20, c21, c22, c23 = c20+a2*b0, c21+a2*b1, c22+a2*b2, c23+a2*b3
		a3 := ap[3]
		c30, c31, c32, c33 = c30+a3*b0, c31+a3*b1, c32+a3*b2, c33+a3*b3
	}
	r := c[0:4]
	r[0], r[1], r[2], r[3] = r[0]+c00, r[1]+c01, r[2]+c02, r[3]+c03
	r = c[ldc : ldc+4]
	r[0], r[1], r[2], r[3] = r[0]+c10, r[1]+c11, r[2]+c12, r[3]+c13
	r = c[2*ldc : 2*ldc+4]
	r[0], r[1], r[2], r[3] = r[0]+c20, r[1]+c21, r[2]+c22, r[3]+c23
	r = c[3*ldc : 3*ldc+4]
	r[0], r[1], r[2], r[3] = r[0]+c30, r[1]+c31, r[2]+c32, r[3]+c33
}
