package kernels

// microKernel accumulates one mr×nr tile: c[r*ldc+j] += Σ_p a[p*mr+r]·b[p*nr+j]
// for packed panels a (kc×mr) and b (kc×nr).
type microKernel func(kc int, a, b, c []float32, ldc int)

// packedGemm is a Goto/BLIS-style GEMM driver around a register-tiled
// micro-kernel: B is packed in kc×nc panels of nr columns, A in mc×kc blocks
// of mr rows (both zero-padded at the edges), and each mr×nr tile of C is
// accumulated by kern. The fast paths plug their SIMD micro-kernels in here.
type packedGemm struct {
	mr, nr     int
	mc, kc, nc int
	kern       microKernel
	// set, when non-nil, is kern overwriting its tile: with beta = 0 the
	// first depth block writes C instead of clearing it in a separate pass.
	set microKernel
}

// gemm computes C = beta·C + op(A)·op(B); op transposes when tA / tB.
func (g *packedGemm) gemm(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	if m*n*k < parallelGemmFlops || workers < 2 {
		g.block(tA, tB, 0, m, 0, n, k, a, lda, b, ldb, beta, c, ldc)
		return
	}
	// Split the larger dimension of C into whole tiles. Over columns each
	// range packs its own columns of B and all of the (smaller) A; over rows
	// B is packed once and shared (gemmRows).
	if n/g.nr >= m/g.mr {
		Parallel((n+g.nr-1)/g.nr, func(_, lo, hi int) {
			g.block(tA, tB, 0, m, lo*g.nr, min(hi*g.nr, n), k, a, lda, b, ldb, beta, c, ldc)
		})
		return
	}
	g.gemmRows(tA, tB, m, n, k, a, lda, b, ldb, beta, c, ldc)
}

// gemmRows is gemm with the rows of C split over the workers and B packed
// once per depth and column block, by all workers together, then shared
// (the parallel ic loop of Goto/BLIS): packing the whole of B in every row
// range cost a square 1024 GEMM a fifth of its time at 2 workers. Every tile
// of C sums its depth blocks in block's order: the results are block's, bit
// for bit (TestGemmRowsSharedExact).
func (g *packedGemm) gemmRows(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	mr, nr := g.mr, g.nr
	overwrite := beta == 0 && g.set != nil && k > 0
	if !overwrite && beta != 1 {
		Parallel(m, func(_, lo, hi int) { scaleRows(hi-lo, n, beta, c[lo*ldc:], ldc) })
	}
	if k <= 0 {
		return
	}
	tiles := (m + mr - 1) / mr
	bs := getScratch(min(g.kc, k) * min(g.nc, roundUp(n, nr)))
	defer putScratch(bs)
	bp := *bs
	for jc := 0; jc < n; jc += g.nc {
		nc := min(g.nc, n-jc)
		for pc := 0; pc < k; pc += g.kc {
			kc := min(g.kc, k-pc)
			Parallel((nc+nr-1)/nr, func(_, lo, hi int) {
				packB(bp[lo*nr*kc:], nr, tB, b, ldb, pc, kc, jc+lo*nr, min(hi*nr, nc)-lo*nr)
			})
			Parallel(tiles, func(_, lo, hi int) {
				i0, i1 := lo*mr, min(hi*mr, m)
				as, ts := getScratch(kc*min(g.mc, roundUp(i1-i0, mr))), getScratch(mr*nr)
				g.rows(tA, i0, i1, jc, nc, pc, kc, a, lda, bp, *as, *ts, overwrite && pc == 0, c, ldc)
				putScratch(as)
				putScratch(ts)
			})
		}
	}
}

// block computes rows [i0, i1) × columns [j0, j1) of C on the calling goroutine.
func (g *packedGemm) block(tA, tB bool, i0, i1, j0, j1, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	mr, nr := g.mr, g.nr
	overwrite := beta == 0 && g.set != nil && k > 0
	if !overwrite {
		for i := i0; i < i1; i++ {
			scaleRows(1, j1-j0, beta, c[i*ldc+j0:], ldc)
		}
	}
	if k <= 0 {
		return
	}
	kcMax := min(g.kc, k)
	ncMax := min(g.nc, roundUp(j1-j0, nr))
	mcMax := min(g.mc, roundUp(i1-i0, mr))
	bs := getScratch(kcMax * ncMax)
	as := getScratch(kcMax * mcMax)
	ts := getScratch(mr * nr)
	defer putScratch(bs)
	defer putScratch(as)
	defer putScratch(ts)
	bp, ap, tile := *bs, *as, *ts
	for jc := j0; jc < j1; jc += g.nc {
		nc := min(g.nc, j1-jc)
		for pc := 0; pc < k; pc += g.kc {
			kc := min(g.kc, k-pc)
			packB(bp, nr, tB, b, ldb, pc, kc, jc, nc)
			g.rows(tA, i0, i1, jc, nc, pc, kc, a, lda, bp, ap, tile, overwrite && pc == 0, c, ldc)
		}
	}
}

// rows accumulates rows [i0, i1) × columns [jc, jc+nc) of C over depth
// [pc, pc+kc) from B's packed panels bp: A is packed mc rows at a time into
// ap, each mr×nr tile goes through the micro-kernel (set, which overwrites,
// when first), edge tiles through tile.
func (g *packedGemm) rows(tA bool, i0, i1, jc, nc, pc, kc int, a []float32, lda int, bp, ap, tile []float32, first bool, c []float32, ldc int) {
	mr, nr := g.mr, g.nr
	for ic := i0; ic < i1; ic += g.mc {
		mc := min(g.mc, i1-ic)
		packA(ap, mr, tA, a, lda, ic, mc, pc, kc)
		for jr := 0; jr < nc; jr += nr {
			bpan := bp[jr*kc : jr*kc+nr*kc]
			cols := min(nr, nc-jr)
			for ir := 0; ir < mc; ir += mr {
				apan := ap[ir*kc : ir*kc+mr*kc]
				rows := min(mr, mc-ir)
				off := (ic+ir)*ldc + jc + jr
				if rows == mr && cols == nr {
					if first {
						g.set(kc, apan, bpan, c[off:], ldc)
					} else {
						g.kern(kc, apan, bpan, c[off:], ldc)
					}
					continue
				}
				clear(tile)
				g.kern(kc, apan, bpan, tile, nr)
				for r := 0; r < rows; r++ {
					if first {
						copy(c[off+r*ldc:off+r*ldc+cols], tile[r*nr:r*nr+cols])
					} else {
						Add(tile[r*nr:r*nr+cols], c[off+r*ldc:off+r*ldc+cols])
					}
				}
			}
		}
	}
}

func roundUp(x, m int) int { return (x + m - 1) / m * m }

// packA writes rows [i0, i0+mc) × depth [p0, p0+kc) of op(A) into panels of
// mr rows, each panel kc×mr (row index fastest), zero-padding the last panel.
func packA(dst []float32, mr int, tA bool, a []float32, lda, i0, mc, p0, kc int) {
	for ip := 0; ip < mc; ip += mr {
		pan := dst[ip*kc : ip*kc+mr*kc]
		rows := min(mr, mc-ip)
		if rows < mr {
			clear(pan)
		}
		if tA { // op(A) = Aᵀ: each depth step is a contiguous run of rows
			i := i0 + ip
			if rows == 6 && mr == 6 { // the AVX2 panel: fixed-size moves, no memmove call
				for p := 0; p < kc; p++ {
					o := (p0+p)*lda + i
					*(*[6]float32)(pan[p*6 : p*6+6]) = [6]float32(a[o : o+6])
				}
				continue
			}
			for p := 0; p < kc; p++ {
				copy(pan[p*mr:p*mr+rows], a[(p0+p)*lda+i:(p0+p)*lda+i+rows])
			}
			continue
		}
		for r := 0; r < rows; r++ {
			i := i0 + ip + r
			src := a[i*lda+p0 : i*lda+p0+kc]
			for p, v := range src {
				pan[p*mr+r] = v
			}
		}
	}
}

// packB writes depth [p0, p0+kc) × columns [j0, j0+nc) of op(B) into panels
// of nr columns, each panel kc×nr (column index fastest), zero-padding the
// last panel.
func packB(dst []float32, nr int, tB bool, b []float32, ldb, p0, kc, j0, nc int) {
	for jp := 0; jp < nc; jp += nr {
		pan := dst[jp*kc : jp*kc+nr*kc]
		cols := min(nr, nc-jp)
		if cols < nr {
			clear(pan)
		}
		if tB {
			packBT(pan, nr, cols, b, ldb, p0, kc, j0+jp)
			continue
		}
		if cols == 16 && nr == 16 { // the AVX2 panel: fixed-size moves, no memmove call
			for p := 0; p < kc; p++ {
				row := (p0+p)*ldb + j0 + jp
				*(*[16]float32)(pan[p*16 : p*16+16]) = [16]float32(b[row : row+16])
			}
			continue
		}
		for p := 0; p < kc; p++ {
			row := (p0 + p) * ldb
			copy(pan[p*nr:p*nr+cols], b[row+j0+jp:row+j0+jp+cols])
		}
	}
}

// packBT fills one panel (kc×nr, column fastest) from cols rows of B
// (op(B) = Bᵀ): pan[p*nr+j] = b[(j0+j)*ldb+p0+p]. Eight rows of B are read
// side by side so each depth step stores 8 adjacent floats, not 8 scalars
// nr apart (the weight-gradient GEMM spent 30% here).
func packBT(pan []float32, nr, cols int, b []float32, ldb, p0, kc, j0 int) {
	j := 0
	for ; j+8 <= cols; j += 8 {
		packBT8Impl(pan[j:], nr, b[(j0+j)*ldb+p0:], ldb, kc)
	}
	for ; j < cols; j++ {
		src := b[(j0+j)*ldb+p0 : (j0+j)*ldb+p0+kc]
		for p, v := range src {
			pan[p*nr+j] = v
		}
	}
}

// packBT8Impl is packBT8Generic or a SIMD 8×8-transposing version.
var packBT8Impl = packBT8Generic

// testGemms lists every packed GEMM this CPU can run, for the tests.
var testGemms = map[string]*packedGemm{}

// packedGeneric drives kernelGeneric; tests use it to check the driver.
var packedGeneric = &packedGemm{mr: 4, nr: 4, mc: 64, kc: 256, nc: 1024, kern: kernelGeneric}
