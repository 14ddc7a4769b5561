// Package tensor holds the float32 NCHW Tensor (contiguous, row-major), shape
// checks that panic with a typed *ShapeError, the seeded RNG (math/rand/v2 PCG)
// and PyTorch's default initialisations for conv and linear layers. It imports
// only the standard library; autograd lives in core/autograd.
package tensor
