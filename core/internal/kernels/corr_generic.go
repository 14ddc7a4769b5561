//go:build !wasm

package kernels

// corrTriples: corrGeneric takes its taps three at a time (see there).
const corrTriples = true

// sparseOnGeneric: the portable path gathers the input gradient through
// ReLU at x > 0 only (gatherSparse).
const sparseOnGeneric = true
