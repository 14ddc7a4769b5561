// Package kernels holds the numeric loops under every op: GEMM (NN/NT/TN),
// im2col/col2im, direct depthwise convolution, pooling, reductions, and the
// worker pool that spreads them over cores (Parallel: one op's images or
// rows; Tasks: whole ops side by side, for autograd.Tape.Fork). Each
// kernel's doc comment is its
// reference loop; the *Generic functions are always compiled (wasm runs them).
// On amd64 built with GOEXPERIMENT=simd (and without -tags noasm), a kernel
// set is selected at run time: "avx2" (a packed GEMM around an AVX2+FMA
// assembly micro-kernel, the flat correlation and 1×1 products in ymm
// assembly, archsimd for the rest) or, where AVX-512 is, "avx512": that set
// with the correlation, the 1×1 products and their gradients, the tap dots,
// the max pool and batch norm's passes on zmm (avx512_amd64.s/.go), masked
// loads and stores for the ends of rows. FastPath/SetFastPath report and
// switch them; the tests run every set the CPU has (forEachPath) and check
// that each agrees with the generic kernels (exactly where they round alike).
package kernels

//go:generate go run ./internal/gencorrrows corrrows_amd64.s corrrows_amd64.go
//go:generate go run ./internal/gencorrrows -set avx2 corrrows2_amd64.s corrrows2_amd64.go
