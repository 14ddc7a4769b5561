//go:build !wasm

package kernels

// corrTriples: corrGeneric takes its taps three at a time (see there).
const corrTriples = true
