// Package core is the root of NAS Playground's pure-Go engine: everything ML
// (tensors, kernels, autograd, ops, search spaces, strategies, data) lives in
// its sub-packages, which import neither cgo nor Ebiten, so the same code runs
// natively and as WebAssembly. This package holds only that rule's test.
package core
