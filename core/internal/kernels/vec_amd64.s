//go:build goexperiment.simd && amd64 && !noasm

#include "textflag.h"

// func sumDotBlocks8(n8 int, x, y *float32) (s, d float64)
// SumDotBlocks over n8 (a multiple of 8) elements: per block of up to 128,
// four float32 accumulator pairs over 32 elements (FMA for the products),
// then one pair over 8, the pairs added and their lanes widened into
// float64 accumulators (Y8, Y9) that sum the blocks.
TEXT ·sumDotBlocks8(SB), NOSPLIT, $0-40
	MOVQ n8+0(FP), CX
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DI
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	TESTQ CX, CX
	JLE sdend
sdblock:
	MOVQ $128, DX
	CMPQ CX, DX
	CMOVQLT CX, DX // this block's elements
	SUBQ DX, CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
sd32:
	CMPQ DX, $32
	JLT sd8
	VMOVUPS (SI), Y10
	VMOVUPS 32(SI), Y11
	VMOVUPS 64(SI), Y12
	VMOVUPS 96(SI), Y13
	VADDPS Y10, Y0, Y0
	VADDPS Y11, Y1, Y1
	VADDPS Y12, Y2, Y2
	VADDPS Y13, Y3, Y3
	VFMADD231PS (DI), Y10, Y4
	VFMADD231PS 32(DI), Y11, Y5
	VFMADD231PS 64(DI), Y12, Y6
	VFMADD231PS 96(DI), Y13, Y7
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, DX
	JMP sd32
sd8:
	TESTQ DX, DX
	JZ sdsum
	VMOVUPS (SI), Y10
	VADDPS Y10, Y0, Y0
	VFMADD231PS (DI), Y10, Y4
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, DX
	JMP sd8
sdsum:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0
	VADDPS Y5, Y4, Y4
	VADDPS Y7, Y6, Y6
	VADDPS Y6, Y4, Y4
	VCVTPS2PD X0, Y10
	VEXTRACTF128 $1, Y0, X11
	VCVTPS2PD X11, Y11
	VADDPD Y10, Y8, Y8
	VADDPD Y11, Y8, Y8
	VCVTPS2PD X4, Y10
	VEXTRACTF128 $1, Y4, X11
	VCVTPS2PD X11, Y11
	VADDPD Y10, Y9, Y9
	VADDPD Y11, Y9, Y9
	TESTQ CX, CX
	JNZ sdblock
sdend:
	VEXTRACTF128 $1, Y8, X10
	VADDPD X10, X8, X8
	VPERMILPD $1, X8, X10
	VADDSD X10, X8, X8
	VEXTRACTF128 $1, Y9, X11
	VADDPD X11, X9, X9
	VPERMILPD $1, X9, X11
	VADDSD X11, X9, X9
	VZEROUPPER
	MOVSD X8, s+24(FP)
	MOVSD X9, d+32(FP)
	RET

// func sumDot8(n8 int, x, y *float32) (s, d float64)
// sumDotAVX2's vector part over n8 (a multiple of 8) elements, the same
// sums in the same order: float32 loads widened with VCVTPS2PD, two float64
// accumulator pairs (lanes i mod 8 < 4 and ≥ 4), FMA for the products
// (exact: a product of two float32 fits a float64), then
// ((l0 + l1) + (l2 + l3)) of their sum.
TEXT ·sumDot8(SB), NOSPLIT, $0-40
	MOVQ n8+0(FP), CX
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DI
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	TESTQ CX, CX
	JLE s8sum
s8loop:
	VCVTPS2PD (SI), Y4
	VCVTPS2PD 16(SI), Y5
	VCVTPS2PD (DI), Y6
	VCVTPS2PD 16(DI), Y7
	VADDPD Y4, Y0, Y0
	VADDPD Y5, Y1, Y1
	VFMADD231PD Y6, Y4, Y2
	VFMADD231PD Y7, Y5, Y3
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JNZ s8loop
s8sum:
	VADDPD Y1, Y0, Y0
	VADDPD Y3, Y2, Y2
	VHADDPD Y0, Y0, Y0 // l0+l1, l0+l1, l2+l3, l2+l3
	VEXTRACTF128 $1, Y0, X1
	VADDSD X1, X0, X0
	VHADDPD Y2, Y2, Y2
	VEXTRACTF128 $1, Y2, X3
	VADDSD X3, X2, X2
	VZEROUPPER
	MOVSD X0, s+24(FP)
	MOVSD X2, d+32(FP)
	RET

// func affineY(n8 int, dst, src *float32, a, b float32)
// dst[i] = src[i]·a + b for i < n8 (a multiple of 8), VMULPS then VADDPS:
// affineGeneric's rounding. dst may be src.
TEXT ·affineY(SB), NOSPLIT, $0-32
	MOVQ n8+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI
	VBROADCASTSS a+24(FP), Y1
	VBROADCASTSS b+28(FP), Y2
	TESTQ CX, CX
	JLE afdone
af16:
	CMPQ CX, $16
	JLT af8
	VMULPS (SI), Y1, Y0
	VMULPS 32(SI), Y1, Y3
	VADDPS Y2, Y0, Y0
	VADDPS Y2, Y3, Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y3, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP af16
af8:
	TESTQ CX, CX
	JZ afend
	VMULPS (SI), Y1, Y0
	VADDPS Y2, Y0, Y0
	VMOVUPS Y0, (DI)
afend:
	VZEROUPPER
afdone:
	RET

// func affine2Y(n8 int, dst, x, y *float32, a, b, c float32, add bool)
// dst[i] = (a·x[i] + b·y[i]) + c for i < n8 (a multiple of 8), or with add
// dst[i] += that: affine2Generic's and addAffine2Generic's rounding (each
// product, then each sum, rounded). dst may be x or y.
TEXT ·affine2Y(SB), NOSPLIT, $0-45
	MOVQ n8+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ x+16(FP), SI
	MOVQ y+24(FP), DX
	VBROADCASTSS a+32(FP), Y1
	VBROADCASTSS b+36(FP), Y2
	VBROADCASTSS c+40(FP), Y3
	MOVBQZX add+44(FP), AX
	TESTQ CX, CX
	JLE a2done
	TESTQ AX, AX
	JNZ a2add
a2loop:
	VMULPS (SI), Y1, Y0
	VMULPS (DX), Y2, Y4
	VADDPS Y4, Y0, Y0
	VADDPS Y3, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	SUBQ $8, CX
	JNZ a2loop
	JMP a2end
a2add:
	VMULPS (SI), Y1, Y0
	VMULPS (DX), Y2, Y4
	VADDPS Y4, Y0, Y0
	VADDPS Y3, Y0, Y0
	VADDPS (DI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	SUBQ $8, CX
	JNZ a2add
a2end:
	VZEROUPPER
a2done:
	RET
