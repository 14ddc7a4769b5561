//go:build wasm

package kernels

// corrTriples is false in wasm, where V8 runs corrGeneric's one-tap loop
// faster than its triples.
const corrTriples = false

// sparseOnGeneric is false in wasm: V8 ran the sparse gather
// (gatherMaskedAddSparse) 0.8× as fast as the dense one on the 5×5 windows
// at 8×8 and 16×16 and at par on the 3×3 (BenchmarkGatherSparse in node).
// That is the input gradient alone; where the weight gradient is wanted too,
// lists pay in V8 as well (sparseDw, BenchmarkGatherSparseDw).
const sparseOnGeneric = false
