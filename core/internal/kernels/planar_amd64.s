//go:build goexperiment.simd && amd64 && !noasm

#include "textflag.h"

// func corr64(blocks int, out, in, w *float32, off *int, taps int)
// For b < blocks, j = 64·b: out[j+i] = Σ_t w[t]·in[j+i+off[t]], i < 64, taps
// summed in order from zero with a rounding after each multiply and each add
// (VMULPS then VADDPS, no FMA), as corrGeneric. 8 ymm accumulators (Y0-Y7)
// hide the add latency; w[t] broadcast into Y8; products in Y9-Y15.
TEXT ·corr64(SB), NOSPLIT, $0-48
	MOVQ blocks+0(FP), CX
	MOVQ out+8(FP), DI
	MOVQ in+16(FP), SI
	MOVQ w+24(FP), R8
	MOVQ off+32(FP), R9
	MOVQ taps+40(FP), R10
	TESTQ CX, CX
	JLE done
block:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	XORQ R11, R11
tap:
	MOVQ (R9)(R11*8), AX
	LEAQ (SI)(AX*4), DX
	VBROADCASTSS (R8)(R11*4), Y8
	VMULPS (DX), Y8, Y9
	VMULPS 32(DX), Y8, Y10
	VMULPS 64(DX), Y8, Y11
	VMULPS 96(DX), Y8, Y12
	VADDPS Y9, Y0, Y0
	VADDPS Y10, Y1, Y1
	VADDPS Y11, Y2, Y2
	VADDPS Y12, Y3, Y3
	VMULPS 128(DX), Y8, Y13
	VMULPS 160(DX), Y8, Y14
	VMULPS 192(DX), Y8, Y15
	VMULPS 224(DX), Y8, Y9
	VADDPS Y13, Y4, Y4
	VADDPS Y14, Y5, Y5
	VADDPS Y15, Y6, Y6
	VADDPS Y9, Y7, Y7
	INCQ R11
	CMPQ R11, R10
	JLT tap
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	ADDQ $256, DI
	ADDQ $256, SI
	DECQ CX
	JNZ block
	VZEROUPPER
done:
	RET

// func corrRest(n int, out, in, w *float32, off *int, taps int)
// corr64's sums for the n outputs (8 ≤ n < 64) a 64-block run leaves: a
// block of 32 (4 accumulators), of 16, of 8, then, where n is not a
// multiple of 8, one block of 8 ending at n that overlaps the one before
// (the same sums in the same order: it writes what is already there; out
// and in never share memory). taps ≥ 1.
TEXT ·corrRest(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	MOVQ out+8(FP), DI
	MOVQ in+16(FP), SI
	MOVQ w+24(FP), R8
	MOVQ off+32(FP), R9
	MOVQ taps+40(FP), R10
	LEAQ -8(CX), BX // the last block's start
	XORQ R12, R12   // j
	CMPQ CX, $32
	JLT  rest16
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ R11, R11
tap32:
	MOVQ (R9)(R11*8), AX
	LEAQ (SI)(AX*4), DX
	VBROADCASTSS (R8)(R11*4), Y8
	VMULPS (DX), Y8, Y9
	VMULPS 32(DX), Y8, Y10
	VMULPS 64(DX), Y8, Y11
	VMULPS 96(DX), Y8, Y12
	VADDPS Y9, Y0, Y0
	VADDPS Y10, Y1, Y1
	VADDPS Y11, Y2, Y2
	VADDPS Y12, Y3, Y3
	INCQ R11
	CMPQ R11, R10
	JLT  tap32
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	MOVQ $32, R12
rest16:
	LEAQ 16(R12), AX
	CMPQ AX, CX
	JGT  rest8
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	LEAQ (SI)(R12*4), R13
	XORQ R11, R11
tap16:
	MOVQ (R9)(R11*8), AX
	LEAQ (R13)(AX*4), DX
	VBROADCASTSS (R8)(R11*4), Y8
	VMULPS (DX), Y8, Y9
	VMULPS 32(DX), Y8, Y10
	VADDPS Y9, Y0, Y0
	VADDPS Y10, Y1, Y1
	INCQ R11
	CMPQ R11, R10
	JLT  tap16
	VMOVUPS Y0, (DI)(R12*4)
	VMOVUPS Y1, 32(DI)(R12*4)
	ADDQ $16, R12
rest8:
	CMPQ R12, CX
	JGE  done
	CMPQ R12, BX
	CMOVQGT BX, R12 // the last block ends at n
	VXORPS Y0, Y0, Y0
	LEAQ (SI)(R12*4), R13
	XORQ R11, R11
tap8:
	MOVQ (R9)(R11*8), AX
	VBROADCASTSS (R8)(R11*4), Y8
	VMULPS (R13)(AX*4), Y8, Y9
	VADDPS Y9, Y0, Y0
	INCQ R11
	CMPQ R11, R10
	JLT  tap8
	VMOVUPS Y0, (DI)(R12*4)
	ADDQ $8, R12
	JMP  rest8
done:
	VZEROUPPER
	RET

// The lane sums of Y0-Y7 added to acc[0..8) (acc a register): pairwise
// horizontal adds across the eight, then the two 128-bit halves.
#define REDUCE8_ADD(acc) \
	VHADDPS Y1, Y0, Y0; \
	VHADDPS Y3, Y2, Y2; \
	VHADDPS Y5, Y4, Y4; \
	VHADDPS Y7, Y6, Y6; \
	VHADDPS Y2, Y0, Y0; \
	VHADDPS Y6, Y4, Y4; \
	VPERM2F128 $0x20, Y4, Y0, Y1; \
	VPERM2F128 $0x31, Y4, Y0, Y2; \
	VADDPS Y2, Y1, Y1; \
	VADDPS (acc), Y1, Y1; \
	VMOVUPS Y1, (acc)

// func dotTaps8(n8 int, in *float32, off *int, q *float32, acc *float32)
// For the 8 taps t < 8: acc[t] += Σ_{j < n8} in[off[t]+j]·q[j] (n8 a
// positive multiple of 8): one load of q feeds 8 FMA chains (Y0-Y7), whose
// lanes are summed at the end (REDUCE8_ADD).
TEXT ·dotTaps8(SB), NOSPLIT, $0-40
	MOVQ in+8(FP), SI
	MOVQ off+16(FP), DI
	MOVQ (DI), R8
	LEAQ (SI)(R8*4), R8
	MOVQ 8(DI), R9
	LEAQ (SI)(R9*4), R9
	MOVQ 16(DI), R10
	LEAQ (SI)(R10*4), R10
	MOVQ 24(DI), R11
	LEAQ (SI)(R11*4), R11
	MOVQ 32(DI), R12
	LEAQ (SI)(R12*4), R12
	MOVQ 40(DI), R13
	LEAQ (SI)(R13*4), R13
	MOVQ 48(DI), AX
	LEAQ (SI)(AX*4), AX
	MOVQ 56(DI), BX
	LEAQ (SI)(BX*4), BX
	MOVQ q+24(FP), SI
	MOVQ n8+0(FP), DX
	XORQ CX, CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
loop:
	VMOVUPS (SI)(CX*4), Y8
	VFMADD231PS (R8)(CX*4), Y8, Y0
	VFMADD231PS (R9)(CX*4), Y8, Y1
	VFMADD231PS (R10)(CX*4), Y8, Y2
	VFMADD231PS (R11)(CX*4), Y8, Y3
	VFMADD231PS (R12)(CX*4), Y8, Y4
	VFMADD231PS (R13)(CX*4), Y8, Y5
	VFMADD231PS (AX)(CX*4), Y8, Y6
	VFMADD231PS (BX)(CX*4), Y8, Y7
	ADDQ $8, CX
	CMPQ CX, DX
	JLT loop
	MOVQ acc+32(FP), DI
	REDUCE8_ADD(DI)
	VZEROUPPER
	RET

// func dotTaps9(n8 int, in *float32, off *int, q *float32, acc *float32)
// dotTaps8 for the 9 taps t < 9 (a 3×3 window, the first of a 5×5): one
// load of q feeds 9 FMA chains (Y0-Y8), acc[t] += their sums for t < 9.
TEXT ·dotTaps9(SB), NOSPLIT, $0-40
	MOVQ in+8(FP), SI
	MOVQ off+16(FP), DI
	MOVQ (DI), R8
	LEAQ (SI)(R8*4), R8
	MOVQ 8(DI), R9
	LEAQ (SI)(R9*4), R9
	MOVQ 16(DI), R10
	LEAQ (SI)(R10*4), R10
	MOVQ 24(DI), R11
	LEAQ (SI)(R11*4), R11
	MOVQ 32(DI), R12
	LEAQ (SI)(R12*4), R12
	MOVQ 40(DI), R13
	LEAQ (SI)(R13*4), R13
	MOVQ 48(DI), AX
	LEAQ (SI)(AX*4), AX
	MOVQ 56(DI), BX
	LEAQ (SI)(BX*4), BX
	MOVQ 64(DI), DI
	LEAQ (SI)(DI*4), DI
	MOVQ q+24(FP), SI
	MOVQ n8+0(FP), DX
	XORQ CX, CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	TESTQ DX, DX
	JLE  out9
loop9:
	VMOVUPS (SI)(CX*4), Y9
	VFMADD231PS (R8)(CX*4), Y9, Y0
	VFMADD231PS (R9)(CX*4), Y9, Y1
	VFMADD231PS (R10)(CX*4), Y9, Y2
	VFMADD231PS (R11)(CX*4), Y9, Y3
	VFMADD231PS (R12)(CX*4), Y9, Y4
	VFMADD231PS (R13)(CX*4), Y9, Y5
	VFMADD231PS (AX)(CX*4), Y9, Y6
	VFMADD231PS (BX)(CX*4), Y9, Y7
	VFMADD231PS (DI)(CX*4), Y9, Y8
	ADDQ $8, CX
	CMPQ CX, DX
	JLT  loop9
out9:
	MOVQ acc+32(FP), DI
	VEXTRACTF128 $1, Y8, X9
	VADDPS X9, X8, X8
	VHADDPS X8, X8, X8
	VHADDPS X8, X8, X8
	VADDSS 32(DI), X8, X8
	VMOVSS X8, 32(DI)
	REDUCE8_ADD(DI)
	VZEROUPPER
	RET

// A stride-1 row's run from its position (R8) and pad (R9): R10 = DI +
// 4·(pos + pad), to bad where pos + pad > lim (unsigned); R11 = SI, the
// row of x (avx512_amd64.s's ROWS_RUN).
#define ROWS_RUN_Y(lim, bad) \
	MOVQ (R8), AX; \
	ADDQ R9, AX; \
	CMPQ AX, lim; \
	JHI bad; \
	LEAQ (DI)(AX*4), R10; \
	MOVQ SI, R11

// func rowsReLUY(x, dst *float32, pos *int, rows, ldx, pad, n8, x4, lim int) (ok bool)
// rowsReLUAVX2 for rows of 8·n8 + 4·x4 floats (x4 0 or 1), the whole plane
// in one call: for r < rows, dst[pos[r] + pad + i] = max(x[r·ldx + i], +0)
// (NaN and −0 to +0: VMAXPS returns its second source, the zero, unless
// x > 0). A row at pos[r] + pad outside [0, lim] (unsigned) stops it with
// ok false (lim: dst's length less a row's).
TEXT ·rowsReLUY(SB), NOSPLIT, $0-73
	MOVQ x+0(FP), SI
	MOVQ dst+8(FP), DI
	MOVQ pos+16(FP), R8
	MOVQ rows+24(FP), BX
	MOVQ ldx+32(FP), R12
	SHLQ $2, R12
	MOVQ pad+40(FP), R9
	MOVQ n8+48(FP), R13
	MOVQ x4+56(FP), R14
	VXORPS Y1, Y1, Y1
	TESTQ BX, BX
	JLE yrdone
yrrow:
	ROWS_RUN_Y(lim+64(FP), yrbad)
	MOVQ R13, DX
	TESTQ DX, DX
	JZ yrtail
yrvec:
	VMOVUPS (R11), Y0
	VMAXPS Y1, Y0, Y0
	VMOVUPS Y0, (R10)
	ADDQ $32, R11
	ADDQ $32, R10
	DECQ DX
	JNZ yrvec
yrtail:
	TESTQ R14, R14
	JZ yrnext
	VMOVUPS (R11), X0
	VMAXPS X1, X0, X0
	VMOVUPS X0, (R10)
yrnext:
	ADDQ R12, SI
	ADDQ $8, R8
	DECQ BX
	JNZ yrrow
yrdone:
	MOVB $1, ok+72(FP)
	VZEROUPPER
	RET
yrbad:
	MOVB $0, ok+72(FP)
	VZEROUPPER
	RET

// func rowsMaskedAddY(src, x, dx *float32, pos *int, rows, ldx, pad, n8, x4, lim int) (ok bool)
// rowsReLUY's adjoint: dx[r·ldx + i] += src[pos[r] + pad + i] where
// x[r·ldx + i] > 0, else += +0, over the columns of rowsReLUY; ok as
// rowsReLUY's (lim: src's length less a row's).
TEXT ·rowsMaskedAddY(SB), NOSPLIT, $0-81
	MOVQ src+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ dx+16(FP), CX
	MOVQ pos+24(FP), R8
	MOVQ rows+32(FP), BX
	MOVQ ldx+40(FP), R12
	SHLQ $2, R12
	MOVQ pad+48(FP), R9
	MOVQ n8+56(FP), R13
	MOVQ x4+64(FP), R14
	VXORPS Y1, Y1, Y1
	TESTQ BX, BX
	JLE ymdone
ymrow:
	ROWS_RUN_Y(lim+72(FP), ymbad)
	MOVQ CX, AX
	MOVQ R13, DX
	TESTQ DX, DX
	JZ ymtail
ymvec:
	VMOVUPS (R11), Y0
	VCMPPS $0x1e, Y1, Y0, Y0
	VANDPS (R10), Y0, Y0
	VADDPS (AX), Y0, Y0
	VMOVUPS Y0, (AX)
	ADDQ $32, R11
	ADDQ $32, R10
	ADDQ $32, AX
	DECQ DX
	JNZ ymvec
ymtail:
	TESTQ R14, R14
	JZ ymnext
	VMOVUPS (R11), X0
	VCMPPS $0x1e, X1, X0, X0
	VANDPS (R10), X0, X0
	VADDPS (AX), X0, X0
	VMOVUPS X0, (AX)
ymnext:
	ADDQ R12, SI
	ADDQ R12, CX
	ADDQ $8, R8
	DECQ BX
	JNZ ymrow
ymdone:
	MOVB $1, ok+80(FP)
	VZEROUPPER
	RET
ymbad:
	MOVB $0, ok+80(FP)
	VZEROUPPER
	RET

// func copyRowsY(src, dst *float32, rows, ldd, n8, x4 int)
// dst[r·ldd + i] = src[r·w + i] for r < rows, i < w = 8·n8 + 4·x4 (x4 0 or
// 1): src rows contiguous, dst rows ldd floats apart.
TEXT ·copyRowsY(SB), NOSPLIT, $0-48
	MOVQ src+0(FP), SI
	MOVQ dst+8(FP), DI
	MOVQ rows+16(FP), BX
	MOVQ ldd+24(FP), R12
	SHLQ $2, R12
	MOVQ n8+32(FP), R13
	MOVQ x4+40(FP), R14
	TESTQ BX, BX
	JLE crdone
crrow:
	MOVQ DI, R10
	MOVQ R13, DX
	TESTQ DX, DX
	JZ crtail
crvec:
	VMOVUPS (SI), Y0
	VMOVUPS Y0, (R10)
	ADDQ $32, SI
	ADDQ $32, R10
	DECQ DX
	JNZ crvec
crtail:
	TESTQ R14, R14
	JZ crnext
	VMOVUPS (SI), X0
	VMOVUPS X0, (R10)
	ADDQ $16, SI
crnext:
	ADDQ R12, DI
	DECQ BX
	JNZ crrow
	VZEROUPPER
crdone:
	RET

// func rows2Y(x, dst *float32, pos *int, rows, ldx, eOff, oOff, n8 int, relu bool, idx *int32, eLim, oLim int) (ok bool)
// The stride-2 layout of rows of 8·n8 floats (x rows ldx apart), a plane
// per call: row r's even columns to dst[pos[r] + eOff + j], its odd ones to
// dst[pos[r] + oOff + j], rectified (max(x, +0), as rowsReLUY) with relu.
// Each 8 columns go through one VPERMPS (idx: evenOddPerm), the low half
// to the even run, the high half to the odd one. A row whose runs would
// start past eLim or oLim (unsigned: dst's length less a run's) stops it
// with ok false.
TEXT ·rows2Y(SB), NOSPLIT, $0-97
	MOVQ x+0(FP), SI
	MOVQ dst+8(FP), DI
	MOVQ pos+16(FP), R8
	MOVQ rows+24(FP), BX
	MOVQ ldx+32(FP), R12
	SHLQ $2, R12
	MOVQ n8+56(FP), R13
	MOVBQZX relu+64(FP), R14
	MOVQ idx+72(FP), AX
	VMOVDQU (AX), Y2
	VXORPS Y1, Y1, Y1
	TESTQ BX, BX
	JLE r2done
r2row:
	MOVQ (R8), AX
	MOVQ AX, DX
	ADDQ eOff+40(FP), AX
	CMPQ AX, eLim+80(FP)
	JHI r2bad
	ADDQ oOff+48(FP), DX
	CMPQ DX, oLim+88(FP)
	JHI r2bad
	LEAQ (DI)(AX*4), R10 // the even run
	LEAQ (DI)(DX*4), R9  // the odd run
	MOVQ SI, R11
	MOVQ R13, CX
r2vec:
	VMOVUPS (R11), Y0
	TESTQ R14, R14
	JZ r2perm
	VMAXPS Y1, Y0, Y0
r2perm:
	VPERMPS Y0, Y2, Y0
	VMOVUPS X0, (R10)
	VEXTRACTF128 $1, Y0, (R9)
	ADDQ $32, R11
	ADDQ $16, R10
	ADDQ $16, R9
	DECQ CX
	JNZ r2vec
	ADDQ R12, SI
	ADDQ $8, R8
	DECQ BX
	JNZ r2row
r2done:
	MOVB $1, ok+96(FP)
	VZEROUPPER
	RET
r2bad:
	MOVB $0, ok+96(FP)
	VZEROUPPER
	RET

// func rows2MaskedAddY(src, x, dx *float32, pos *int, rows, ldx, eOff, oOff, n8 int, idx *int32, eLim, oLim int) (ok bool)
// rows2Y's adjoint with relu: dx[r·ldx + i] += the even (i even) or odd run
// of src at i/2 where x[r·ldx + i] > 0, else += +0; idx: oddEvenPerm. ok as
// rows2Y's.
TEXT ·rows2MaskedAddY(SB), NOSPLIT, $0-97
	MOVQ src+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ dx+16(FP), R14
	MOVQ pos+24(FP), R8
	MOVQ rows+32(FP), BX
	MOVQ ldx+40(FP), R12
	SHLQ $2, R12
	MOVQ n8+64(FP), R13
	MOVQ idx+72(FP), AX
	VMOVDQU (AX), Y2
	VXORPS Y1, Y1, Y1
	TESTQ BX, BX
	JLE m2done
m2row:
	MOVQ (R8), AX
	MOVQ AX, DX
	ADDQ eOff+48(FP), AX
	CMPQ AX, eLim+80(FP)
	JHI m2bad
	ADDQ oOff+56(FP), DX
	CMPQ DX, oLim+88(FP)
	JHI m2bad
	LEAQ (DI)(AX*4), R10
	LEAQ (DI)(DX*4), R9
	MOVQ SI, R11
	MOVQ R14, DX
	MOVQ R13, CX
m2vec:
	VMOVUPS (R10), X0
	VINSERTF128 $1, (R9), Y0, Y0
	VPERMPS Y0, Y2, Y0
	VMOVUPS (R11), Y3
	VCMPPS $0x1e, Y1, Y3, Y3
	VANDPS Y3, Y0, Y0
	VADDPS (DX), Y0, Y0
	VMOVUPS Y0, (DX)
	ADDQ $32, R11
	ADDQ $32, DX
	ADDQ $16, R10
	ADDQ $16, R9
	DECQ CX
	JNZ m2vec
	ADDQ R12, SI
	ADDQ R12, R14
	ADDQ $8, R8
	DECQ BX
	JNZ m2row
m2done:
	MOVB $1, ok+96(FP)
	VZEROUPPER
	RET
m2bad:
	MOVB $0, ok+96(FP)
	VZEROUPPER
	RET
