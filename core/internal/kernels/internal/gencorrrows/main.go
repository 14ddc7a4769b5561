// Command gencorrrows writes corrrows_amd64.s: the avx512 set's depthwise
// correlations for square K×K windows of dilation D at stride 1, each input
// row loaded once per block of R output rows and used by every tap that
// reads it (corrRows8Z and corrRows8MAZ load it once per tap: K·(R+(K−1)·D)
// loads instead of K²·R, 30 instead of 72 for 3×3 on eight rows). Each sum
// still takes its taps in order (t = kh·K + kw), from zero, VMULPS then
// VADDPS: the rows are visited in the order that keeps kh ascending for
// every output row, and a row's columns by kw. Exact against corrGeneric.
//
// It writes the Go declarations and the table of shapes (corrRowsShapes) to
// corrrows_amd64.go. With -set avx2 it writes the avx2 set's kernels of the
// same shapes on ymm (8 columns) and xmm (4 columns) instead, each sum and
// load in a register and each weight broadcast from memory for each product
// (a load, as a memory operand would be: 16 registers hold no window's
// weights beside its sums), and the table corrRows2Shapes. Run it from core/internal/kernels:
//
//	go run ./internal/gencorrrows corrrows_amd64.s corrrows_amd64.go
//	go run ./internal/gencorrrows -set avx2 corrrows2_amd64.s corrrows2_amd64.go
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

// shape is one generated pair of kernels: K×K taps of dilation D over R
// output rows per block.
type shape struct{ K, D, R int }

// shapes: the DARTS depthwise windows (sep_conv 3×3/5×5, dil_conv 3×3/5×5).
// 5×5 keeps its 25 weights in registers beside 4 sums; 3×3 runs 8 rows (4
// for the rest of a plane of 4k+4 rows).
var shapes = []shape{{3, 1, 8}, {3, 1, 4}, {3, 2, 8}, {3, 2, 4}, {5, 1, 4}, {5, 2, 4}}

// shapes2: the avx2 set's, 8 rows where a plane has them, else 4.
var shapes2 = []shape{{3, 1, 8}, {3, 1, 4}, {3, 2, 8}, {3, 2, 4}, {5, 1, 8}, {5, 1, 4}, {5, 2, 8}, {5, 2, 4}}

func main() {
	set := flag.String("set", "avx512", "kernel set: avx512 or avx2")
	flag.Parse()
	if flag.NArg() != 2 || (*set != "avx512" && *set != "avx2") {
		fmt.Fprintln(os.Stderr, "usage: gencorrrows [-set avx512|avx2] FILE.s FILE.go")
		os.Exit(2)
	}
	files := flag.Args()
	if *set == "avx2" {
		write(files, genAVX2())
		return
	}
	var b strings.Builder
	fmt.Fprint(&b, header+`
#include "textflag.h"
`)
	for _, s := range shapes {
		kernel(&b, s, false)
		kernel(&b, s, true)
	}
	var g strings.Builder
	fmt.Fprint(&g, header+`
package kernels
`)
	for _, s := range shapes {
		fmt.Fprintf(&g, `
//go:noescape
func %s(out *float32, ldo int, in *float32, ldi int, w *float32, blocks int, cols uint16)

//go:noescape
func %s(dx, x *float32, ldx int, q *float32, ldq int, w *float32, blocks int, cols uint16)
`, name(s, false), name(s, true))
	}
	fmt.Fprint(&g, `
// corrRowsShapes lists the generated kernels by window (k×k taps of
// dilation d) and rows per block.
var corrRowsShapes = []corrRowsShape{
`)
	for _, s := range shapes {
		fmt.Fprintf(&g, "\t{%d, %d, %d, %s, %s},\n", s.K, s.D, s.R, name(s, false), name(s, true))
	}
	fmt.Fprint(&g, "}\n")
	write(files, [2]string{b.String(), g.String()})
}

// write writes the assembly and the Go file, or exits.
func write(files []string, text [2]string) {
	for i, t := range text {
		if err := writeFile(files[i], t); err != nil {
			fmt.Fprintln(os.Stderr, "gencorrrows:", err)
			os.Exit(1)
		}
	}
}

// genAVX2 returns the avx2 set's assembly and Go declarations.
func genAVX2() [2]string {
	var b, g strings.Builder
	fmt.Fprint(&b, header+`
#include "textflag.h"
`)
	fmt.Fprint(&g, header+`
package kernels
`)
	for _, s := range shapes2 {
		for _, v := range []string{"Y", "X"} {
			kernel2(&b, s, v, false)
			kernel2(&b, s, v, true)
			fmt.Fprintf(&g, `
//go:noescape
func %s(out *float32, ldo int, in *float32, ldi int, w *float32, blocks int)

//go:noescape
func %s(dx, x *float32, ldx int, q *float32, ldq int, w *float32, blocks int)
`, name2(s, v, false), name2(s, v, true))
		}
	}
	fmt.Fprint(&g, `
// corrRows2Shapes lists the generated avx2 kernels by window (k×k taps of
// dilation d) and rows per block: 8 columns (ymm), then 4 (xmm).
var corrRows2Shapes = []corrRows2Shape{
`)
	for _, s := range shapes2 {
		fmt.Fprintf(&g, "\t{%d, %d, %d, [2]corrRows2Kernels{{%s, %s}, {%s, %s}}},\n", s.K, s.D, s.R,
			name2(s, "Y", false), name2(s, "Y", true), name2(s, "X", false), name2(s, "X", true))
	}
	fmt.Fprint(&g, "}\n")
	return [2]string{b.String(), g.String()}
}

func name2(s shape, v string, maskedAdd bool) string {
	if maskedAdd {
		return fmt.Sprintf("corrK%dD%dR%dMA%s", s.K, s.D, s.R, v)
	}
	return fmt.Sprintf("corrK%dD%dR%d%s", s.K, s.D, s.R, v)
}

// kernel2 writes one avx2 kernel on registers of prefix v (Y: 8 columns, X:
// 4). The store kernel computes
//
//	out[r·ldo + i] = Σ_t w[t]·in[r·ldi + i + kh·D·ldi + kw·D]
//
// for the R·blocks rows, in pointing at the first tap of output (0, 0). The
// masked-add kernel is
// the flipped correlation of the depthwise input gradient,
//
//	s = Σ_t w[t]·q[r·ldq + i − kh·D·ldq − kw·D],  dx[r·ldx + i] += s where x[r·ldx + i] > 0 (else += +0)
//
// q pointing at tap 0 of image pixel (0, 0). Taps in order, from zero,
// VMULPS then VADDPS: exact vs corrGeneric.
func kernel2(b *strings.Builder, s shape, v string, maskedAdd bool) {
	reg := func(i int) string { return fmt.Sprintf("%s%d", v, i) }
	var sum, load, prod []string
	next := 0
	take := func(n int) (r []string) {
		for ; n > 0; n-- {
			r = append(r, reg(next))
			next++
		}
		return r
	}
	sum = take(s.R)
	load = take(min(s.K, 16-s.R-2))
	prod = take(16 - next)
	sign := 1
	if maskedAdd {
		sign = -1
	}
	name := name2(s, v, maskedAdd)
	rows := visitRows(s, sign)
	w := func(f string, a ...any) { fmt.Fprintf(b, "\t"+f+"\n", a...) }
	fmt.Fprintln(b)
	if maskedAdd {
		fmt.Fprintf(b, "// func %s(dx, x *float32, ldx int, q *float32, ldq int, w *float32, blocks int)\n", name)
		fmt.Fprintf(b, "TEXT ·%s(SB), NOSPLIT, $0-56\n", name)
		w("MOVQ q+24(FP), SI")
		w("MOVQ ldq+32(FP), DX")
		w("MOVQ w+40(FP), R12")
		w("MOVQ blocks+48(FP), BX")
		w("MOVQ dx+0(FP), DI")
		w("MOVQ x+8(FP), R8")
		w("MOVQ ldx+16(FP), R13")
	} else {
		fmt.Fprintf(b, "// func %s(out *float32, ldo int, in *float32, ldi int, w *float32, blocks int)\n", name)
		fmt.Fprintf(b, "TEXT ·%s(SB), NOSPLIT, $0-48\n", name)
		w("MOVQ in+16(FP), SI")
		w("MOVQ ldi+24(FP), DX")
		w("MOVQ w+32(FP), R12")
		w("MOVQ blocks+40(FP), BX")
		w("MOVQ out+0(FP), DI")
		w("MOVQ ldo+8(FP), R13")
	}
	w("SHLQ $2, R13")
	w("SHLQ $2, DX")
	w("MOVQ DX, R10")
	if sign < 0 {
		w("NEGQ R10")
	}
	w("IMUL3Q $%d, DX, R11", s.R)
	w("TESTQ BX, BX")
	w("JLE done")
	fmt.Fprintln(b, "block:")
	for _, r := range sum {
		w("VXORPS %s, %s, %s", r, r, r)
	}
	if rows[0] == 0 {
		w("MOVQ SI, R9")
	} else {
		w("IMUL3Q $%d, DX, R9", rows[0])
		w("ADDQ SI, R9")
	}
	n := 0
	for i, row := range rows {
		if i > 0 {
			w("ADDQ R10, R9")
		}
		uses := rowUses(s, sign, row)
		for k0 := 0; k0 < s.K; k0 += len(load) {
			k1 := min(s.K, k0+len(load))
			for kw := k0; kw < k1; kw++ {
				if len(uses[kw]) > 0 {
					w("VMOVUPS %d(R9), %s", 4*sign*kw*s.D, load[kw-k0])
				}
			}
			for kw := k0; kw < k1; kw++ {
				for _, u := range uses[kw] {
					pr := prod[n%len(prod)]
					n++
					w("VBROADCASTSS %d(R12), %s", 4*u.t, pr)
					w("VMULPS %s, %s, %s", load[kw-k0], pr, pr)
					w("VADDPS %s, %s, %s", pr, sum[u.r], sum[u.r])
				}
			}
		}
	}
	if maskedAdd {
		zero, xv := prod[0], prod[1]
		w("VXORPS %s, %s, %s", zero, zero, zero)
		w("MOVQ DI, AX")
		w("MOVQ R8, CX")
		for i, r := range sum {
			if i > 0 {
				w("ADDQ R13, AX")
				w("ADDQ R13, CX")
			}
			w("VMOVUPS (CX), %s", xv)
			w("VCMPPS $0x1e, %s, %s, %s", zero, xv, xv)
			w("VANDPS %s, %s, %s", xv, r, r)
			w("VADDPS (AX), %s, %s", r, r)
			w("VMOVUPS %s, (AX)", r)
		}
		w("IMUL3Q $%d, R13, AX", s.R)
		w("ADDQ AX, DI")
		w("ADDQ AX, R8")
	} else {
		w("MOVQ DI, AX")
		for i, r := range sum {
			if i > 0 {
				w("ADDQ R13, AX")
			}
			w("VMOVUPS %s, (AX)", r)
		}
		w("IMUL3Q $%d, R13, AX", s.R)
		w("ADDQ AX, DI")
	}
	w("ADDQ R11, SI")
	w("DECQ BX")
	w("JNZ block")
	fmt.Fprintln(b, "done:")
	w("VZEROUPPER")
	w("RET")
}

const header = `// Code generated by go run ./internal/gencorrrows; DO NOT EDIT.

//go:build goexperiment.simd && amd64 && !noasm
`

// writeFile writes text to path through a temporary file and a rename.
func writeFile(path, text string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func name(s shape, maskedAdd bool) string {
	if maskedAdd {
		return fmt.Sprintf("corrK%dD%dR%dMAZ", s.K, s.D, s.R)
	}
	return fmt.Sprintf("corrK%dD%dR%dZ", s.K, s.D, s.R)
}

// regs is the register plan of one shape: sums, weights, loads, products.
type regs struct {
	sum, w, load, prod []string
}

func plan(s shape) regs {
	z := func(lo, n int) []string {
		r := make([]string, n)
		for i := range r {
			r[i] = fmt.Sprintf("Z%d", lo+i)
		}
		return r
	}
	kk := s.K * s.K
	next := 0
	take := func(n int) []string { r := z(next, n); next += n; return r }
	var p regs
	p.sum = take(s.R)
	p.w = take(kk)
	free := 32 - next
	nl := min(s.K, (free-2)/2+1)
	if nl < 1 {
		panic("no registers left")
	}
	p.load = take(nl)
	p.prod = take(32 - next)
	if len(p.prod) < 2 {
		panic("too few product registers")
	}
	return p
}

// kernel writes one kernel. The store kernel (maskedAdd false) computes
//
//	out[r·ldo + i] = Σ_t w[t]·in[r·ldi + i + kh·D·ldi + kw·D]
//
// for the R·blocks rows and the columns set in cols, in pointing at the
// first tap of output (0, 0). The masked-add kernel is the flipped
// correlation of the depthwise input gradient,
//
//	s = Σ_t w[t]·q[r·ldq + i − kh·D·ldq − kw·D],  dx[r·ldx + i] += s where x[r·ldx + i] > 0 (else += +0)
//
// q pointing at tap 0 of image pixel (0, 0), as corrRows8MAZ.
func kernel(b *strings.Builder, s shape, maskedAdd bool) {
	p := plan(s)
	sign := 1
	if maskedAdd {
		sign = -1
	}
	name := name(s, maskedAdd)
	rows := visitRows(s, sign)
	w := func(f string, a ...any) { fmt.Fprintf(b, "\t"+f+"\n", a...) }
	fmt.Fprintln(b)
	if maskedAdd {
		fmt.Fprintf(b, "// func %s(dx, x *float32, ldx int, q *float32, ldq int, w *float32, blocks int, cols uint16)\n", name)
		fmt.Fprintf(b, "TEXT ·%s(SB), NOSPLIT, $0-58\n", name)
		w("MOVQ q+24(FP), SI")
		w("MOVQ ldq+32(FP), DX")
		w("MOVQ w+40(FP), R12")
		w("MOVQ blocks+48(FP), BX")
		w("MOVWQZX cols+56(FP), AX")
		w("MOVQ dx+0(FP), DI")
		w("MOVQ x+8(FP), R8")
		w("MOVQ ldx+16(FP), R13")
		w("SHLQ $2, R13")
	} else {
		fmt.Fprintf(b, "// func %s(out *float32, ldo int, in *float32, ldi int, w *float32, blocks int, cols uint16)\n", name)
		fmt.Fprintf(b, "TEXT ·%s(SB), NOSPLIT, $0-50\n", name)
		w("MOVQ in+16(FP), SI")
		w("MOVQ ldi+24(FP), DX")
		w("MOVQ w+32(FP), R12")
		w("MOVQ blocks+40(FP), BX")
		w("MOVWQZX cols+48(FP), AX")
		w("MOVQ out+0(FP), DI")
		w("MOVQ ldo+8(FP), R13")
		w("SHLQ $2, R13")
	}
	w("SHLQ $2, DX")
	w("KMOVW AX, K1")
	for t, r := range p.w {
		w("VBROADCASTSS %d(R12), %s", 4*t, r)
	}
	// R10: the step between visited rows (±ldi); R11: a block's rows (R·ldi)
	w("MOVQ DX, R10")
	if sign < 0 {
		w("NEGQ R10")
	}
	w("IMUL3Q $%d, DX, R11", s.R)
	w("TESTQ BX, BX")
	w("JLE done")
	fmt.Fprintln(b, "block:")
	for _, r := range p.sum {
		w("VXORPS %s, %s, %s", r, r, r)
	}
	// R9: the first visited row
	if rows[0] == 0 {
		w("MOVQ SI, R9")
	} else {
		w("IMUL3Q $%d, DX, R9", rows[0])
		w("ADDQ SI, R9")
	}
	prod := 0
	for i, row := range rows {
		if i > 0 {
			w("ADDQ R10, R9")
		}
		uses := rowUses(s, sign, row)
		for k0 := 0; k0 < s.K; k0 += len(p.load) {
			k1 := min(s.K, k0+len(p.load))
			for kw := k0; kw < k1; kw++ {
				if len(uses[kw]) > 0 {
					w("VMOVUPS.Z %d(R9), K1, %s", 4*sign*kw*s.D, p.load[kw-k0])
				}
			}
			for kw := k0; kw < k1; kw++ {
				for _, u := range uses[kw] {
					pr := p.prod[prod%len(p.prod)]
					prod++
					w("VMULPS %s, %s, %s", p.load[kw-k0], p.w[u.t], pr)
					w("VADDPS %s, %s, %s", pr, p.sum[u.r], p.sum[u.r])
				}
			}
		}
	}
	// the block's rows out, then the next block
	if maskedAdd {
		zero, xv, dv := p.prod[0], p.prod[1], p.load[0]
		w("VXORPS %s, %s, %s", zero, zero, zero)
		w("MOVQ DI, AX")
		w("MOVQ R8, CX")
		for i, r := range p.sum {
			if i > 0 {
				w("ADDQ R13, AX")
				w("ADDQ R13, CX")
			}
			w("VMOVUPS.Z (CX), K1, %s", xv)
			w("VCMPPS $0x1e, %s, %s, K2", zero, xv)
			w("VMOVAPS.Z %s, K2, %s", r, r)
			w("VMOVUPS.Z (AX), K1, %s", dv)
			w("VADDPS %s, %s, %s", r, dv, dv)
			w("VMOVUPS %s, K1, (AX)", dv)
		}
		w("IMUL3Q $%d, R13, AX", s.R)
		w("ADDQ AX, DI")
		w("ADDQ AX, R8")
	} else {
		w("MOVQ DI, AX")
		for i, r := range p.sum {
			if i > 0 {
				w("ADDQ R13, AX")
			}
			w("VMOVUPS %s, K1, (AX)", r)
		}
		w("IMUL3Q $%d, R13, AX", s.R)
		w("ADDQ AX, DI")
	}
	w("ADDQ R11, SI")
	w("DECQ BX")
	w("JNZ block")
	fmt.Fprintln(b, "done:")
	w("VZEROUPPER")
	w("RET")
}

// visitRows lists the input rows a block reads, relative to output row 0,
// in the order that keeps kh ascending for every output row: downwards for
// the correlation (sign 1), upwards for the flipped one (sign −1).
func visitRows(s shape, sign int) []int {
	span := (s.K - 1) * s.D // rows (and columns) a window spans beyond its first
	var rows []int
	if sign > 0 {
		for r := 0; r <= s.R-1+span; r++ {
			rows = append(rows, r)
		}
	} else {
		for r := s.R - 1; r >= -span; r-- {
			rows = append(rows, r)
		}
	}
	return rows
}

// use is one product of a loaded input row: output row r, tap t.
type use struct{ r, t int }

// rowUses returns, per column offset kw, the products that input row row
// feeds: tap (kh, kw) of output r reads row r + sign·kh·D, column
// sign·kw·D; by kw, then r ascending.
func rowUses(s shape, sign, row int) [][]use {
	uses := make([][]use, s.K)
	for kw := 0; kw < s.K; kw++ {
		for r := 0; r < s.R; r++ {
			d := sign * (row - r)
			if d < 0 || d%s.D != 0 || d/s.D >= s.K {
				continue
			}
			uses[kw] = append(uses[kw], use{r, (d/s.D)*s.K + kw})
		}
	}
	return uses
}
