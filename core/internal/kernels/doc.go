// Package kernels holds the numeric loops under every op: GEMM (NN/NT/TN),
// im2col/col2im, direct depthwise convolution, pooling, reductions, and the
// worker pool that spreads them over cores. Each kernel's doc comment is its
// reference loop; the *Generic functions are always compiled (wasm runs them)
// and amd64 fast paths (archsimd, GOEXPERIMENT=simd) are selected at run time
// and tested to agree. Imports: standard library and golang.org/x/sys/cpu only.
package kernels
