package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestElementwiseKernels checks ReLU, ReLUBackward, Affine, AddAffine2 against
// their one-line definitions (exact) on both paths, over lengths that cover
// the vector body and the scalar tail, with zeros, −0, ±Inf and NaN mixed in.
func TestElementwiseKernels(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(30, 31))
		special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
		for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 100} {
			x, y, d := randSlice(r, n), randSlice(r, n), randSlice(r, n)
			for i := range x {
				if r.IntN(6) == 0 {
					x[i] = special[r.IntN(len(special))]
				}
			}
			got := make([]float32, n)
			ReLU(got, x)
			for i, v := range x {
				want := float32(0)
				if v > 0 {
					want = v
				}
				require.Equal(t, math.Float32bits(want), math.Float32bits(got[i]), "ReLU n=%d [%d] of %v", n, i, v)
			}
			dx := append([]float32(nil), d...)
			ReLUBackward(x, y, dx)
			for i, v := range x {
				want := d[i]
				if v > 0 {
					want += y[i]
				}
				require.Equal(t, want, dx[i], "ReLUBackward n=%d [%d]", n, i)
			}
			Affine(got, y, 1.5, -0.25)
			for i, v := range y {
				require.Equal(t, float32(v*1.5)+(-0.25), got[i], "Affine n=%d [%d]", n, i)
			}
			dx = append(dx[:0], d...)
			AddAffine2(dx, y, d, 0.5, -2, 0.125)
			for i := range y {
				require.Equal(t, d[i]+((float32(0.5*y[i])+float32(-2*d[i]))+0.125), dx[i], "AddAffine2 n=%d [%d]", n, i)
			}
			Div(got, x, y)
			for i, v := range x {
				require.Equal(t, math.Float32bits(v/y[i]), math.Float32bits(got[i]), "Div n=%d [%d]", n, i)
			}
		}
	})
}

// TestCorrAndDotTaps checks the flat correlation (exact between paths) and
// the shared-q tap dots against float64 references.
func TestCorrAndDotTaps(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(32, 33))
		for _, tc := range []struct{ n, taps int }{{5, 3}, {16, 9}, {40, 25}, {100, 7}, {1088, 9}, {16, 8}, {20, 13}, {8, 25}, {33, 25}, {7, 9}, {200, 9}, {129, 3}, {64, 25}, {80, 9}, {50, 17}, {9, 9}, {15, 9}, {23, 9}, {71, 9}, {95, 3}} {
			off := make([]int, tc.taps)
			for i := range off {
				off[i] = r.IntN(50)
			}
			in, w, q := randSlice(r, tc.n+60), randSlice(r, tc.taps), randSlice(r, tc.n)
			// out ends 16 floats before its buffer does: nothing past it is written
			room := randSlice(r, tc.n+16)
			after := slices.Clone(room[tc.n:])
			out := room[:tc.n:tc.n]
			Corr(out, in, w, off)
			require.Equal(t, after, room[tc.n:], "Corr wrote past its outputs n=%d", tc.n)
			og := make([]float32, tc.n)
			corrGeneric(og, in, w, newTaps(off))
			require.Equal(t, og, out, "fast vs generic n=%d", tc.n)
			// the generic blocking (taps one or three at a time, by
			// target) rounds as the one-output, tap-by-tap sum does
			seq := make([]float32, tc.n)
			corrTail(seq, in, w, off, 0)
			require.Equal(t, seq, og, "generic vs tap by tap n=%d", tc.n)
			for j := range out {
				var s float64
				for k, o := range off {
					s += float64(w[k]) * float64(in[j+o])
				}
				require.InDelta(t, s, out[j], 1e-5*(1+math.Abs(s)), "corr n=%d [%d]", tc.n, j)
			}
			// max with its first winning tap, on in and on a copy of few
			// values (ties everywhere, -0 beside +0: the first tap wins)
			tied := make([]float32, len(in))
			for i, v := range in {
				tied[i] = float32(math.Round(float64(v)))
				if tied[i] == 0 && i%2 == 1 {
					tied[i] = float32(math.Copysign(0, -1))
				}
			}
			for _, in := range [][]float32{in, tied} {
				mo, ma := make([]float32, tc.n), make([]int32, tc.n)
				MaxTaps(mo, ma, in, off)
				for j := range mo {
					best, bt := in[j+off[0]], int32(0)
					for k := 1; k < len(off); k++ {
						if in[j+off[k]] > best {
							best, bt = in[j+off[k]], int32(k)
						}
					}
					require.Equal(t, math.Float32bits(best), math.Float32bits(mo[j]), "MaxTaps n=%d [%d]", tc.n, j)
					require.Equal(t, bt, ma[j], "MaxTaps arg n=%d [%d]", tc.n, j)
				}
			}
			acc := randSlice(r, tc.taps)
			want := f64(acc)
			DotTaps(in, off, q, acc)
			for k, o := range off {
				want[k] += dot64(in[o:o+tc.n], q)
			}
			requireClose(t, f32(want), acc, 1e-4, fmt.Sprintf("DotTaps n=%d", tc.n))
		}
	})
}

// TestMaxPoolNonFinite: −Inf and NaN inputs still give an argmax inside the
// image (the padding never wins).
func TestMaxPoolNonFinite(t *testing.T) {
	ninf := float32(math.Inf(-1))
	x := []float32{ninf, ninf, ninf, float32(math.NaN())}
	g := Geom{H: 2, W: 2, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1, DH: 1, DW: 1}
	forEachPath(t, func(t *testing.T) {
		y, idx := make([]float32, 4), make([]int32, 4)
		MaxPool(x, 1, g, y, idx)
		for o, i := range idx {
			require.True(t, i >= 0 && i < 4, "idx[%d] = %d", o, i)
		}
		require.Equal(t, []int32{0, 0, 0, 0}, idx)
	})
}

// TestIm2colFlat: the flat rows hold Im2col's rows at W+2PW spacing (checked
// through ExtractFlat), and Col2imFlat of SpreadFlat'ed rows equals Col2im.
func TestIm2colFlat(t *testing.T) {
	r := rand.New(rand.NewPCG(34, 35))
	for gi, g := range testGeoms {
		n := FlatCols(g)
		if g.SH != 1 || g.SW != 1 {
			require.Zero(t, n, "geom %d strided", gi)
			continue
		}
		const c = 3
		kk, ohw := g.KH*g.KW, g.OH()*g.OW()
		x := randSlice(r, c*g.H*g.W)
		want := make([]float32, c*kk*ohw)
		Im2col(x, c, g, want)
		flat := randSlice(r, c*kk*n)
		Im2colFlat(x, c, g, flat)
		got := make([]float32, len(want))
		ExtractFlat(flat, c*kk, g, got)
		require.Equal(t, want, got, "geom %d", gi)

		dcol := randSlice(r, len(want))
		dx1, dx2 := make([]float32, len(x)), make([]float32, len(x))
		Col2im(dcol, c, g, dx1)
		dflat := randSlice(r, len(flat))
		SpreadFlat(dcol, c*kk, g, dflat)
		Col2imFlat(dflat, c, g, dx2)
		requireClose(t, dx1, dx2, 1e-6, fmt.Sprintf("col2im flat geom %d", gi))
	}
}

// TestAdd checks Add (y += x, exact) on every path over lengths around the
// vector bodies (32 wide on ymm, 64 on zmm), their 8- and 16-wide steps and
// the scalar tail, and that y past len(x) stays as it was.
func TestAdd(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(32, 33))
		for _, n := range []int{0, 5, 31, 32, 33, 40, 47, 63, 64, 65, 79, 80, 100, 255, 256, 257, 1000} {
			x, y := randSlice(r, n), randSlice(r, n+3)
			want := append([]float32(nil), y...)
			for i := range x {
				want[i] = y[i] + x[i]
			}
			Add(x, y)
			require.Equal(t, want, y, "n=%d", n)
		}
	})
}

// TestDotTapsKernelRows: the portable DotTaps takes three taps of a kernel row
// (offsets stepping by 1 or 2) in one pass; every tap's dot still matches a
// float64 reference, for every length 0…20 (odd ends included), rows cut
// short, and offsets that form no row.
func TestDotTapsKernelRows(t *testing.T) {
	r := rand.New(rand.NewPCG(36, 37))
	for _, off := range [][]int{
		{0, 1, 2, 18, 19, 20, 36, 37, 38}, // 3×3
		{0, 2, 4, 40, 42, 44, 80, 82, 84}, // dilated 3×3
		{0, 1, 2, 3, 4, 20, 21, 22, 23},   // 5-wide rows: 3 + 2
		{0, 2, 4, 6, 8, 30},               // dilated 5-wide
		{7, 3, 11, 12, 0},                 // no row
		{5, 6},
	} {
		for n := 0; n <= 20; n++ {
			in, q := randSlice(r, n+100), randSlice(r, n)
			acc := randSlice(r, len(off))
			want := f64(acc)
			for k, o := range off {
				want[k] += dot64(in[o:o+n], q)
			}
			dotTapsGeneric(in, off, q, acc)
			requireClose(t, f32(want), acc, 1e-5, fmt.Sprintf("off %v n=%d", off, n))
		}
	}
}

// TestPosMaskIsGreaterThanZero: posMask(v) is all ones exactly when v > 0
// (not for ±0, negatives, NaNs of either sign; yes for +Inf and the
// smallest subnormal), at every bit pattern near the edges of those ranges
// and at every 997th pattern of all 2³² (-tags long: every pattern).
func TestPosMaskIsGreaterThanZero(t *testing.T) {
	check := func(b uint32) {
		v := math.Float32frombits(b)
		want := uint32(0)
		if v > 0 {
			want = ^uint32(0)
		}
		if got := posMask(v); got != want {
			t.Fatalf("posMask(bits %#08x = %v) = %#x, want %#x", b, v, got, want)
		}
	}
	for _, edge := range []uint32{0, 0x7f800000, 0x7fffffff, 0x80000000, 0xff800000, 0xffffffff} {
		for d := uint32(0); d < 64; d++ {
			check(edge + d)
			check(edge - d)
		}
	}
	step := uint64(997)
	if posMaskExhaustive {
		step = 1
	}
	for b := uint64(0); b < 1<<32; b += step {
		check(uint32(b))
	}
}

// newTaps finds the range the vector correlations check their reads
// against, negative and unsorted offsets included; every planar layout keeps
// the ranges of its own offsets.
func TestNewTaps(t *testing.T) {
	for _, tc := range []struct {
		off    []int
		lo, hi int
	}{{nil, 0, 0}, {[]int{7}, 7, 7}, {[]int{3, 9, 1, 4}, 1, 9}, {[]int{5, -2, 0}, -2, 5}, {[]int{40, 38, 2, 0}, 0, 40}} {
		got := newTaps(tc.off)
		require.Equal(t, tc.lo, got.lo, "%v", tc.off)
		require.Equal(t, tc.hi, got.hi, "%v", tc.off)
	}
	for _, g := range testGeoms {
		p := newPlanar(g)
		require.Equal(t, newTaps(p.off), p.offT)
		for ph, o := range p.phQOff {
			require.Equal(t, newTaps(o), p.phQOffT[ph])
		}
	}
}

// TestRowsReLU checks the row kernels under layoutReLU and addBackMasked
// (where a kernel set has them) against their definitions, bit for bit:
// rows of 1 to 33 floats placed at row positions that do not increase (as
// a stride-2 layout's phases), zeros, −0, ±Inf and NaN mixed in, and
// nothing outside the rows written.
func TestRowsReLU(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		if rowsReLUImpl == nil || rowsMaskedAddImpl == nil {
			t.Skip("no row kernels on this path")
		}
		r := rand.New(rand.NewPCG(60, 61))
		special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
		const rows, pad, sentinel = 5, 2, 7
		for _, w := range []int{1, 3, 4, 8, 15, 16, 17, 32, 33} {
			pitch := w + 2*pad
			pos := []int{3 * pitch, 0, 4 * pitch, pitch, 2 * pitch} // row r at pos[r] + pad
			x, src, d := randSlice(r, rows*w), randSlice(r, rows*pitch), randSlice(r, rows*w)
			for i := range x {
				if r.IntN(4) == 0 {
					x[i] = special[r.IntN(len(special))]
				}
				if r.IntN(6) == 0 {
					d[i] = float32(math.Copysign(0, -1))
				}
			}
			dst := make([]float32, rows*pitch)
			for i := range dst {
				dst[i] = sentinel
			}
			rowsReLUImpl(x, dst, pos, w, pad)
			dx := append([]float32(nil), d...)
			rowsMaskedAddImpl(src, x, dx, pos, w, pad)
			for rr, p := range pos {
				for c := range pitch {
					got := dst[p+c]
					if c < pad || c >= pad+w {
						require.Equal(t, float32(sentinel), got, "w=%d row %d column %d written", w, rr, c)
						continue
					}
					i := rr*w + c - pad
					v := x[i]
					want, add := float32(0), float32(0)
					if v > 0 {
						want, add = v, src[p+c]
					}
					require.Equal(t, math.Float32bits(want), math.Float32bits(got), "ReLU w=%d [%d] of %v", w, i, v)
					require.Equal(t, math.Float32bits(d[i]+add), math.Float32bits(dx[i]), "masked add w=%d [%d] of %v", w, i, v)
				}
			}
		}
	})
}

// TestRows2ReLU checks the stride-2 row kernels (where a kernel set has
// them) as TestRowsReLU the stride-1 ones: row r's even columns rectified to
// dst[pos[r]+eOff+j/2], its odd ones to dst[pos[r]+oOff+j/2], the adjoint
// adding them back through the mask.
func TestRows2ReLU(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		if rows2ReLUImpl == nil || rows2MaskedAddImpl == nil {
			t.Skip("no stride-2 row kernels on this path")
		}
		r := rand.New(rand.NewPCG(62, 63))
		special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
		const rows, sentinel = 5, 7
		for _, w := range []int{1, 2, 3, 8, 15, 16, 17, 31, 32, 33, 49, 64, 70} {
			pitch := (w+1)/2 + 2
			eOff, oOff := 1, rows*pitch+2 // the odd phase's plane after the even one's
			pos := []int{3 * pitch, 0, 4 * pitch, pitch, 2 * pitch}
			size := oOff + rows*pitch
			x, src, d := randSlice(r, rows*w), randSlice(r, size), randSlice(r, rows*w)
			for i := range x {
				if r.IntN(4) == 0 {
					x[i] = special[r.IntN(len(special))]
				}
				if r.IntN(6) == 0 {
					d[i] = float32(math.Copysign(0, -1))
				}
			}
			dst := make([]float32, size)
			for i := range dst {
				dst[i] = sentinel
			}
			rows2ReLUImpl(x, dst, pos, w, eOff, oOff)
			dx := append([]float32(nil), d...)
			rows2MaskedAddImpl(src, x, dx, pos, w, eOff, oOff)
			written := make([]bool, size)
			for rr, p := range pos {
				for j := range w {
					at := p + eOff + j/2
					if j%2 == 1 {
						at = p + oOff + j/2
					}
					written[at] = true
					i := rr*w + j
					v := x[i]
					want, add := float32(0), float32(0)
					if v > 0 {
						want, add = v, src[at]
					}
					require.Equal(t, math.Float32bits(want), math.Float32bits(dst[at]), "ReLU w=%d [%d] of %v", w, i, v)
					require.Equal(t, math.Float32bits(d[i]+add), math.Float32bits(dx[i]), "masked add w=%d [%d] of %v", w, i, v)
				}
			}
			for i, ok := range written {
				if !ok {
					require.Equal(t, float32(sentinel), dst[i], "w=%d dst[%d] written", w, i)
				}
			}
		}
	})
}

// The row kernels refuse a row that would fall outside the planes (past
// the end, or before the start), whichever set runs them.
func TestRowsOutOfRange(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		if rowsReLUImpl == nil || rows2ReLUImpl == nil {
			t.Skip("no row kernels on this path")
		}
		for _, w := range []int{20, 16} { // 16: the avx2 set's assembly rows
			x, dx := make([]float32, 2*w), make([]float32, 2*w)
			buf := make([]float32, 4*w)
			for _, pos := range [][]int{{0, 3*w + 1}, {0, -1}} {
				require.Panics(t, func() { rowsReLUImpl(x, buf, pos, w, 0) }, "rowsReLU w=%d at %v", w, pos)
				require.Panics(t, func() { rowsMaskedAddImpl(buf, x, dx, pos, w, 0) }, "rowsMaskedAdd w=%d at %v", w, pos)
				require.Panics(t, func() { rows2ReLUImpl(x, buf, pos, w, 0, 3*w-w/2) }, "rows2ReLU w=%d at %v", w, pos)
				require.Panics(t, func() { rows2MaskedAddImpl(buf, x, dx, pos, w, 0, 3*w-w/2) }, "rows2MaskedAdd w=%d at %v", w, pos)
				// the even run the one outside
				require.Panics(t, func() { rows2ReLUImpl(x, buf, pos, w, 3*w-w/2, 0) }, "rows2ReLU w=%d at %v, even", w, pos)
				require.Panics(t, func() { rows2MaskedAddImpl(buf, x, dx, pos, w, 3*w-w/2, 0) }, "rows2MaskedAdd w=%d at %v, even", w, pos)
			}
			require.NotPanics(t, func() { rowsReLUImpl(x, buf, []int{3 * w, 0}, w, 0) })
			require.NotPanics(t, func() { rows2ReLUImpl(x, buf, []int{0, 2 * w}, w, 0, w) })
		}
	})
}
