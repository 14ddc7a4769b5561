//go:build !amd64 || noasm

package kernels

// spinPause does nothing where there is no pause instruction to give
// (parallel_amd64.s).
func spinPause() {}
