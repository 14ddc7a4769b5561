// Package kernels holds the numeric loops under every op: GEMM (NN/NT/TN),
// im2col/col2im, direct depthwise convolution, pooling, reductions, and the
// worker pool that spreads them over cores (Parallel: one op's images or
// rows; Tasks: whole ops side by side, for autograd.Tape.Fork). Each
// kernel's doc comment is its
// reference loop; the *Generic functions are always compiled (wasm runs them).
// On amd64 built with GOEXPERIMENT=simd (and without -tags noasm),
// fast paths are selected at run time: a packed GEMM around an AVX2+FMA
// assembly micro-kernel (archsimd kernels for AVX-512), archsimd Dot/Axpy.
// FastPath/SetFastPath report and switch them; tests check they agree.
package kernels
