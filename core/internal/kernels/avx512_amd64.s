//go:build goexperiment.simd && amd64 && !noasm

#include "textflag.h"

// Zeroed sums and row masks, shared by the kernels below.
#define ZERO_Z0_Z3 \
	VXORPS Z0, Z0, Z0; \
	VXORPS Z1, Z1, Z1; \
	VXORPS Z2, Z2, Z2; \
	VXORPS Z3, Z3, Z3

#define ZERO_Z0_Z7 \
	ZERO_Z0_Z3; \
	VXORPS Z4, Z4, Z4; \
	VXORPS Z5, Z5, Z5; \
	VXORPS Z6, Z6, Z6; \
	VXORPS Z7, Z7, Z7

// K1-K4 from bits 0-15, 16-31, 32-47, 48-63 of AX (AX is shifted away)
#define MASKS_K1_K4 \
	KMOVW AX, K1; \
	SHRQ $16, AX; \
	KMOVW AX, K2; \
	SHRQ $16, AX; \
	KMOVW AX, K3; \
	SHRQ $16, AX; \
	KMOVW AX, K4

// The AVX-512 (zmm) kernels of the avx512 fast path. Where a core runs
// 512-bit vectors at full width (AMD Zen 5, Intel server cores) they do
// twice the arithmetic of the AVX2 kernels per instruction.

// func corr128Z(blocks int, out, in, w *float32, off *int, taps int)
// corr64 on zmm over blocks of 128 flat outputs: out[j+i] = Σ_t w[t]·in[j+i+off[t]],
// i < 128, taps summed in order from zero with a rounding after each multiply
// and each add (VMULPS then VADDPS, no FMA), as corrGeneric. 8 zmm
// accumulators (Z0-Z7), w[t] broadcast into Z8, products in Z9-Z16.
TEXT ·corr128Z(SB), NOSPLIT, $0-48
	MOVQ blocks+0(FP), CX
	MOVQ out+8(FP), DI
	MOVQ in+16(FP), SI
	MOVQ w+24(FP), R8
	MOVQ off+32(FP), R9
	MOVQ taps+40(FP), R10
	TESTQ CX, CX
	JLE done
block:
	ZERO_Z0_Z7
	XORQ R11, R11
tap:
	MOVQ (R9)(R11*8), AX
	LEAQ (SI)(AX*4), DX
	VBROADCASTSS (R8)(R11*4), Z8
	VMULPS (DX), Z8, Z9
	VMULPS 64(DX), Z8, Z10
	VMULPS 128(DX), Z8, Z11
	VMULPS 192(DX), Z8, Z12
	VMULPS 256(DX), Z8, Z13
	VMULPS 320(DX), Z8, Z14
	VMULPS 384(DX), Z8, Z15
	VMULPS 448(DX), Z8, Z16
	VADDPS Z9, Z0, Z0
	VADDPS Z10, Z1, Z1
	VADDPS Z11, Z2, Z2
	VADDPS Z12, Z3, Z3
	VADDPS Z13, Z4, Z4
	VADDPS Z14, Z5, Z5
	VADDPS Z15, Z6, Z6
	VADDPS Z16, Z7, Z7
	INCQ R11
	CMPQ R11, R10
	JLT tap
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	VMOVUPS Z4, 256(DI)
	VMOVUPS Z5, 320(DI)
	VMOVUPS Z6, 384(DI)
	VMOVUPS Z7, 448(DI)
	ADDQ $512, DI
	ADDQ $512, SI
	DECQ CX
	JNZ block
	VZEROUPPER
done:
	RET

// func flatKernel4x48Z(k int, a, b *float32, boff *int, c *float32, ldc int)
// flatKernel4x24 on zmm: C[4×48] = Σ_p a[p*4+r]·b[boff[p]+j] (overwrite),
// 12 zmm accumulators (Z4-Z15), the three B vectors of row p read in place at
// its offset (Z0-Z2), A broadcast into Z16-Z19.
TEXT ·flatKernel4x48Z(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ boff+24(FP), R10
	MOVQ c+32(FP), DX
	MOVQ ldc+40(FP), R8
	SHLQ $2, R8
	VXORPS Z4, Z4, Z4
	VXORPS Z5, Z5, Z5
	VXORPS Z6, Z6, Z6
	VXORPS Z7, Z7, Z7
	VXORPS Z8, Z8, Z8
	VXORPS Z9, Z9, Z9
	VXORPS Z10, Z10, Z10
	VXORPS Z11, Z11, Z11
	VXORPS Z12, Z12, Z12
	VXORPS Z13, Z13, Z13
	VXORPS Z14, Z14, Z14
	VXORPS Z15, Z15, Z15
	TESTQ CX, CX
	JLE zstore
zloop:
	MOVQ (R10), R9
	LEAQ (DI)(R9*4), R11
	VMOVUPS (R11), Z0
	VMOVUPS 64(R11), Z1
	VMOVUPS 128(R11), Z2
	VBROADCASTSS 0(SI), Z16
	VBROADCASTSS 4(SI), Z17
	VBROADCASTSS 8(SI), Z18
	VBROADCASTSS 12(SI), Z19
	VFMADD231PS Z0, Z16, Z4
	VFMADD231PS Z1, Z16, Z5
	VFMADD231PS Z2, Z16, Z6
	VFMADD231PS Z0, Z17, Z7
	VFMADD231PS Z1, Z17, Z8
	VFMADD231PS Z2, Z17, Z9
	VFMADD231PS Z0, Z18, Z10
	VFMADD231PS Z1, Z18, Z11
	VFMADD231PS Z2, Z18, Z12
	VFMADD231PS Z0, Z19, Z13
	VFMADD231PS Z1, Z19, Z14
	VFMADD231PS Z2, Z19, Z15
	ADDQ $16, SI
	ADDQ $8, R10
	DECQ CX
	JNZ zloop
zstore:
	VMOVUPS Z4, 0(DX)
	VMOVUPS Z5, 64(DX)
	VMOVUPS Z6, 128(DX)
	ADDQ R8, DX
	VMOVUPS Z7, 0(DX)
	VMOVUPS Z8, 64(DX)
	VMOVUPS Z9, 128(DX)
	ADDQ R8, DX
	VMOVUPS Z10, 0(DX)
	VMOVUPS Z11, 64(DX)
	VMOVUPS Z12, 128(DX)
	ADDQ R8, DX
	VMOVUPS Z13, 0(DX)
	VMOVUPS Z14, 64(DX)
	VMOVUPS Z15, 128(DX)
	VZEROUPPER
	RET

// func flatKernel8x16ZM(k int, a0, a1, b *float32, boff *int, c *float32, ldc int, mask uint16)
// The column tail: C[8×16] = Σ_p a[p*4+r]·b[boff[p]+j] for the columns set
// in mask (the others neither read nor written), rows 0-3 from panel a0 and
// 4-7 from panel a1 (a1 = a0 when the 4 rows of a second panel are not
// wanted: rows 4-7 are then written nowhere... see the Go side). 8 zmm
// accumulators (Z4-Z11).
TEXT ·flatKernel8x16ZM(SB), NOSPLIT, $0-58
	MOVQ k+0(FP), CX
	MOVQ a0+8(FP), SI
	MOVQ a1+16(FP), BX
	MOVQ b+24(FP), DI
	MOVQ boff+32(FP), R10
	MOVQ c+40(FP), DX
	MOVQ ldc+48(FP), R8
	SHLQ $2, R8
	MOVWQZX mask+56(FP), AX
	KMOVW AX, K1
	VXORPS Z4, Z4, Z4
	VXORPS Z5, Z5, Z5
	VXORPS Z6, Z6, Z6
	VXORPS Z7, Z7, Z7
	VXORPS Z8, Z8, Z8
	VXORPS Z9, Z9, Z9
	VXORPS Z10, Z10, Z10
	VXORPS Z11, Z11, Z11
	TESTQ CX, CX
	JLE mstore
mloop:
	MOVQ (R10), R9
	LEAQ (DI)(R9*4), R11
	VMOVUPS.Z (R11), K1, Z0
	VBROADCASTSS 0(SI), Z16
	VBROADCASTSS 4(SI), Z17
	VBROADCASTSS 8(SI), Z18
	VBROADCASTSS 12(SI), Z19
	VBROADCASTSS 0(BX), Z20
	VBROADCASTSS 4(BX), Z21
	VBROADCASTSS 8(BX), Z22
	VBROADCASTSS 12(BX), Z23
	VFMADD231PS Z0, Z16, Z4
	VFMADD231PS Z0, Z17, Z5
	VFMADD231PS Z0, Z18, Z6
	VFMADD231PS Z0, Z19, Z7
	VFMADD231PS Z0, Z20, Z8
	VFMADD231PS Z0, Z21, Z9
	VFMADD231PS Z0, Z22, Z10
	VFMADD231PS Z0, Z23, Z11
	ADDQ $16, SI
	ADDQ $16, BX
	ADDQ $8, R10
	DECQ CX
	JNZ mloop
mstore:
	VMOVUPS Z4, K1, (DX)
	ADDQ R8, DX
	VMOVUPS Z5, K1, (DX)
	ADDQ R8, DX
	VMOVUPS Z6, K1, (DX)
	ADDQ R8, DX
	VMOVUPS Z7, K1, (DX)
	ADDQ R8, DX
	VMOVUPS Z8, K1, (DX)
	ADDQ R8, DX
	VMOVUPS Z9, K1, (DX)
	ADDQ R8, DX
	VMOVUPS Z10, K1, (DX)
	ADDQ R8, DX
	VMOVUPS Z11, K1, (DX)
	VZEROUPPER
	RET

// func flatDot4x3Z(nv int, d *float32, ldd int, b *float32, boff *int, out *float32, mask uint16)
// flatDot4x3 on zmm: out[q*4+r] = Σ_j d[r*ldd+j]·b[boff[q]+j] for r < 4, q < 3
// over nv whole vectors of 16 columns and then, where mask is not zero, one
// more vector of the columns set in mask (the others not read): 12 zmm
// accumulators (Z4-Z15: row r, column q in Z(4+3r+q)), halved to ymm and
// reduced four at a time with VHADDPS as flatDot4x3.
TEXT ·flatDot4x3Z(SB), NOSPLIT, $0-50
	MOVQ nv+0(FP), BX
	SHLQ $6, BX
	MOVQ d+8(FP), SI
	MOVQ ldd+16(FP), R8
	SHLQ $2, R8
	LEAQ (SI)(R8*1), R11
	LEAQ (R11)(R8*1), R12
	LEAQ (R12)(R8*1), R13
	MOVQ b+24(FP), DX
	MOVQ boff+32(FP), CX
	MOVQ 0(CX), DI
	LEAQ (DX)(DI*4), DI
	MOVQ 8(CX), R9
	LEAQ (DX)(R9*4), R9
	MOVQ 16(CX), R10
	LEAQ (DX)(R10*4), R10
	MOVQ out+40(FP), DX
	VXORPS Z4, Z4, Z4
	VXORPS Z5, Z5, Z5
	VXORPS Z6, Z6, Z6
	VXORPS Z7, Z7, Z7
	VXORPS Z8, Z8, Z8
	VXORPS Z9, Z9, Z9
	VXORPS Z10, Z10, Z10
	VXORPS Z11, Z11, Z11
	VXORPS Z12, Z12, Z12
	VXORPS Z13, Z13, Z13
	VXORPS Z14, Z14, Z14
	VXORPS Z15, Z15, Z15
	XORQ AX, AX
	TESTQ BX, BX
	JLE ztail
zdloop:
	VMOVUPS (DI)(AX*1), Z0
	VMOVUPS (R9)(AX*1), Z1
	VMOVUPS (R10)(AX*1), Z2
	VMOVUPS (SI)(AX*1), Z3
	VFMADD231PS Z0, Z3, Z4
	VFMADD231PS Z1, Z3, Z5
	VFMADD231PS Z2, Z3, Z6
	VMOVUPS (R11)(AX*1), Z3
	VFMADD231PS Z0, Z3, Z7
	VFMADD231PS Z1, Z3, Z8
	VFMADD231PS Z2, Z3, Z9
	VMOVUPS (R12)(AX*1), Z3
	VFMADD231PS Z0, Z3, Z10
	VFMADD231PS Z1, Z3, Z11
	VFMADD231PS Z2, Z3, Z12
	VMOVUPS (R13)(AX*1), Z3
	VFMADD231PS Z0, Z3, Z13
	VFMADD231PS Z1, Z3, Z14
	VFMADD231PS Z2, Z3, Z15
	ADDQ $64, AX
	CMPQ AX, BX
	JLT zdloop
ztail:
	MOVWQZX mask+48(FP), CX
	TESTQ CX, CX
	JZ zreduce
	KMOVW CX, K1
	VMOVUPS.Z (DI)(AX*1), K1, Z0
	VMOVUPS.Z (R9)(AX*1), K1, Z1
	VMOVUPS.Z (R10)(AX*1), K1, Z2
	VMOVUPS.Z (SI)(AX*1), K1, Z3
	VFMADD231PS Z0, Z3, Z4
	VFMADD231PS Z1, Z3, Z5
	VFMADD231PS Z2, Z3, Z6
	VMOVUPS.Z (R11)(AX*1), K1, Z3
	VFMADD231PS Z0, Z3, Z7
	VFMADD231PS Z1, Z3, Z8
	VFMADD231PS Z2, Z3, Z9
	VMOVUPS.Z (R12)(AX*1), K1, Z3
	VFMADD231PS Z0, Z3, Z10
	VFMADD231PS Z1, Z3, Z11
	VFMADD231PS Z2, Z3, Z12
	VMOVUPS.Z (R13)(AX*1), K1, Z3
	VFMADD231PS Z0, Z3, Z13
	VFMADD231PS Z1, Z3, Z14
	VFMADD231PS Z2, Z3, Z15
zreduce:
	VEXTRACTF64X4 $1, Z4, Y16
	VADDPS Y16, Y4, Y4
	VEXTRACTF64X4 $1, Z5, Y16
	VADDPS Y16, Y5, Y5
	VEXTRACTF64X4 $1, Z6, Y16
	VADDPS Y16, Y6, Y6
	VEXTRACTF64X4 $1, Z7, Y16
	VADDPS Y16, Y7, Y7
	VEXTRACTF64X4 $1, Z8, Y16
	VADDPS Y16, Y8, Y8
	VEXTRACTF64X4 $1, Z9, Y16
	VADDPS Y16, Y9, Y9
	VEXTRACTF64X4 $1, Z10, Y16
	VADDPS Y16, Y10, Y10
	VEXTRACTF64X4 $1, Z11, Y16
	VADDPS Y16, Y11, Y11
	VEXTRACTF64X4 $1, Z12, Y16
	VADDPS Y16, Y12, Y12
	VEXTRACTF64X4 $1, Z13, Y16
	VADDPS Y16, Y13, Y13
	VEXTRACTF64X4 $1, Z14, Y16
	VADDPS Y16, Y14, Y14
	VEXTRACTF64X4 $1, Z15, Y16
	VADDPS Y16, Y15, Y15
	VHADDPS Y7, Y4, Y0
	VHADDPS Y13, Y10, Y1
	VHADDPS Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VMOVUPS X0, 0(DX)
	VHADDPS Y8, Y5, Y0
	VHADDPS Y14, Y11, Y1
	VHADDPS Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VMOVUPS X0, 16(DX)
	VHADDPS Y9, Y6, Y0
	VHADDPS Y15, Y12, Y1
	VHADDPS Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VMOVUPS X0, 32(DX)
	VZEROUPPER
	RET

// func corr64ZM(out, in, w *float32, off *int, taps int, masks uint64)
// Corr over up to 64 flat outputs in zmm vectors, vector v's lanes those set
// in bits 16v..16v+15 of masks (masked off: neither read nor written):
// out[i] = Σ_t w[t]·in[i+off[t]], taps in order from zero, VMULPS then VADDPS
// as corrGeneric, on one to four vectors by the highest mask bit set.
// Accumulators Z0-Z3, w[t] in Z8, products Z9-Z12; masks in K1-K4.
TEXT ·corr64ZM(SB), NOSPLIT, $0-48
	MOVQ out+0(FP), DI
	MOVQ in+8(FP), SI
	MOVQ w+16(FP), R8
	MOVQ off+24(FP), R9
	MOVQ taps+32(FP), R10
	MOVQ masks+40(FP), AX
	MOVQ AX, BX
	MASKS_K1_K4
	ZERO_Z0_Z3
	XORQ R11, R11
	TESTQ R10, R10
	JLE m4store
	SHRQ $16, BX
	JZ m1tap
	SHRQ $16, BX
	JZ m2tap
	SHRQ $16, BX
	JZ m3tap
m4tap:
	MOVQ (R9)(R11*8), AX
	LEAQ (SI)(AX*4), DX
	VBROADCASTSS (R8)(R11*4), Z8
	VMOVUPS.Z (DX), K1, Z9
	VMOVUPS.Z 64(DX), K2, Z10
	VMOVUPS.Z 128(DX), K3, Z11
	VMOVUPS.Z 192(DX), K4, Z12
	VMULPS Z9, Z8, Z9
	VMULPS Z10, Z8, Z10
	VMULPS Z11, Z8, Z11
	VMULPS Z12, Z8, Z12
	VADDPS Z9, Z0, Z0
	VADDPS Z10, Z1, Z1
	VADDPS Z11, Z2, Z2
	VADDPS Z12, Z3, Z3
	INCQ R11
	CMPQ R11, R10
	JLT m4tap
m4store:
	VMOVUPS Z0, K1, (DI)
	VMOVUPS Z1, K2, 64(DI)
	VMOVUPS Z2, K3, 128(DI)
	VMOVUPS Z3, K4, 192(DI)
	VZEROUPPER
	RET
m3tap:
	MOVQ (R9)(R11*8), AX
	LEAQ (SI)(AX*4), DX
	VBROADCASTSS (R8)(R11*4), Z8
	VMOVUPS.Z (DX), K1, Z9
	VMOVUPS.Z 64(DX), K2, Z10
	VMOVUPS.Z 128(DX), K3, Z11
	VMULPS Z9, Z8, Z9
	VMULPS Z10, Z8, Z10
	VMULPS Z11, Z8, Z11
	VADDPS Z9, Z0, Z0
	VADDPS Z10, Z1, Z1
	VADDPS Z11, Z2, Z2
	INCQ R11
	CMPQ R11, R10
	JLT m3tap
	VMOVUPS Z0, K1, (DI)
	VMOVUPS Z1, K2, 64(DI)
	VMOVUPS Z2, K3, 128(DI)
	VZEROUPPER
	RET
m2tap:
	MOVQ (R9)(R11*8), AX
	LEAQ (SI)(AX*4), DX
	VBROADCASTSS (R8)(R11*4), Z8
	VMOVUPS.Z (DX), K1, Z9
	VMOVUPS.Z 64(DX), K2, Z10
	VMULPS Z9, Z8, Z9
	VMULPS Z10, Z8, Z10
	VADDPS Z9, Z0, Z0
	VADDPS Z10, Z1, Z1
	INCQ R11
	CMPQ R11, R10
	JLT m2tap
	VMOVUPS Z0, K1, (DI)
	VMOVUPS Z1, K2, 64(DI)
	VZEROUPPER
	RET
m1tap:
	MOVQ (R9)(R11*8), AX
	LEAQ (SI)(AX*4), DX
	VBROADCASTSS (R8)(R11*4), Z8
	VMOVUPS.Z (DX), K1, Z9
	VMULPS Z9, Z8, Z9
	VADDPS Z9, Z0, Z0
	INCQ R11
	CMPQ R11, R10
	JLT m1tap
	VMOVUPS Z0, K1, (DI)
	VZEROUPPER
	RET

// The tap-dot kernels of dotTapsAVX512 share these pieces. The first 8 taps'
// run pointers in R8-R13, AX, BX (in + off[t], from in in SI and off in DI);
// their chains in Z0-Z7.
#define DOTTAPS_PTRS8 \
	MOVQ 0(DI), R8; \
	LEAQ (SI)(R8*4), R8; \
	MOVQ 8(DI), R9; \
	LEAQ (SI)(R9*4), R9; \
	MOVQ 16(DI), R10; \
	LEAQ (SI)(R10*4), R10; \
	MOVQ 24(DI), R11; \
	LEAQ (SI)(R11*4), R11; \
	MOVQ 32(DI), R12; \
	LEAQ (SI)(R12*4), R12; \
	MOVQ 40(DI), R13; \
	LEAQ (SI)(R13*4), R13; \
	MOVQ 48(DI), AX; \
	LEAQ (SI)(AX*4), AX; \
	MOVQ 56(DI), BX; \
	LEAQ (SI)(BX*4), BX

// one vector of q (in Q) into the 8 chains, position CX
#define DOTTAPS_FMA8(Q) \
	VFMADD231PS (R8)(CX*4), Q, Z0; \
	VFMADD231PS (R9)(CX*4), Q, Z1; \
	VFMADD231PS (R10)(CX*4), Q, Z2; \
	VFMADD231PS (R11)(CX*4), Q, Z3; \
	VFMADD231PS (R12)(CX*4), Q, Z4; \
	VFMADD231PS (R13)(CX*4), Q, Z5; \
	VFMADD231PS (AX)(CX*4), Q, Z6; \
	VFMADD231PS (BX)(CX*4), Q, Z7

// the masked last vector (mask K1, q in Q, T a scratch register)
#define DOTTAPS_TAIL8(Q, T) \
	VMOVUPS.Z (R8)(CX*4), K1, T; \
	VFMADD231PS T, Q, Z0; \
	VMOVUPS.Z (R9)(CX*4), K1, T; \
	VFMADD231PS T, Q, Z1; \
	VMOVUPS.Z (R10)(CX*4), K1, T; \
	VFMADD231PS T, Q, Z2; \
	VMOVUPS.Z (R11)(CX*4), K1, T; \
	VFMADD231PS T, Q, Z3; \
	VMOVUPS.Z (R12)(CX*4), K1, T; \
	VFMADD231PS T, Q, Z4; \
	VMOVUPS.Z (R13)(CX*4), K1, T; \
	VFMADD231PS T, Q, Z5; \
	VMOVUPS.Z (AX)(CX*4), K1, T; \
	VFMADD231PS T, Q, Z6; \
	VMOVUPS.Z (BX)(CX*4), K1, T; \
	VFMADD231PS T, Q, Z7

// the 8 chains halved to ymm (scratch TY), summed four at a time with
// VHADDPS (scratch TX) and added into acc[0..7] (acc's address in DI)
#define DOTTAPS_REDUCE8(TY, TX) \
	VEXTRACTF64X4 $1, Z0, TY; \
	VADDPS TY, Y0, Y0; \
	VEXTRACTF64X4 $1, Z1, TY; \
	VADDPS TY, Y1, Y1; \
	VEXTRACTF64X4 $1, Z2, TY; \
	VADDPS TY, Y2, Y2; \
	VEXTRACTF64X4 $1, Z3, TY; \
	VADDPS TY, Y3, Y3; \
	VEXTRACTF64X4 $1, Z4, TY; \
	VADDPS TY, Y4, Y4; \
	VEXTRACTF64X4 $1, Z5, TY; \
	VADDPS TY, Y5, Y5; \
	VEXTRACTF64X4 $1, Z6, TY; \
	VADDPS TY, Y6, Y6; \
	VEXTRACTF64X4 $1, Z7, TY; \
	VADDPS TY, Y7, Y7; \
	VHADDPS Y1, Y0, Y0; \
	VHADDPS Y3, Y2, Y2; \
	VHADDPS Y2, Y0, Y0; \
	VEXTRACTF128 $1, Y0, TX; \
	VADDPS TX, X0, X0; \
	VHADDPS Y5, Y4, Y4; \
	VHADDPS Y7, Y6, Y6; \
	VHADDPS Y6, Y4, Y4; \
	VEXTRACTF128 $1, Y4, TX; \
	VADDPS TX, X4, X4; \
	VADDPS (DI), X0, X0; \
	VMOVUPS X0, (DI); \
	VADDPS 16(DI), X4, X4; \
	VMOVUPS X4, 16(DI)

// func dotTaps8Z(nv int, in *float32, off *int, q *float32, acc *float32, mask uint16)
// dotTaps8 on zmm, reduced: acc[t] += Σ_{j<n} in[off[t]+j]·q[j] for the 8
// taps t < 8, over nv whole vectors of 16 positions and then, where mask is
// not zero, one more of the positions set in mask (the others not read).
// One load of q feeds 8 FMA chains (Z0-Z7); the chains are halved to ymm and
// summed four at a time with VHADDPS.
TEXT ·dotTaps8Z(SB), NOSPLIT, $0-42
	MOVQ in+8(FP), SI
	MOVQ off+16(FP), DI
	DOTTAPS_PTRS8
	MOVQ q+24(FP), SI
	MOVQ nv+0(FP), DX
	SHLQ $4, DX
	XORQ CX, CX
	ZERO_Z0_Z7
	TESTQ DX, DX
	JLE ttail
tloop:
	VMOVUPS (SI)(CX*4), Z8
	DOTTAPS_FMA8(Z8)
	ADDQ $16, CX
	CMPQ CX, DX
	JLT tloop
ttail:
	MOVWQZX mask+40(FP), DX
	TESTQ DX, DX
	JZ treduce
	KMOVW DX, K1
	VMOVUPS.Z (SI)(CX*4), K1, Z8
	DOTTAPS_TAIL8(Z8, Z9)
treduce:
	MOVQ acc+32(FP), DI
	DOTTAPS_REDUCE8(Y8, X8)
	VZEROUPPER
	RET

// func dotTaps9Z(nv int, in *float32, off *int, q *float32, acc *float32, mask uint16)
// dotTaps8Z for 9 taps (a 3×3 window, or the first 9 of a 5×5 one): the
// ninth run's pointer in DI, its chain in Z8 (reduced on its own), q in Z9.
TEXT ·dotTaps9Z(SB), NOSPLIT, $0-42
	MOVQ in+8(FP), SI
	MOVQ off+16(FP), DI
	DOTTAPS_PTRS8
	MOVQ 64(DI), DI
	LEAQ (SI)(DI*4), DI
	MOVQ q+24(FP), SI
	MOVQ nv+0(FP), DX
	SHLQ $4, DX
	XORQ CX, CX
	ZERO_Z0_Z7
	VXORPS Z8, Z8, Z8
	TESTQ DX, DX
	JLE n9tail
n9loop:
	VMOVUPS (SI)(CX*4), Z9
	DOTTAPS_FMA8(Z9)
	VFMADD231PS (DI)(CX*4), Z9, Z8
	ADDQ $16, CX
	CMPQ CX, DX
	JLT n9loop
n9tail:
	MOVWQZX mask+40(FP), DX
	TESTQ DX, DX
	JZ n9reduce
	KMOVW DX, K1
	VMOVUPS.Z (SI)(CX*4), K1, Z9
	DOTTAPS_TAIL8(Z9, Z10)
	VMOVUPS.Z (DI)(CX*4), K1, Z10
	VFMADD231PS Z10, Z9, Z8
n9reduce:
	VEXTRACTF64X4 $1, Z8, Y9
	VADDPS Y9, Y8, Y8
	VEXTRACTF128 $1, Y8, X9
	VADDPS X9, X8, X8
	VHADDPS X8, X8, X8
	VHADDPS X8, X8, X8
	MOVQ acc+32(FP), DI
	DOTTAPS_REDUCE8(Y9, X9)
	VADDSS 32(DI), X8, X8
	VMOVSS X8, 32(DI)
	VZEROUPPER
	RET

// One tap of the eight-row correlations (corrRows8MAZ, corrRows8Z): tap CX
// of offsets R13 and weights R12, rows from SI, DX apart (R11 = 3·DX), sums
// in Z0-Z7.
#define CORRROWS8_TAP \
	MOVQ (R13)(CX*8), AX; \
	LEAQ (SI)(AX*4), R8; \
	LEAQ (R8)(R11*1), R9; \
	LEAQ (R9)(R11*1), R10; \
	VBROADCASTSS (R12)(CX*4), Z8; \
	VMOVUPS.Z (R8), K1, Z9; \
	VMOVUPS.Z (R8)(DX*1), K1, Z10; \
	VMOVUPS.Z (R8)(DX*2), K1, Z11; \
	VMOVUPS.Z (R9), K1, Z12; \
	VMOVUPS.Z (R9)(DX*1), K1, Z13; \
	VMOVUPS.Z (R9)(DX*2), K1, Z14; \
	VMOVUPS.Z (R10), K1, Z15; \
	VMOVUPS.Z (R10)(DX*1), K1, Z16; \
	VMULPS Z9, Z8, Z9; \
	VMULPS Z10, Z8, Z10; \
	VMULPS Z11, Z8, Z11; \
	VMULPS Z12, Z8, Z12; \
	VMULPS Z13, Z8, Z13; \
	VMULPS Z14, Z8, Z14; \
	VMULPS Z15, Z8, Z15; \
	VMULPS Z16, Z8, Z16; \
	VADDPS Z9, Z0, Z0; \
	VADDPS Z10, Z1, Z1; \
	VADDPS Z11, Z2, Z2; \
	VADDPS Z12, Z3, Z3; \
	VADDPS Z13, Z4, Z4; \
	VADDPS Z14, Z5, Z5; \
	VADDPS Z15, Z6, Z6; \
	VADDPS Z16, Z7, Z7

// One tap of the four-row correlations (corrRows4MAZ, corrRows4Z): row
// bases R8-R11, row masks K1-K4, sums in Z0-Z3.
#define CORRROWS4_TAP \
	MOVQ (R13)(CX*8), AX; \
	VBROADCASTSS (R12)(CX*4), Z8; \
	VMOVUPS.Z (R8)(AX*4), K1, Z9; \
	VMOVUPS.Z (R9)(AX*4), K2, Z10; \
	VMOVUPS.Z (R10)(AX*4), K3, Z11; \
	VMOVUPS.Z (R11)(AX*4), K4, Z12; \
	VMULPS Z9, Z8, Z9; \
	VMULPS Z10, Z8, Z10; \
	VMULPS Z11, Z8, Z11; \
	VMULPS Z12, Z8, Z12; \
	VADDPS Z9, Z0, Z0; \
	VADDPS Z10, Z1, Z1; \
	VADDPS Z11, Z2, Z2; \
	VADDPS Z12, Z3, Z3

// func corrRows4MAZ(dx, x *float32, ldx int, q *float32, ldq int, w *float32, off *int, taps int, masks uint64)
// The depthwise input gradient of four image rows, gathered and added in
// one pass: for rows r < 4 and the columns i set in bits 16r..16r+15 of
// masks (the others neither read nor written),
//
//	s = Σ_t w[t]·q[r·ldq + i + off[t]]   (in order from zero, VMULPS then VADDPS, as corrGeneric)
//	dx[r·ldx + i] += s where x[r·ldx + i] > 0, else += +0   (as rowsMaskedAddAVX2)
//
// Row bases of q in R8-R11, sums Z0-Z3, w[t] in Z8, products Z9-Z12, row
// masks K1-K4.
TEXT ·corrRows4MAZ(SB), NOSPLIT, $0-72
	MOVQ q+24(FP), R8
	MOVQ ldq+32(FP), DX
	SHLQ $2, DX
	LEAQ (R8)(DX*1), R9
	LEAQ (R9)(DX*1), R10
	LEAQ (R10)(DX*1), R11
	MOVQ w+40(FP), R12
	MOVQ off+48(FP), R13
	MOVQ taps+56(FP), BX
	MOVQ masks+64(FP), AX
	MASKS_K1_K4
	ZERO_Z0_Z3
	XORQ CX, CX
	TESTQ BX, BX
	JLE radd
rtap:
	CORRROWS4_TAP
	INCQ CX
	CMPQ CX, BX
	JLT rtap
radd:
	MOVQ dx+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ ldx+16(FP), DX
	SHLQ $2, DX
	VXORPS Z13, Z13, Z13
	VMOVUPS.Z (SI), K1, Z9
	VCMPPS $0x1e, Z13, Z9, K5
	VMOVAPS.Z Z0, K5, Z0
	VMOVUPS.Z (DI), K1, Z10
	VADDPS Z0, Z10, Z10
	VMOVUPS Z10, K1, (DI)
	ADDQ DX, SI
	ADDQ DX, DI
	VMOVUPS.Z (SI), K2, Z9
	VCMPPS $0x1e, Z13, Z9, K5
	VMOVAPS.Z Z1, K5, Z1
	VMOVUPS.Z (DI), K2, Z10
	VADDPS Z1, Z10, Z10
	VMOVUPS Z10, K2, (DI)
	ADDQ DX, SI
	ADDQ DX, DI
	VMOVUPS.Z (SI), K3, Z9
	VCMPPS $0x1e, Z13, Z9, K5
	VMOVAPS.Z Z2, K5, Z2
	VMOVUPS.Z (DI), K3, Z10
	VADDPS Z2, Z10, Z10
	VMOVUPS Z10, K3, (DI)
	ADDQ DX, SI
	ADDQ DX, DI
	VMOVUPS.Z (SI), K4, Z9
	VCMPPS $0x1e, Z13, Z9, K5
	VMOVAPS.Z Z3, K5, Z3
	VMOVUPS.Z (DI), K4, Z10
	VADDPS Z3, Z10, Z10
	VMOVUPS Z10, K4, (DI)
	VZEROUPPER
	RET

// func corrRows8MAZ(dx, x *float32, ldx int, q *float32, ldq int, w *float32, off *int, taps int, cols uint16)
// corrRows4MAZ for eight image rows, all with the columns set in cols: eight
// sums in flight (Z0-Z7) cover the add latency where four left half the add
// ports idle. Row r's reads start at q + r·ldq + off[t]: R8, R9 = R8 + 3·ldq
// and R10 = R9 + 3·ldq, each with 0, 1 or 2 strides of ldq (DX).
TEXT ·corrRows8MAZ(SB), NOSPLIT, $0-66
	MOVQ q+24(FP), SI
	MOVQ ldq+32(FP), DX
	SHLQ $2, DX
	LEAQ (DX)(DX*2), R11
	MOVQ w+40(FP), R12
	MOVQ off+48(FP), R13
	MOVQ taps+56(FP), BX
	MOVWQZX cols+64(FP), AX
	KMOVW AX, K1
	ZERO_Z0_Z7
	XORQ CX, CX
	TESTQ BX, BX
	JLE r8add
r8tap:
	CORRROWS8_TAP
	INCQ CX
	CMPQ CX, BX
	JLT r8tap
r8add:
	MOVQ dx+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ ldx+16(FP), DX
	SHLQ $2, DX
	VXORPS Z17, Z17, Z17
	VMOVUPS.Z (SI), K1, Z9
	VCMPPS $0x1e, Z17, Z9, K2
	VMOVAPS.Z Z0, K2, Z0
	VMOVUPS.Z (DI), K1, Z10
	VADDPS Z0, Z10, Z10
	VMOVUPS Z10, K1, (DI)
	ADDQ DX, SI
	ADDQ DX, DI
	VMOVUPS.Z (SI), K1, Z9
	VCMPPS $0x1e, Z17, Z9, K2
	VMOVAPS.Z Z1, K2, Z1
	VMOVUPS.Z (DI), K1, Z10
	VADDPS Z1, Z10, Z10
	VMOVUPS Z10, K1, (DI)
	ADDQ DX, SI
	ADDQ DX, DI
	VMOVUPS.Z (SI), K1, Z9
	VCMPPS $0x1e, Z17, Z9, K2
	VMOVAPS.Z Z2, K2, Z2
	VMOVUPS.Z (DI), K1, Z10
	VADDPS Z2, Z10, Z10
	VMOVUPS Z10, K1, (DI)
	ADDQ DX, SI
	ADDQ DX, DI
	VMOVUPS.Z (SI), K1, Z9
	VCMPPS $0x1e, Z17, Z9, K2
	VMOVAPS.Z Z3, K2, Z3
	VMOVUPS.Z (DI), K1, Z10
	VADDPS Z3, Z10, Z10
	VMOVUPS Z10, K1, (DI)
	ADDQ DX, SI
	ADDQ DX, DI
	VMOVUPS.Z (SI), K1, Z9
	VCMPPS $0x1e, Z17, Z9, K2
	VMOVAPS.Z Z4, K2, Z4
	VMOVUPS.Z (DI), K1, Z10
	VADDPS Z4, Z10, Z10
	VMOVUPS Z10, K1, (DI)
	ADDQ DX, SI
	ADDQ DX, DI
	VMOVUPS.Z (SI), K1, Z9
	VCMPPS $0x1e, Z17, Z9, K2
	VMOVAPS.Z Z5, K2, Z5
	VMOVUPS.Z (DI), K1, Z10
	VADDPS Z5, Z10, Z10
	VMOVUPS Z10, K1, (DI)
	ADDQ DX, SI
	ADDQ DX, DI
	VMOVUPS.Z (SI), K1, Z9
	VCMPPS $0x1e, Z17, Z9, K2
	VMOVAPS.Z Z6, K2, Z6
	VMOVUPS.Z (DI), K1, Z10
	VADDPS Z6, Z10, Z10
	VMOVUPS Z10, K1, (DI)
	ADDQ DX, SI
	ADDQ DX, DI
	VMOVUPS.Z (SI), K1, Z9
	VCMPPS $0x1e, Z17, Z9, K2
	VMOVAPS.Z Z7, K2, Z7
	VMOVUPS.Z (DI), K1, Z10
	VADDPS Z7, Z10, Z10
	VMOVUPS Z10, K1, (DI)
	VZEROUPPER
	RET

// func corrRows8Z(out *float32, ldo int, in *float32, ldi int, w *float32, off *int, taps int, cols uint16)
// The correlation of eight output rows written compactly: for r < 8 and the
// columns i set in cols (the others neither read nor written),
// out[r·ldo + i] = Σ_t w[t]·in[r·ldi + i + off[t]], taps in order from zero,
// VMULPS then VADDPS as corrGeneric: corrOut and extract in one pass
// without the junk columns. Registers as corrRows8MAZ.
TEXT ·corrRows8Z(SB), NOSPLIT, $0-58
	MOVQ in+16(FP), SI
	MOVQ ldi+24(FP), DX
	SHLQ $2, DX
	LEAQ (DX)(DX*2), R11
	MOVQ w+32(FP), R12
	MOVQ off+40(FP), R13
	MOVQ taps+48(FP), BX
	MOVWQZX cols+56(FP), AX
	KMOVW AX, K1
	ZERO_Z0_Z7
	XORQ CX, CX
	TESTQ BX, BX
	JLE o8store
o8tap:
	CORRROWS8_TAP
	INCQ CX
	CMPQ CX, BX
	JLT o8tap
o8store:
	MOVQ out+0(FP), DI
	MOVQ ldo+8(FP), DX
	SHLQ $2, DX
	VMOVUPS Z0, K1, (DI)
	ADDQ DX, DI
	VMOVUPS Z1, K1, (DI)
	ADDQ DX, DI
	VMOVUPS Z2, K1, (DI)
	ADDQ DX, DI
	VMOVUPS Z3, K1, (DI)
	ADDQ DX, DI
	VMOVUPS Z4, K1, (DI)
	ADDQ DX, DI
	VMOVUPS Z5, K1, (DI)
	ADDQ DX, DI
	VMOVUPS Z6, K1, (DI)
	ADDQ DX, DI
	VMOVUPS Z7, K1, (DI)
	VZEROUPPER
	RET

// func corrRows4Z(out *float32, ldo int, in *float32, ldi int, w *float32, off *int, taps int, masks uint64)
// corrRows8Z for four rows, row r's columns in bits 16r..16r+15 of masks.
TEXT ·corrRows4Z(SB), NOSPLIT, $0-64
	MOVQ in+16(FP), R8
	MOVQ ldi+24(FP), DX
	SHLQ $2, DX
	LEAQ (R8)(DX*1), R9
	LEAQ (R9)(DX*1), R10
	LEAQ (R10)(DX*1), R11
	MOVQ w+32(FP), R12
	MOVQ off+40(FP), R13
	MOVQ taps+48(FP), BX
	MOVQ masks+56(FP), AX
	MASKS_K1_K4
	ZERO_Z0_Z3
	XORQ CX, CX
	TESTQ BX, BX
	JLE o4store
o4tap:
	CORRROWS4_TAP
	INCQ CX
	CMPQ CX, BX
	JLT o4tap
o4store:
	MOVQ out+0(FP), DI
	MOVQ ldo+8(FP), DX
	SHLQ $2, DX
	VMOVUPS Z0, K1, (DI)
	ADDQ DX, DI
	VMOVUPS Z1, K2, (DI)
	ADDQ DX, DI
	VMOVUPS Z2, K3, (DI)
	ADDQ DX, DI
	VMOVUPS Z3, K4, (DI)
	VZEROUPPER
	RET

// A stride-1 row's run from its position (R8) and pad (R9): R10 = DI +
// 4·(pos + pad), to bad where pos + pad > lim (unsigned); R11 = SI, the
// row of x.
#define ROWS_RUN(lim, bad) \
	MOVQ (R8), AX; \
	ADDQ R9, AX; \
	CMPQ AX, lim; \
	JHI bad; \
	LEAQ (DI)(AX*4), R10; \
	MOVQ SI, R11

// func rowsReLUZ(x, dst *float32, pos *int, rows, ldx, pad, n16 int, tail uint16, lim int) (ok bool)
// rowsReLUAVX2 on zmm: for r < rows, dst[pos[r] + pad + i] = max(x[r·ldx + i], +0)
// (NaN and −0 to +0: VMAXPS returns its second source, the zero, unless
// x > 0) for i < 16·n16 + popcount(tail), n16 whole vectors then the tail
// under a mask. A row at pos[r] + pad outside [0, lim] (unsigned) stops it
// with ok false (lim: dst's length less a row's).
TEXT ·rowsReLUZ(SB), NOSPLIT, $0-73
	MOVQ x+0(FP), SI
	MOVQ dst+8(FP), DI
	MOVQ pos+16(FP), R8
	MOVQ rows+24(FP), BX
	MOVQ ldx+32(FP), R12
	SHLQ $2, R12
	MOVQ pad+40(FP), R9
	MOVQ n16+48(FP), R13
	MOVWQZX tail+56(FP), AX
	KMOVW AX, K1
	VXORPS Z1, Z1, Z1
	TESTQ BX, BX
	JLE rrdone
rrrow:
	ROWS_RUN(lim+64(FP), rrbad)
	MOVQ R13, DX
	TESTQ DX, DX
	JZ rrtail
rrvec:
	VMOVUPS (R11), Z0
	VMAXPS Z1, Z0, Z0
	VMOVUPS Z0, (R10)
	ADDQ $64, R11
	ADDQ $64, R10
	DECQ DX
	JNZ rrvec
rrtail:
	KORTESTW K1, K1
	JZ rrnext
	VMOVUPS.Z (R11), K1, Z0
	VMAXPS Z1, Z0, Z0
	VMOVUPS Z0, K1, (R10)
rrnext:
	ADDQ R12, SI
	ADDQ $8, R8
	DECQ BX
	JNZ rrrow
rrdone:
	MOVB $1, ok+72(FP)
	VZEROUPPER
	RET
rrbad:
	MOVB $0, ok+72(FP)
	VZEROUPPER
	RET

// func rowsMaskedAddZ(src, x, dx *float32, pos *int, rows, ldx, pad, n16 int, tail uint16, lim int) (ok bool)
// rowsMaskedAddAVX2 on zmm, its adjoint: dx[r·ldx + i] += src[pos[r] + pad + i]
// where x[r·ldx + i] > 0, else += +0, over the columns of rowsReLUZ; ok
// as rowsReLUZ's (lim: src's length less a row's).
TEXT ·rowsMaskedAddZ(SB), NOSPLIT, $0-81
	MOVQ src+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ dx+16(FP), CX
	MOVQ pos+24(FP), R8
	MOVQ rows+32(FP), BX
	MOVQ ldx+40(FP), R12
	SHLQ $2, R12
	MOVQ pad+48(FP), R9
	MOVQ n16+56(FP), R13
	MOVWQZX tail+64(FP), AX
	KMOVW AX, K1
	VXORPS Z1, Z1, Z1
	TESTQ BX, BX
	JLE madone
marow:
	ROWS_RUN(lim+72(FP), mabad)
	MOVQ CX, AX
	MOVQ R13, DX
	TESTQ DX, DX
	JZ matail
mavec:
	VMOVUPS (R11), Z0
	VCMPPS $0x1e, Z1, Z0, K2
	VMOVUPS.Z (R10), K2, Z2
	VADDPS (AX), Z2, Z2
	VMOVUPS Z2, (AX)
	ADDQ $64, R11
	ADDQ $64, R10
	ADDQ $64, AX
	DECQ DX
	JNZ mavec
matail:
	KORTESTW K1, K1
	JZ manext
	VMOVUPS.Z (R11), K1, Z0
	VCMPPS $0x1e, Z1, Z0, K1, K2
	VMOVUPS.Z (R10), K2, Z2
	VMOVUPS.Z (AX), K1, Z3
	VADDPS Z2, Z3, Z3
	VMOVUPS Z3, K1, (AX)
manext:
	ADDQ R12, SI
	ADDQ R12, CX
	ADDQ $8, R8
	DECQ BX
	JNZ marow
madone:
	MOVB $1, ok+80(FP)
	VZEROUPPER
	RET
mabad:
	MOVB $0, ok+80(FP)
	VZEROUPPER
	RET

// Z6 = the even lanes of the pair Z2, Z3 and Z8 = the odd ones (rows2ReLUZ;
// in rows2MaskedAddZ, with the interleaving indices, the pair's first and
// second halves interleaved): the indices in Z5 and Z7.
#define PERM_EVEN_ODD \
	VMOVAPS Z5, Z6; \
	VPERMI2PS Z3, Z2, Z6; \
	VMOVAPS Z7, Z8; \
	VPERMI2PS Z3, Z2, Z8

// A stride-2 row's two runs from its position (R8): R9 = DI + 4·(pos + eoff),
// R10 = DI + 4·(pos + ooff), to bad where pos + eoff > elim or pos + ooff >
// olim (unsigned).
#define ROWS2_RUNS(eoff, elim, ooff, olim, bad) \
	MOVQ (R8), AX; \
	MOVQ eoff, R9; \
	ADDQ AX, R9; \
	CMPQ R9, elim; \
	JHI bad; \
	LEAQ (DI)(R9*4), R9; \
	MOVQ ooff, R10; \
	ADDQ AX, R10; \
	CMPQ R10, olim; \
	JHI bad; \
	LEAQ (DI)(R10*4), R10

// func rows2ReLUZ(x, dst *float32, pos *int, rows, ldx, eOff, oOff, n32 int, masks uint64, idx *int32, eLim, oLim int) (ok bool)
// The stride-2 rectified layout a plane at a time: for r < rows, row r of
// x (ldx apart) rectified (max(x, +0), as rowsReLUZ) with its even columns
// to dst[pos[r] + eOff + i] and its odd ones to dst[pos[r] + oOff + i], in
// chunks of 32 columns (n32 whole, then a tail under masks: K1/K2 its
// columns in the two halves, K3/K4 its even and odd outputs). idx[0:16]
// picks the even lanes of a pair of vectors, idx[16:32] the odd ones. A
// run at pos[r] + eOff above eLim or at pos[r] + oOff above oLim (unsigned)
// stops it with ok false.
TEXT ·rows2ReLUZ(SB), NOSPLIT, $0-97
	MOVQ x+0(FP), SI
	MOVQ dst+8(FP), DI
	MOVQ pos+16(FP), R8
	MOVQ rows+24(FP), BX
	MOVQ ldx+32(FP), R12
	SHLQ $2, R12
	MOVQ n32+56(FP), R13
	MOVQ masks+64(FP), AX
	MASKS_K1_K4
	MOVQ idx+72(FP), AX
	VMOVUPS (AX), Z5
	VMOVUPS 64(AX), Z7
	VXORPS Z1, Z1, Z1
	TESTQ BX, BX
	JLE r2done
r2row:
	ROWS2_RUNS(eOff+40(FP), eLim+80(FP), oOff+48(FP), oLim+88(FP), r2bad)
	MOVQ SI, R11
	MOVQ R13, DX
	TESTQ DX, DX
	JZ r2tail
r2vec:
	VMOVUPS (R11), Z2
	VMOVUPS 64(R11), Z3
	VMAXPS Z1, Z2, Z2
	VMAXPS Z1, Z3, Z3
	PERM_EVEN_ODD
	VMOVUPS Z6, (R9)
	VMOVUPS Z8, (R10)
	ADDQ $128, R11
	ADDQ $64, R9
	ADDQ $64, R10
	DECQ DX
	JNZ r2vec
r2tail:
	KORTESTW K1, K1
	JZ r2next
	VMOVUPS.Z (R11), K1, Z2
	VMOVUPS.Z 64(R11), K2, Z3
	VMAXPS Z1, Z2, Z2
	VMAXPS Z1, Z3, Z3
	PERM_EVEN_ODD
	VMOVUPS Z6, K3, (R9)
	VMOVUPS Z8, K4, (R10)
r2next:
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

// func rows2MaskedAddZ(src, x, dx *float32, pos *int, rows, ldx, eOff, oOff, n32 int, masks uint64, idx *int32, eLim, oLim int) (ok bool)
// rows2ReLUZ's adjoint: dx[r·ldx + j] += (j even ? src[pos[r] + eOff + j/2]
// : src[pos[r] + oOff + j/2]) where x[r·ldx + j] > 0, else += +0, the
// chunks and masks as rows2ReLUZ's; idx[0:16] interleaves the first halves
// of an even and an odd vector, idx[16:32] their second halves; ok as
// rows2ReLUZ's.
TEXT ·rows2MaskedAddZ(SB), NOSPLIT, $0-105
	MOVQ src+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ dx+16(FP), CX
	MOVQ pos+24(FP), R8
	MOVQ rows+32(FP), BX
	MOVQ ldx+40(FP), R12
	SHLQ $2, R12
	MOVQ n32+64(FP), R13
	MOVQ masks+72(FP), AX
	MASKS_K1_K4
	MOVQ idx+80(FP), AX
	VMOVUPS (AX), Z5
	VMOVUPS 64(AX), Z7
	VXORPS Z1, Z1, Z1
	TESTQ BX, BX
	JLE m2done
m2row:
	ROWS2_RUNS(eOff+48(FP), eLim+88(FP), oOff+56(FP), oLim+96(FP), m2bad)
	MOVQ SI, R11
	MOVQ CX, AX
	MOVQ R13, DX
	TESTQ DX, DX
	JZ m2tail
m2vec:
	VMOVUPS (R9), Z2
	VMOVUPS (R10), Z3
	PERM_EVEN_ODD
	VMOVUPS (R11), Z9
	VCMPPS $0x1e, Z1, Z9, K5
	VMOVAPS.Z Z6, K5, Z6
	VADDPS (AX), Z6, Z6
	VMOVUPS Z6, (AX)
	VMOVUPS 64(R11), Z9
	VCMPPS $0x1e, Z1, Z9, K5
	VMOVAPS.Z Z8, K5, Z8
	VADDPS 64(AX), Z8, Z8
	VMOVUPS Z8, 64(AX)
	ADDQ $128, R11
	ADDQ $128, AX
	ADDQ $64, R9
	ADDQ $64, R10
	DECQ DX
	JNZ m2vec
m2tail:
	KORTESTW K1, K1
	JZ m2next
	VMOVUPS.Z (R9), K3, Z2
	VMOVUPS.Z (R10), K4, Z3
	PERM_EVEN_ODD
	VMOVUPS.Z (R11), K1, Z9
	VCMPPS $0x1e, Z1, Z9, K1, K5
	VMOVAPS.Z Z6, K5, Z6
	VMOVUPS.Z (AX), K1, Z10
	VADDPS Z6, Z10, Z10
	VMOVUPS Z10, K1, (AX)
	VMOVUPS.Z 64(R11), K2, Z9
	VCMPPS $0x1e, Z1, Z9, K2, K5
	VMOVAPS.Z Z8, K5, Z8
	VMOVUPS.Z 64(AX), K2, Z10
	VADDPS Z8, Z10, Z10
	VMOVUPS Z10, K2, 64(AX)
m2next:
	ADDQ R12, SI
	ADDQ R12, CX
	ADDQ $8, R8
	DECQ BX
	JNZ m2row
m2done:
	MOVB $1, ok+104(FP)
	VZEROUPPER
	RET
m2bad:
	MOVB $0, ok+104(FP)
	VZEROUPPER
	RET
