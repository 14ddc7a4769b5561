//go:build wasm

package kernels

// corrTriples is false in wasm, where V8 runs corrGeneric's one-tap loop
// faster than its triples.
const corrTriples = false
