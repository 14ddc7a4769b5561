package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

type gemmFunc func(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)

// gemmImpls are the GEMMs under test: the generic one, the packed driver with
// the portable micro-kernel, and the exported entry points with the CPU's fast
// path on (the same as generic on a build without one).
func gemmImpls() map[string]gemmFunc {
	exported := func(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
		switch {
		case tA:
			GemmTN(m, n, k, a, lda, b, ldb, beta, c, ldc)
		case tB:
			GemmNT(m, n, k, a, lda, b, ldb, beta, c, ldc)
		default:
			GemmNN(m, n, k, a, lda, b, ldb, beta, c, ldc)
		}
	}
	return map[string]gemmFunc{
		"generic":                gemmGeneric,
		"packedGeneric":          packedGeneric.gemm,
		"exported/" + FastPath(): exported,
	}
}

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = 2*r.Float32() - 1
	}
	return s
}

func absSlice(s []float32) []float32 {
	out := make([]float32, len(s))
	for i, v := range s {
		out[i] = float32(math.Abs(float64(v)))
	}
	return out
}

// oracleGemm is gonum's blas32.Gemm on the same storage.
func oracleGemm(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	ta, tb := blas.NoTrans, blas.NoTrans
	ar, ac, br, bc := m, k, k, n
	if tA {
		ta, ar, ac = blas.Trans, k, m
	}
	if tB {
		tb, br, bc = blas.Trans, n, k
	}
	blas32.Gemm(ta, tb, 1,
		blas32.General{Rows: ar, Cols: ac, Stride: lda, Data: a},
		blas32.General{Rows: br, Cols: bc, Stride: ldb, Data: b},
		beta, blas32.General{Rows: m, Cols: n, Stride: ldc, Data: c})
}

type gemmShape struct{ m, n, k, pad int }

func gemmShapes(r *rand.Rand) []gemmShape {
	shapes := []gemmShape{
		{1, 1, 1, 0}, {1, 67, 5, 3}, {67, 1, 9, 0}, {5, 7, 1, 2}, {4, 16, 256, 0}, {8, 32, 300, 1},
		{129, 257, 65, 3}, {300, 8, 100, 0}, {16, 1024, 16, 0}, {64, 64, 64, 5}, {3, 5, 0, 1},
		{7, 600, 3, 1}, {13, 40, 520, 2},
	}
	nRand := 25
	if runtime.GOARCH == "wasm" { // the wasm interpreter is ~10x slower: keep the test in seconds
		nRand = 6
	}
	for range nRand {
		shapes = append(shapes, gemmShape{1 + r.IntN(67), 1 + r.IntN(67), 1 + r.IntN(67), r.IntN(4)})
	}
	return shapes
}

func TestGemmMatchesGonum(t *testing.T) {
	defer SetWorkers(Workers())
	nws := []int{1, 2}
	if runtime.GOARCH == "wasm" {
		nws = nws[:1]
	}
	for _, nw := range nws {
		SetWorkers(nw)
		r := rand.New(rand.NewPCG(1, uint64(nw)))
		for _, sh := range gemmShapes(r) {
			for _, tr := range []struct{ tA, tB bool }{{false, false}, {false, true}, {true, false}} {
				for _, beta := range []float32{0, 1, 0.5} {
					name := fmt.Sprintf("w%d/%dx%dx%d+%d/tA=%v,tB=%v/beta=%v", nw, sh.m, sh.n, sh.k, sh.pad, tr.tA, tr.tB, beta)
					checkGemm(t, r, name, sh, tr.tA, tr.tB, beta)
				}
			}
		}
	}
}

func checkGemm(t *testing.T, r *rand.Rand, name string, sh gemmShape, tA, tB bool, beta float32) {
	m, n, k, pad := sh.m, sh.n, sh.k, sh.pad
	arows, acols := m, k
	if tA {
		arows, acols = k, m
	}
	brows, bcols := k, n
	if tB {
		brows, bcols = n, k
	}
	lda, ldb, ldc := acols+pad, bcols+pad, n+pad
	a := randSlice(r, max(arows*lda, 1))
	b := randSlice(r, max(brows*ldb, 1))
	const guard = 17
	c0 := randSlice(r, m*ldc+guard)
	if beta == 0 {
		for i := range c0 { // overwrite semantics: NaN in C must not leak
			c0[i] = float32(math.NaN())
		}
	}
	want := append([]float32(nil), c0...)
	cz := append([]float32(nil), c0...)
	if beta == 0 {
		clear(want)
		clear(cz)
	}
	oracleGemm(tA, tB, m, n, k, a, lda, b, ldb, beta, want, ldc)
	// Error scale: Σ|a||b| + |beta·c| per element.
	scale := absSlice(cz)
	oracleGemm(tA, tB, m, n, k, absSlice(a), lda, absSlice(b), ldb, float32(math.Abs(float64(beta))), scale, ldc)
	a0, b0 := append([]float32(nil), a...), append([]float32(nil), b...)
	for impl, f := range gemmImpls() {
		c := append([]float32(nil), c0...)
		f(tA, tB, m, n, k, a, lda, b, ldb, beta, c, ldc)
		require.Equal(t, a0, a, "%s %s: A changed", impl, name)
		require.Equal(t, b0, b, "%s %s: B changed", impl, name)
		for i := 0; i < m; i++ {
			for j := 0; j < ldc; j++ {
				at := i*ldc + j
				if j >= n { // beyond the row: untouched, bit for bit
					require.Equal(t, math.Float32bits(c0[at]), math.Float32bits(c[at]), "%s %s: pad C[%d][%d] touched", impl, name, i, j)
					continue
				}
				tol := 4e-6*scale[at] + 1e-6
				require.InDelta(t, want[at], c[at], float64(tol), "%s %s: C[%d][%d]", impl, name, i, j)
			}
		}
		for at := m * ldc; at < len(c); at++ {
			require.Equal(t, math.Float32bits(c0[at]), math.Float32bits(c[at]), "%s %s: guard %d touched", impl, name, at)
		}
	}
}

// TestGemmHandWorked checks one 2×3·3×2 product worked by hand.
func TestGemmHandWorked(t *testing.T) {
	a := []float32{1, 2, 3, 4, 5, 6}
	b := []float32{7, 8, 9, 10, 11, 12}
	for impl, f := range gemmImpls() {
		c := []float32{1, 1, 1, 1}
		f(false, false, 2, 2, 3, a, 3, b, 2, 1, c, 2)
		require.Equal(t, []float32{59, 65, 140, 155}, c, impl) // [1 2 3]·[7 9 11] = 58, +1
	}
}

// TestPackBT checks the transposing panel pack against its definition
// pan[p*nr+j] = b[(j0+j)*ldb+p0+p], with 0 in the padded columns.
func TestPackBT(t *testing.T) {
	forEachPath(t, func(t *testing.T) { checkPackBT(t) })
}

func checkPackBT(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct{ nr, cols, kc, ldb, p0, j0 int }{
		{16, 16, 5, 9, 2, 1}, {16, 13, 7, 7, 0, 0}, {16, 8, 1, 3, 1, 2},
		{16, 7, 4, 4, 0, 3}, {4, 3, 6, 11, 4, 0}, {8, 8, 33, 40, 5, 1},
		{16, 16, 8, 8, 0, 0}, {16, 15, 21, 30, 3, 2}, {16, 16, 256, 260, 4, 1},
	} {
		b := randSlice(r, (tc.j0+tc.cols)*tc.ldb+tc.p0+tc.kc)
		got := randSlice(r, tc.kc*tc.nr)
		packB(got, tc.nr, true, b, tc.ldb, tc.p0, tc.kc, tc.j0, tc.cols)
		want := make([]float32, tc.kc*tc.nr)
		for p := 0; p < tc.kc; p++ {
			for j := 0; j < tc.cols; j++ {
				want[p*tc.nr+j] = b[(tc.j0+j)*tc.ldb+tc.p0+p]
			}
		}
		require.Equal(t, want, got, "%+v", tc)
	}
}

// TestGemmRowsSharedExact: with the rows of C split over workers and B
// packed once and shared (gemmRows), every packed GEMM gives, bit for bit,
// its one-goroutine result (block), at 2 and 3 workers, beta 0, 1 and 0.5,
// op(A), op(B) transposed or not, edge tiles in both dimensions, and more
// than one depth and column block.
func TestGemmRowsSharedExact(t *testing.T) {
	if runtime.GOARCH == "wasm" {
		t.Skip("wasm: one worker")
	}
	defer SetWorkers(Workers())
	gs := map[string]*packedGemm{"packedGeneric": packedGeneric, "small-blocks": {mr: 4, nr: 4, mc: 8, kc: 16, nc: 12, kern: kernelGeneric}}
	for name, g := range testGemms {
		gs[name] = g
	}
	r := rand.New(rand.NewPCG(9, 10))
	for name, g := range gs {
		for _, sh := range []struct{ m, n, k int }{{203, 37, 70}, {130, 45, 300}, {97, 29, 33}} {
			for _, tr := range []struct{ tA, tB bool }{{false, false}, {false, true}, {true, false}} {
				for _, beta := range []float32{0, 1, 0.5} {
					lda, ldb, ldc := sh.k+3, sh.n+1, sh.n+2
					if tr.tA {
						lda = sh.m + 3
					}
					if tr.tB {
						ldb = sh.k + 1
					}
					a, b := randSlice(r, max(sh.m, sh.k)*lda), randSlice(r, max(sh.n, sh.k)*ldb)
					c0 := randSlice(r, sh.m*ldc)
					want := append([]float32(nil), c0...)
					SetWorkers(1)
					g.block(tr.tA, tr.tB, 0, sh.m, 0, sh.n, sh.k, a, lda, b, ldb, beta, want, ldc)
					for _, w := range []int{2, 3} {
						SetWorkers(w)
						got := append([]float32(nil), c0...)
						g.gemmRows(tr.tA, tr.tB, sh.m, sh.n, sh.k, a, lda, b, ldb, beta, got, ldc)
						require.Equal(t, want, got, "%s %v tA=%v tB=%v beta=%v workers=%d", name, sh, tr.tA, tr.tB, beta, w)
					}
				}
			}
		}
	}
}
